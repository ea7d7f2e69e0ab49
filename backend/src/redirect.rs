//! `--tls-redirect-from`: a plain-HTTP listener whose only answer is a permanent
//! redirect to the same path over HTTPS, so `http://chat.example.com` in a
//! browser's address bar still arrives.

use axum::Router;
use axum::extract::Request;
use axum::http::uri::Authority;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Where redirects point.
#[derive(Debug, Clone)]
pub enum Target {
    /// The first `https://` origin of `--public-origin`: users' own name for the
    /// server, whatever the request says.
    Origin(String),
    /// The host the browser asked for, on the TLS port.
    SameHost { port: u16 },
}

pub fn router(target: Target) -> Router {
    Router::new().fallback(move |request: Request| {
        let target = target.clone();
        async move { redirect(&target, &request) }
    })
}

fn redirect(target: &Target, request: &Request) -> Response {
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    match location(target, host, path) {
        // 308 rather than 301: a POST stays a POST.
        Some(to) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)]).into_response(),
        None => (StatusCode::BAD_REQUEST, "A Host header is required").into_response(),
    }
}

/// The HTTPS address for `path`, or `None` without a usable Host.
fn location(target: &Target, host: Option<&str>, path: &str) -> Option<String> {
    match target {
        Target::Origin(origin) => Some(format!("{}{path}", origin.trim_end_matches('/'))),
        Target::SameHost { port } => {
            // Parsed as an authority, so nothing but a host (and port) gets
            // through: no userinfo, no path, no header tricks.
            let authority: Authority = host?.parse().ok()?;
            if authority.as_str().contains('@') {
                return None;
            }
            let name = authority.host();
            Some(match port {
                443 => format!("https://{name}{path}"),
                port => format!("https://{name}:{port}{path}"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_host_and_path_and_swaps_the_port() {
        let same = Target::SameHost { port: 8443 };
        assert_eq!(
            location(&same, Some("chat.example.com:8080"), "/ws?v=2").as_deref(),
            Some("https://chat.example.com:8443/ws?v=2")
        );
        assert_eq!(
            location(&same, Some("[::1]:80"), "/").as_deref(),
            Some("https://[::1]:8443/")
        );
        let standard = Target::SameHost { port: 443 };
        assert_eq!(
            location(&standard, Some("chat.example.com"), "/a").as_deref(),
            Some("https://chat.example.com/a")
        );
    }

    #[test]
    fn a_missing_or_odd_host_gets_no_redirect() {
        let same = Target::SameHost { port: 8443 };
        assert_eq!(location(&same, None, "/"), None);
        assert_eq!(
            location(&same, Some("evil.test@chat.example.com"), "/"),
            None
        );
        assert_eq!(location(&same, Some("a b"), "/"), None);
    }

    #[test]
    fn a_public_origin_wins_over_the_host() {
        let origin = Target::Origin("https://chat.example.com/".into());
        assert_eq!(
            location(&origin, Some("evil.test"), "/x").as_deref(),
            Some("https://chat.example.com/x")
        );
    }
}

//! Cross-site WebSocket hijacking defence: browsers always send `Origin` on a
//! WebSocket upgrade, and cookies or not, a page from another site must not be able
//! to join the chat as the visitor.
//!
//! The origin is compared with the server's configured public origins, never with
//! the `Host` header: a page on `http://evil.example` whose name is rebound to
//! 127.0.0.1 (DNS rebinding) sends `Host: evil.example` and `Origin:
//! http://evil.example`, which agree with each other and prove nothing.

use axum::http::{HeaderMap, header};

/// True when the upgrade may proceed: no Origin at all (a non-browser client such
/// as websocat), or exactly one Origin header that is `http` or `https` and equal
/// to one of `allowed` (case-insensitive, default ports ignored). `null`, which any
/// sandboxed page or local file sends, passes only when `allowed` lists it.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let mut origins = headers.get_all(header::ORIGIN).iter();
    let Some(origin) = origins.next() else {
        return true;
    };
    if origins.next().is_some() {
        return false;
    }
    let Some(origin) = origin.to_str().ok().and_then(canonical) else {
        return false;
    };
    allowed
        .iter()
        .filter_map(|a| canonical(a))
        .any(|a| a == origin)
}

/// `scheme://host[:port]` in lower case without a trailing slash or default port;
/// `null` as itself; None for any other scheme or shape.
fn canonical(origin: &str) -> Option<String> {
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if origin == "null" {
        return Some(origin);
    }
    let (scheme, authority) = origin.split_once("://")?;
    let default_port = match scheme {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    if authority.is_empty() || authority.contains(['/', '@', '?', '#']) {
        return None;
    }
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    Some(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origins: &[&'static str], host: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static(host));
        for o in origins {
            h.append(header::ORIGIN, HeaderValue::from_static(o));
        }
        h
    }

    fn own() -> Vec<String> {
        vec![
            "http://127.0.0.1:8080".into(),
            "http://localhost:8080".into(),
        ]
    }

    #[test]
    fn configured_origins_and_no_origin_pass() {
        assert!(origin_allowed(&headers(&[], "127.0.0.1:8080"), &own()));
        assert!(origin_allowed(
            &headers(&["http://127.0.0.1:8080"], "127.0.0.1:8080"),
            &own()
        ));
        assert!(origin_allowed(
            &headers(&["HTTP://LocalHost:8080/"], "localhost:8080"),
            &own()
        ));
        let public = vec!["https://chat.example.com".to_owned()];
        assert!(origin_allowed(
            &headers(&["https://Chat.Example.com:443"], "chat.example.com"),
            &public
        ));
    }

    #[test]
    fn host_is_never_trusted() {
        // DNS rebinding: Host and Origin agree, and both are the attacker's.
        assert!(!origin_allowed(
            &headers(&["http://evil.example"], "evil.example"),
            &own()
        ));
        assert!(!origin_allowed(
            &headers(&["http://evil.example:8080"], "evil.example:8080"),
            &own()
        ));
    }

    #[test]
    fn other_schemes_duplicates_and_null_are_refused() {
        assert!(!origin_allowed(
            &headers(&["ftp://127.0.0.1:8080"], "127.0.0.1:8080"),
            &own()
        ));
        assert!(!origin_allowed(
            &headers(&["http://127.0.0.1:8080", "http://evil.example"], "x"),
            &own()
        ));
        assert!(!origin_allowed(
            &headers(&["null"], "127.0.0.1:8080"),
            &own()
        ));
        let mut with_null = own();
        with_null.push("null".into());
        assert!(origin_allowed(&headers(&["null"], "x"), &with_null));
        // Same host, other port, is another origin.
        assert!(!origin_allowed(
            &headers(&["http://127.0.0.1:9999"], "127.0.0.1:8080"),
            &own()
        ));
    }
}

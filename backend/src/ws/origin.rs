//! Cross-site WebSocket hijacking defence: browsers always send `Origin` on a
//! WebSocket upgrade, and cookies or not, a page from another site must not be able
//! to join the chat as the visitor.

use axum::http::{HeaderMap, header};

/// True when the upgrade may proceed: no Origin (a non-browser client), the
/// server's own origin (Origin's host:port equals the Host header), or one listed in
/// `allowed` (compared as `scheme://host[:port]`, case-insensitively).
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim_end_matches('/');
    if allowed
        .iter()
        .any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let authority = origin.split_once("://").map(|(_, rest)| rest);
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&'static str>, host: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static(host));
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_static(o));
        }
        h
    }

    #[test]
    fn same_origin_and_no_origin_pass() {
        assert!(origin_allowed(&headers(None, "127.0.0.1:8080"), &[]));
        assert!(origin_allowed(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            &[]
        ));
        assert!(origin_allowed(
            &headers(Some("https://Chat.Example.com"), "chat.example.com"),
            &[]
        ));
    }

    #[test]
    fn foreign_origins_fail_unless_listed() {
        let evil = headers(Some("http://evil.example"), "127.0.0.1:8080");
        assert!(!origin_allowed(&evil, &[]));
        assert!(origin_allowed(&evil, &["http://evil.example/".into()]));
        // Same host, other port, is another origin.
        assert!(!origin_allowed(
            &headers(Some("http://127.0.0.1:9999"), "127.0.0.1:8080"),
            &[]
        ));
        assert!(!origin_allowed(
            &headers(Some("null"), "127.0.0.1:8080"),
            &[]
        ));
    }
}

//! Where a request carries its session token: `Authorization: Bearer TOKEN` for
//! programs, the `confab_session` cookie for browsers.

use axum::http::{HeaderMap, header};
use confab_shared::api::SESSION_COOKIE;

/// The session token a request carries, if any. A bearer token wins over a cookie.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    bearer_token(headers).or_else(|| cookie_token(headers))
}

/// The token of `Authorization: Bearer TOKEN`.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The token in the `confab_session` cookie.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

/// `Set-Cookie` for a new session: HttpOnly, so page scripts never see it;
/// SameSite=Strict, so no other site's page sends it.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    cookie::Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_token_comes_from_a_bearer_header_or_the_cookie() {
        let mut headers = HeaderMap::new();
        assert_eq!(session_token(&headers), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; confab_session=abc; x=1"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer xyz"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("xyz"));
    }

    #[test]
    fn the_cookie_is_http_only_and_strict() {
        let cookie = session_cookie("abc", 60, false);
        assert!(cookie.starts_with("confab_session=abc"), "{cookie}");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=60"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie("abc", 60, true).contains("Secure"));
    }
}

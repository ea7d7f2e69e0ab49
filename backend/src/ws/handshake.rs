//! The HTTP/1.1 upgrade to WebSocket (RFC 6455 §4.2), done here rather than by
//! axum's `WebSocketUpgrade` because Confab needs the raw upgraded stream: its
//! writer puts frames on the socket itself (see [`super::frames`]).

use axum::extract::FromRequestParts;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use hyper::upgrade::OnUpgrade;
use hyper_util::rt::TokioIo;
use std::future::Future;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

/// The socket a connection runs on.
pub type Socket = WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

/// A valid upgrade request, not yet answered.
pub struct Handshake {
    key: HeaderValue,
    on_upgrade: OnUpgrade,
}

/// Why an upgrade request was refused: 400, or 426 naming the version we speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Bad(&'static str),
    WrongVersion,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Bad(why) => (StatusCode::BAD_REQUEST, why).into_response(),
            // RFC 6455 §4.4: the answer names the versions the server speaks.
            Refusal::WrongVersion => (
                StatusCode::UPGRADE_REQUIRED,
                [(header::SEC_WEBSOCKET_VERSION, "13")],
                "Sec-WebSocket-Version 13 is required",
            )
                .into_response(),
        }
    }
}

impl<S: Sync> FromRequestParts<S> for Handshake {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let key = check(parts)?;
        let Some(on_upgrade) = parts.extensions.remove::<OnUpgrade>() else {
            return Err(Refusal::Bad("This connection cannot be upgraded"));
        };
        Ok(Self { key, on_upgrade })
    }
}

/// Checks an upgrade request's method, version and headers (RFC 6455 §4.2.1),
/// and returns its `Sec-WebSocket-Key`. A pure function of the request head, so
/// the fuzzer can reach it without a socket.
pub fn check(parts: &Parts) -> Result<HeaderValue, Refusal> {
    let bad = |why: &'static str| Err(Refusal::Bad(why));
    if parts.version != Version::HTTP_11 || parts.method != Method::GET {
        return bad("WebSocket upgrade needs GET over HTTP/1.1");
    }
    if !has_token(&parts.headers, header::CONNECTION, "upgrade")
        || !has_token(&parts.headers, header::UPGRADE, "websocket")
    {
        return bad("Connection: upgrade and Upgrade: websocket are required");
    }
    if !has_token(&parts.headers, header::SEC_WEBSOCKET_VERSION, "13") {
        return Err(Refusal::WrongVersion);
    }
    let mut keys = parts.headers.get_all(header::SEC_WEBSOCKET_KEY).iter();
    let (Some(key), None) = (keys.next(), keys.next()) else {
        return bad("exactly one Sec-WebSocket-Key is required");
    };
    if !is_valid_key(key) {
        return bad("Sec-WebSocket-Key must be 16 bytes in base64");
    }
    Ok(key.clone())
}

impl Handshake {
    /// Answers 101 Switching Protocols and, once hyper hands over the connection,
    /// runs `connection` on it as a WebSocket configured by `config`.
    pub fn accept<F, Fut>(self, config: WebSocketConfig, connection: F) -> Response
    where
        F: FnOnce(Socket) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let accept = derive_accept_key(self.key.as_bytes());
        let on_upgrade = self.on_upgrade;
        tokio::spawn(async move {
            let upgraded = match on_upgrade.await {
                Ok(upgraded) => upgraded,
                Err(error) => return tracing::debug!(%error, "upgrade failed"),
            };
            let socket = WebSocketStream::from_raw_socket(
                TokioIo::new(upgraded),
                Role::Server,
                Some(config),
            )
            .await;
            connection(socket).await;
        });
        (
            StatusCode::SWITCHING_PROTOCOLS,
            [
                (header::CONNECTION, HeaderValue::from_static("upgrade")),
                (header::UPGRADE, HeaderValue::from_static("websocket")),
                (
                    header::SEC_WEBSOCKET_ACCEPT,
                    HeaderValue::from_str(&accept).expect("base64 is a valid header value"),
                ),
            ],
        )
            .into_response()
    }
}

/// RFC 6455 §4.2.1: the key is a base64-encoded 16-byte nonce (24 characters).
fn is_valid_key(key: &HeaderValue) -> bool {
    use base64::Engine;
    let bytes = key.as_bytes();
    bytes.len() == 24
        && base64::engine::general_purpose::STANDARD
            .decode(bytes)
            .is_ok_and(|nonce| nonce.len() == 16)
}

/// Whether a comma-separated header holds `token`, ignoring case.
fn has_token(headers: &HeaderMap, name: HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|value| {
        value
            .as_bytes()
            .split(|&b| b == b',')
            .any(|part| part.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_in_lists_and_ignore_case() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONNECTION,
            HeaderValue::from_static("keep-alive, Upgrade"),
        );
        assert!(has_token(&headers, header::CONNECTION, "upgrade"));
        assert!(!has_token(&headers, header::CONNECTION, "close"));
        assert!(!has_token(&headers, header::UPGRADE, "websocket"));
    }

    #[test]
    fn keys_must_decode_to_sixteen_bytes() {
        let key = |k: &'static str| is_valid_key(&HeaderValue::from_static(k));
        assert!(key("dGhlIHNhbXBsZSBub25jZQ=="));
        for bad in ["", "not base64!!", "AAAAAA==", "dGhlIHNhbXBsZSBub25jZQ"] {
            assert!(!key(bad), "{bad:?}");
        }
        let long: &'static str = Box::leak("A".repeat(4000).into_boxed_str());
        assert!(!key(long));
    }

    #[test]
    fn the_accept_key_is_rfc_6455s_example() {
        // RFC 6455 §1.3.
        assert_eq!(
            derive_accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }
}

//! Entry points for `cargo fuzz` (the `fuzz/` crate) and for replaying its seed
//! corpus in `cargo test`: each takes arbitrary bytes and must neither panic nor
//! break an invariant, whatever they are.
//!
//! They live here, beside the code they drive, so that they reach it as the
//! server does; the fuzz targets are one line each.

mod core;
#[cfg(test)]
mod tests;

pub use self::core::core_sequence;

use crate::ws::{self, WsConn};
use axum::http::Request;
use confab_shared::client;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::Role;

/// The client-message decoder: whatever it accepts encodes and decodes back to
/// the same message.
pub fn client_message(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(message) = client::decode(text) {
        let again = client::decode(&message.encode()).expect("an encoded message decodes");
        assert_eq!(again, message, "encoding round-trips");
    }
}

/// The upgrade handshake: any request head hyper's parser (httparse) accepts
/// goes through Confab's checks of method, headers, key, query and Origin.
pub fn upgrade_request(data: &[u8]) {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut parsed = httparse::Request::new(&mut headers);
    let Ok(httparse::Status::Complete(_)) = parsed.parse(data) else {
        return;
    };
    let mut request = Request::builder()
        .method(parsed.method.unwrap_or("GET"))
        .uri(parsed.path.unwrap_or("/"))
        .version(match parsed.version {
            Some(1) => axum::http::Version::HTTP_11,
            _ => axum::http::Version::HTTP_10,
        });
    for header in parsed.headers.iter() {
        request = request.header(header.name, header.value);
    }
    let Ok(request) = request.body(()) else {
        return;
    };
    let (parts, ()) = request.into_parts();
    if let Ok(key) = ws::check_upgrade(&parts) {
        assert_eq!(key.len(), 24, "only a 16-byte nonce is accepted");
    }
    let origins = ["http://localhost:8080".to_owned()];
    let _ = ws::origin_allowed(&parts.headers, &origins);
    let _ = axum::extract::Query::<ws::Params>::try_from_uri(&parts.uri);
}

/// The inbound frame path: bytes from a client, read by tungstenite with the
/// server's limits, each text frame handed to a hub as the connection does.
pub fn inbound_frames(data: &[u8]) {
    let (mut hub, session) = core::one_member();
    // Room for all of it, and for the replies tungstenite writes (a pong per
    // ping, a close), which nobody reads.
    let (server, mut client) = tokio::io::duplex(2 * data.len() + 1024);
    let reading = async {
        use tokio::io::AsyncWriteExt;
        client.write_all(data).await.expect("the pipe holds it all");
        client.shutdown().await.expect("the pipe closes");
        let socket = WebSocketStream::from_raw_socket(
            server,
            Role::Server,
            Some(ws::socket_config(64 * 1024)),
        )
        .await;
        let mut conn = WsConn::new(socket);
        loop {
            match conn.next().await {
                None => break,
                Some(Err(error)) => {
                    let _ = ws::classify(error);
                    break;
                }
                Some(Ok(Message::Text(text))) => {
                    let _ = hub.handle_text(session, text.as_str());
                }
                Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            }
        }
    };
    now_ready(reading);
}

/// Runs a future that never waits on anything outside itself (the in-memory
/// store, a pipe already filled), without a runtime.
fn now_ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..1_000_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("a future that should be ready at once kept waiting")
}

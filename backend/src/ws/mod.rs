//! The WebSocket layer: upgrade checks, then one task per connection that splits
//! into a reader (this connection's frames into the hub) and a writer (the hub's
//! frames out to the socket), as in axum's chat example.

mod connection;
mod origin;
mod reader;
mod writer;

use crate::server::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State, ws::CloseFrame};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use confab_shared::server::ServerMessage;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;

pub use origin::origin_allowed;

/// tungstenite reads into a buffer of this size per socket. Its default, 128 KiB,
/// costs about 1.3 GB per 10k idle sockets; chat frames are small.
const READ_BUFFER_BYTES: usize = 1024;
/// Frames are gathered up to this size before a write; a flush writes regardless.
const WRITE_BUFFER_BYTES: usize = 4 * 1024;

/// Close codes Confab sends (RFC 6455 §7.4.1).
pub mod close_code {
    pub const NORMAL: u16 = 1000;
    pub const GOING_AWAY: u16 = 1001;
    pub const PROTOCOL_ERROR: u16 = 1002;
    pub const INVALID_UTF8: u16 = 1007;
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    pub const TRY_AGAIN_LATER: u16 = 1013;
}

/// `GET /` and `GET /ws` with an upgrade: checks Origin and capacity, then hands
/// the socket to its own task.
pub async fn upgrade(
    State(app): State<Arc<AppState>>,
    Query(params): Query<Params>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(&headers, &app.config.allowed_origins) {
        tracing::warn!(origin = ?headers.get("origin"), "refused WebSocket upgrade from foreign origin");
        return (StatusCode::FORBIDDEN, "Origin not allowed").into_response();
    }
    let limit = app.config.max_frame_bytes;
    let ws = ws
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_write_buffer_size(WRITE_BUFFER_BYTES + limit.max(1 << 20))
        .max_message_size(limit)
        .max_frame_size(limit);
    let permit = app.connections.clone().try_acquire_owned().ok();
    let tasks = app.tasks.clone();
    ws.on_upgrade(move |socket| {
        tasks.track_future(async move {
            match permit {
                Some(permit) => connection::run(app, socket, permit, params.resume).await,
                None => refuse_full(socket).await,
            }
        })
    })
}

/// Query parameters of the upgrade request.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    /// `resume_token` from an earlier `welcome`.
    pub resume: Option<String>,
}

/// Tells a newcomer past the connection cap why, then closes with 1013.
async fn refuse_full(mut socket: WebSocket) {
    tracing::warn!("connection refused: server is full");
    let error = ServerMessage::error("Server is full", crate::chat::now_unix()).encode();
    let close = CloseFrame {
        code: close_code::TRY_AGAIN_LATER,
        reason: "Server is full".into(),
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        socket.send(Message::Text(error.into())).await?;
        socket.send(Message::Close(Some(close))).await?;
        // Wait for the client's close reply so the close is clean on both sides.
        while let Some(Ok(_)) = socket.next().await {}
        Ok::<_, axum::Error>(())
    })
    .await;
}

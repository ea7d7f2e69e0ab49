//! One connection's life: join the hub, run reader and writer, leave, close.

use super::close_code;
use super::reader::{self, End};
use super::writer::{self, Control};
use crate::chat::{Eviction, Outbox};
use crate::server::AppState;
use axum::extract::ws::{CloseFrame, WebSocket};
use futures_util::StreamExt;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot};

/// Runs a connection until the client leaves, misbehaves, is evicted, or the
/// server shuts down; then tells the others (`leave`) and closes with a code that
/// says why. `_permit` holds this connection's place under the connection cap.
pub async fn run(app: Arc<AppState>, socket: WebSocket, _permit: OwnedSemaphorePermit) {
    let (sink, stream) = socket.split();
    let (frames_tx, frames_rx) = mpsc::channel(app.config.send_queue);
    let (evicted_tx, evicted_rx) = oneshot::channel();
    let (control_tx, control_rx) = mpsc::channel(4);
    let id = app
        .hub
        .with(|hub| hub.connect(Outbox::new(frames_tx, evicted_tx)));
    tracing::info!(user_id = id, "connected");

    let write_timeout = app.config.write_timeout();
    let mut writer = tokio::spawn(writer::run(sink, frames_rx, control_rx, write_timeout));
    let mut writer_done = false;
    let end = tokio::select! {
        end = reader::run(&app, id, stream, &control_tx) => end,
        Ok(Eviction::QueueFull) = evicted_rx => End::TooSlow,
        () = app.shutdown.cancelled() => End::Shutdown,
        _ = &mut writer => { writer_done = true; End::WriteFailed }
    };

    // Queue the close before leaving the hub: leaving drops our frame queue, and the
    // writer must see the close first to send the right code.
    if let Some(frame) = close_frame(&end) {
        let _ = control_tx.try_send(Control::Close(frame));
    }
    app.hub.with(|hub| hub.disconnect(id));
    drop(control_tx);
    tracing::info!(user_id = id, reason = ?end, "disconnected");

    if !writer_done
        && tokio::time::timeout(write_timeout, &mut writer)
            .await
            .is_err()
    {
        writer.abort();
    }
}

fn close_frame(end: &End) -> Option<CloseFrame> {
    let (code, reason) = match end {
        End::ClientClosed | End::WriteFailed | End::Io => return None,
        End::Shutdown => (close_code::GOING_AWAY, "Server shutting down"),
        End::HeartbeatTimeout => (close_code::GOING_AWAY, "Heartbeat timeout"),
        End::TooSlow => (close_code::POLICY, "Too slow: send queue full"),
        End::RateAbuse => (close_code::POLICY, "Rate limit repeatedly exceeded"),
        End::TooBig => (close_code::TOO_BIG, "Message too big"),
        End::InvalidUtf8 => (close_code::INVALID_UTF8, "Invalid UTF-8"),
        End::Protocol => (close_code::PROTOCOL_ERROR, "Protocol error"),
    };
    Some(CloseFrame {
        code,
        reason: reason.into(),
    })
}

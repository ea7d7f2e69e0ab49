//! One connection's life: join the hub, run reader and writer, leave, close.

use super::close_code;
use super::reader::{self, End};
use super::writer;
use crate::chat::{Departure, Eviction, Outbox};
use crate::server::AppState;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use tokio::sync::{Notify, OwnedSemaphorePermit, mpsc, oneshot};

/// Runs a connection until the client leaves, misbehaves, is evicted, or the
/// server shuts down; then leaves the hub and closes with a code that says why.
/// `_permit` holds this connection's place under the connection cap; `resume` is
/// the token from `?resume=`, if any.
pub async fn run(
    app: Arc<AppState>,
    socket: WebSocket,
    _permit: OwnedSemaphorePermit,
    resume: Option<String>,
) {
    let (sink, stream) = socket.split();
    let (frames_tx, frames_rx) = mpsc::channel(app.config.send_queue);
    let (evicted_tx, evicted_rx) = oneshot::channel();
    // The reader asks the writer for pings; a Notify is far smaller than a channel.
    let ping = Arc::new(Notify::new());
    let outbox = Outbox::new(frames_tx, evicted_tx);
    let session = app.hub.with(|hub| hub.connect(outbox, resume.as_deref()));
    tracing::info!(
        user_id = session.user,
        resumed = resume.is_some(),
        "connected"
    );

    let write_timeout = app.config.write_timeout();
    let mut writer = tokio::spawn(writer::run(sink, frames_rx, ping.clone(), write_timeout));
    let mut writer_done = false;
    let end = tokio::select! {
        end = reader::run(&app, session, stream, &ping) => end,
        Ok(eviction) = evicted_rx => match eviction {
            Eviction::QueueFull => End::TooSlow,
            Eviction::Replaced => End::Replaced,
        },
        () = app.shutdown.cancelled() => End::Shutdown,
        _ = &mut writer => { writer_done = true; End::WriteFailed }
    };

    // Leaving the hub closes our frame queue; the writer then finishes what was
    // queued and hands back the socket for the close frame, which must come last.
    app.hub.with(|hub| hub.disconnect(session, departure(end)));
    tracing::info!(user_id = session.user, reason = ?end, "disconnected");
    if writer_done {
        return;
    }
    let sink = match tokio::time::timeout(write_timeout, &mut writer).await {
        Ok(Ok(Some(sink))) => sink,
        Ok(_) => return,
        Err(_) => return writer.abort(),
    };
    let _ = tokio::time::timeout(write_timeout, close(sink, close_frame(end))).await;
}

async fn close(mut sink: writer::Sink, frame: Option<CloseFrame>) {
    if let Some(frame) = frame {
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
    let _ = sink.close().await;
}

/// A network failure may be resumed; a close, or removal for cause, may not.
fn departure(end: End) -> Departure {
    match end {
        End::Io | End::HeartbeatTimeout | End::WriteFailed | End::ClientWillResume => {
            Departure::Dropped
        }
        _ => Departure::Left,
    }
}

fn close_frame(end: End) -> Option<CloseFrame> {
    let (code, reason) = match end {
        End::ClientClosed | End::ClientWillResume | End::WriteFailed | End::Io => return None,
        End::Shutdown => (close_code::GOING_AWAY, "Server shutting down"),
        End::Replaced => (close_code::NORMAL, "Session resumed on another connection"),
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

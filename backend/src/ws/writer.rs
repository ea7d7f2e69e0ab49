//! The writing half of a connection: the only place that awaits this socket while
//! the connection is live.

use crate::chat::Frame;
use axum::extract::ws::{Message, WebSocket};
use futures_util::SinkExt;
use futures_util::stream::SplitSink;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

/// Frames written per flush at most, so a long backlog still flushes regularly.
const MAX_BATCH: usize = 256;

pub type Sink = SplitSink<WebSocket, Message>;

/// Writes the hub's frames, and a ping whenever one is asked for, until the hub
/// closes the queue. Every frame already queued is fed before one flush, so under
/// load one syscall carries many frames.
///
/// Returns the sink once everything queued is written, so the connection can send
/// its close frame last; `None` if a write failed or took longer than `write_timeout`.
pub async fn run(
    mut sink: Sink,
    mut frames: mpsc::Receiver<Frame>,
    ping: Arc<Notify>,
    write_timeout: Duration,
) -> Option<Sink> {
    loop {
        let next = tokio::select! {
            biased;
            () = ping.notified() => None,
            frame = frames.recv() => match frame {
                Some(frame) => Some(frame),
                None => return Some(sink),
            },
        };
        let written = tokio::time::timeout(write_timeout, async {
            let Some(first) = next else {
                return sink.send(Message::Ping(Default::default())).await;
            };
            sink.feed(Message::Text(first)).await?;
            for _ in 1..MAX_BATCH {
                let Ok(frame) = frames.try_recv() else { break };
                sink.feed(Message::Text(frame)).await?;
            }
            sink.flush().await
        })
        .await;
        if !matches!(written, Ok(Ok(()))) {
            return None;
        }
    }
}

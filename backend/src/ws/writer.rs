//! The writing half of a connection: the only place that awaits this socket.

use super::super::chat::Frame;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::SinkExt;
use futures_util::stream::SplitSink;
use std::time::Duration;
use tokio::sync::mpsc;

/// Frames written per flush at most, so a long backlog still flushes regularly.
const MAX_BATCH: usize = 256;

/// Requests from the connection to its writer, served before queued frames.
#[derive(Debug)]
pub enum Control {
    Ping,
    Close(CloseFrame),
}

/// Writes the hub's frames until the queue closes, a `Close` arrives, or a write
/// fails or takes longer than `write_timeout`.
///
/// Every frame already queued is fed before one flush, so under load one syscall
/// carries many frames.
pub async fn run(
    mut sink: SplitSink<WebSocket, Message>,
    mut frames: mpsc::Receiver<Frame>,
    mut control: mpsc::Receiver<Control>,
    write_timeout: Duration,
) {
    loop {
        let step = tokio::select! {
            biased;
            Some(request) = control.recv() => match request {
                Control::Ping => Step::Ping,
                Control::Close(frame) => Step::Close(Some(frame)),
            },
            frame = frames.recv() => match frame {
                Some(frame) => Step::Frames(frame),
                None => Step::Close(None),
            },
        };
        let finished = matches!(step, Step::Close(_));
        let written = tokio::time::timeout(write_timeout, async {
            match step {
                Step::Frames(first) => {
                    sink.feed(Message::Text(first)).await?;
                    for _ in 1..MAX_BATCH {
                        let Ok(next) = frames.try_recv() else { break };
                        sink.feed(Message::Text(next)).await?;
                    }
                    sink.flush().await
                }
                Step::Ping => sink.send(Message::Ping(Default::default())).await,
                Step::Close(frame) => {
                    // What was queued before the close still goes out first: an
                    // error that explains the close, or messages already accepted.
                    while let Ok(next) = frames.try_recv() {
                        sink.feed(Message::Text(next)).await?;
                    }
                    if let Some(frame) = frame {
                        sink.send(Message::Close(Some(frame))).await?;
                    }
                    sink.close().await
                }
            }
        })
        .await;
        if finished || !matches!(written, Ok(Ok(()))) {
            return;
        }
    }
}

enum Step {
    Frames(Frame),
    Ping,
    Close(Option<CloseFrame>),
}

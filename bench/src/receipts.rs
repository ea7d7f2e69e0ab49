//! Typing indicators and read receipts mixed into `fanout` (`--receipts`), as a
//! chat client sends them: `typing` before each message, and once a second a
//! `read` for the newest message held, if it is newer than the last one reported.

use crate::client::Socket;
use futures_util::SinkExt;
use futures_util::stream::SplitSink;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

/// A client's sending half, shared by its sender (if any) and its reporter.
pub type SharedSink = Arc<tokio::sync::Mutex<SplitSink<Socket, Message>>>;

pub const TYPING: &str = r#"{"type":"typing","room":"general"}"#;

pub fn shared(sink: SplitSink<Socket, Message>) -> SharedSink {
    Arc::new(tokio::sync::Mutex::new(sink))
}

/// One task per client, each on its own phase within the second, reporting the
/// newest id in `newest` until `deadline`; each returns how many `read`s it sent.
pub fn report_reads(
    sinks: &[SharedSink],
    newest: &[Arc<AtomicU64>],
    started: Instant,
    deadline: Instant,
) -> Vec<JoinHandle<anyhow::Result<u64>>> {
    let count = sinks.len().max(1);
    sinks
        .iter()
        .zip(newest)
        .enumerate()
        .map(|(i, (sink, newest))| {
            let phase = Duration::from_secs(1).mul_f64(i as f64 / count as f64);
            let (sink, newest) = (sink.clone(), newest.clone());
            tokio::spawn(report(sink, newest, started + phase, deadline))
        })
        .collect()
}

async fn report(
    sink: SharedSink,
    newest: Arc<AtomicU64>,
    first: Instant,
    deadline: Instant,
) -> anyhow::Result<u64> {
    let mut tick = tokio::time::interval_at(first.into(), Duration::from_secs(1));
    let (mut reported, mut sent) = (0, 0);
    loop {
        tick.tick().await;
        if Instant::now() >= deadline {
            return Ok(sent);
        }
        let id = newest.load(Ordering::Relaxed);
        if id > reported {
            let read = format!(r#"{{"type":"read","room":"general","id":{id}}}"#);
            sink.lock().await.send(Message::text(read)).await?;
            (reported, sent) = (id, sent + 1);
        }
    }
}

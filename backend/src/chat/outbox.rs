//! The hub's handle on one connection's outbound queue.

use tokio::sync::{mpsc, oneshot};

/// One encoded text frame. Cloning it is a reference-count bump, so a broadcast is
/// serialized once and the same bytes are shared by every recipient.
pub type Frame = axum::extract::ws::Utf8Bytes;

/// Why the hub dropped a connection on its own initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eviction {
    /// The client stopped reading and its bounded queue filled up.
    QueueFull,
    /// The same user resumed on a newer connection.
    Replaced,
}

/// The sending half of a connection's bounded frame queue.
///
/// [`Outbox::push`] never waits: a full queue means the client is not keeping up,
/// and the hub evicts it rather than buffer without bound or stall everyone else.
#[derive(Debug)]
pub struct Outbox {
    frames: mpsc::Sender<Frame>,
    evicted: Option<oneshot::Sender<Eviction>>,
}

/// The queue was full; the frame was not queued.
#[derive(Debug)]
pub struct QueueFull;

impl Outbox {
    /// `frames` feeds the connection's writer; `evicted` tells the connection why
    /// the hub dropped it (it fires only on eviction, not on a normal leave).
    pub fn new(frames: mpsc::Sender<Frame>, evicted: oneshot::Sender<Eviction>) -> Self {
        Self {
            frames,
            evicted: Some(evicted),
        }
    }

    /// Queues a frame without waiting. A closed queue (the writer has gone) is not an
    /// error here: the connection is already on its way out and will leave by itself.
    pub fn push(&self, frame: Frame) -> Result<(), QueueFull> {
        match self.frames.try_send(frame) {
            Err(mpsc::error::TrySendError::Full(_)) => Err(QueueFull),
            _ => Ok(()),
        }
    }

    /// Tells the connection it has been dropped, and why.
    pub fn evict(mut self, reason: Eviction) {
        if let Some(evicted) = self.evicted.take() {
            let _ = evicted.send(reason);
        }
    }
}

//! One connection's outbound queue: the hub pushes without waiting, the connection
//! takes everything queued in one go.
//!
//! Why not `tokio::sync::mpsc`: a bounded mpsc channel allocates its first block of
//! slots up front (about 1.4 KB with its header), and most connections are idle most
//! of the time. This queue is a `VecDeque` that allocates on the first frame and gives
//! its memory back once it has drained, so an idle connection pays for an empty
//! `VecDeque`, a `Notify` and a lock. Eviction travels through the same queue, which
//! saves the oneshot channel too.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// One encoded text frame: UTF-8 JSON. Cloning it is a reference-count bump, so a
/// broadcast is serialized once and the same bytes are shared by every recipient.
/// The core's own type, so no socket library's type lives in the core.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame(bytes::Bytes);

impl Frame {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The frame's text. Always valid: a frame is only ever made from a `String`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("frames are made from strings")
    }
}

impl From<String> for Frame {
    fn from(text: String) -> Self {
        Self(bytes::Bytes::from(text))
    }
}

impl From<&'static str> for Frame {
    fn from(text: &'static str) -> Self {
        Self(bytes::Bytes::from_static(text.as_bytes()))
    }
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Frame({} bytes)", self.0.len())
    }
}

/// Why the hub dropped a connection on its own initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eviction {
    /// The client stopped reading and its bounded queue filled up.
    QueueFull,
    /// The same user resumed on a newer connection.
    Replaced,
    /// The server is shutting down.
    Shutdown,
    /// The session this connection signed in with was signed out.
    SignedOut,
    /// A moderator kicked its user.
    Kicked,
    /// A moderator banned its user.
    Banned,
}

/// A new queue that holds at most `capacity` frames: the hub's end and the
/// connection's end.
pub fn channel(capacity: usize) -> (Outbox, Inbox) {
    bounded(capacity, usize::MAX)
}

/// A new queue that holds at most `capacity` frames and `capacity_bytes` bytes of
/// them. A count alone does not bound memory: a few large history frames weigh
/// more than thousands of chat lines. One frame is always let into an empty queue,
/// so no frame is too large to ever be sent.
pub fn bounded(capacity: usize, capacity_bytes: usize) -> (Outbox, Inbox) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        ready: Notify::new(),
        capacity: capacity.max(1),
        capacity_bytes,
    });
    (
        Outbox {
            shared: shared.clone(),
        },
        Inbox { shared },
    )
}

struct Shared {
    state: Mutex<State>,
    /// Woken when the queue goes from empty to not empty, and when it closes.
    ready: Notify,
    capacity: usize,
    capacity_bytes: usize,
}

#[derive(Default)]
struct State {
    frames: VecDeque<Frame>,
    /// Bytes of the frames queued.
    bytes: usize,
    /// The hub let go of its end: nothing more will be queued.
    closed: bool,
    /// The connection let go of its end: frames have nowhere to go.
    gone: bool,
    evicted: Option<Eviction>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding this lock, but a poisoned queue is still a
        // queue: its contents are plain data.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The hub's end of a connection's queue. Dropping it closes the queue: the
/// connection writes what is left and then finishes.
pub struct Outbox {
    shared: Arc<Shared>,
}

/// The queue was full; the frame was not queued.
#[derive(Debug)]
pub struct QueueFull;

impl Outbox {
    /// Queues a frame without waiting. A full queue means the client is not keeping
    /// up, and the hub evicts it rather than buffer without bound or stall everyone.
    /// A connection that is already gone is not an error here: it is on its way out
    /// of the hub by itself.
    pub fn push(&self, frame: Frame) -> Result<(), QueueFull> {
        let mut state = self.shared.lock();
        if state.gone {
            return Ok(());
        }
        let was_empty = state.frames.is_empty();
        let bytes = state.bytes.saturating_add(frame.len());
        if state.frames.len() >= self.shared.capacity
            || (!was_empty && bytes > self.shared.capacity_bytes)
        {
            return Err(QueueFull);
        }
        state.bytes = bytes;
        state.frames.push_back(frame);
        drop(state);
        // The connection waits only after seeing the queue empty, so waking it on
        // the way out of empty is enough.
        if was_empty {
            self.shared.ready.notify_one();
        }
        Ok(())
    }

    /// Tells the connection it has been dropped, and why.
    pub fn evict(self, reason: Eviction) {
        self.shared.lock().evicted = Some(reason);
        // Drop closes the queue and wakes the connection.
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.ready.notify_one();
    }
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("queued", &self.shared.lock().frames.len())
            .finish()
    }
}

/// What the connection finds in its queue.
#[derive(Debug)]
pub enum Received {
    /// Frames to write, oldest first.
    Frames(VecDeque<Frame>),
    /// The hub let go: nothing is left to write, and `Some` says it was an eviction.
    Closed(Option<Eviction>),
}

/// The connection's end of its queue.
pub struct Inbox {
    shared: Arc<Shared>,
}

impl Inbox {
    /// Waits until there is something to write or the queue has closed. Takes at
    /// most `max` frames, so a long backlog still gets written in bounded batches.
    ///
    /// Cancel-safe: frames are only taken in the poll that returns them.
    pub async fn recv(&self, max: usize) -> Received {
        loop {
            if let Some(received) = self.try_recv(max) {
                return received;
            }
            self.shared.ready.notified().await;
        }
    }

    /// What is queued now, without waiting; `None` if the queue is empty and open.
    pub fn try_recv(&self, max: usize) -> Option<Received> {
        let mut state = self.shared.lock();
        if state.frames.is_empty() {
            return state.closed.then_some(Received::Closed(state.evicted));
        }
        let max = max.max(1);
        if state.frames.len() <= max {
            // Take the whole queue, allocation and all: no copy, and an idle
            // connection is left holding no memory for it.
            state.bytes = 0;
            return Some(Received::Frames(std::mem::take(&mut state.frames)));
        }
        let batch: VecDeque<Frame> = state.frames.drain(..max).collect();
        state.bytes -= batch.iter().map(|f| f.len()).sum::<usize>();
        Some(Received::Frames(batch))
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.gone = true;
        state.frames = VecDeque::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(received: Option<Received>) -> Vec<String> {
        match received {
            Some(Received::Frames(frames)) => {
                frames.iter().map(|f| f.as_str().to_owned()).collect()
            }
            other => panic!("expected frames, got {other:?}"),
        }
    }

    #[test]
    fn frames_come_out_in_order_in_bounded_batches() {
        let (outbox, inbox) = channel(10);
        for i in 0..5 {
            outbox.push(i.to_string().into()).unwrap();
        }
        assert_eq!(frames(inbox.try_recv(3)), ["0", "1", "2"]);
        assert_eq!(frames(inbox.try_recv(3)), ["3", "4"]);
        assert!(inbox.try_recv(3).is_none());
    }

    #[test]
    fn a_full_queue_refuses_and_keeps_what_it_has() {
        let (outbox, inbox) = channel(2);
        outbox.push("a".into()).unwrap();
        outbox.push("b".into()).unwrap();
        assert!(outbox.push("c".into()).is_err());
        assert_eq!(frames(inbox.try_recv(10)), ["a", "b"]);
        outbox.push("d".into()).unwrap();
        assert_eq!(frames(inbox.try_recv(10)), ["d"]);
    }

    #[test]
    fn the_queue_is_bounded_in_bytes_too() {
        let (outbox, inbox) = bounded(100, 10);
        outbox.push("123456".into()).unwrap();
        assert!(outbox.push("123456".into()).is_err(), "12 bytes > 10");
        outbox.push("1234".into()).unwrap();
        assert_eq!(frames(inbox.try_recv(1)), ["123456"]);
        outbox.push("123456".into()).unwrap();
        assert_eq!(frames(inbox.try_recv(10)), ["1234", "123456"]);
        // One frame larger than the bound still fits an empty queue.
        outbox.push("x".repeat(50).into()).unwrap();
        assert!(outbox.push("y".into()).is_err());
    }

    #[test]
    fn closing_delivers_what_was_queued_first_then_why() {
        let (outbox, inbox) = channel(4);
        outbox.push("last words".into()).unwrap();
        outbox.evict(Eviction::QueueFull);
        assert_eq!(frames(inbox.try_recv(10)), ["last words"]);
        assert!(matches!(
            inbox.try_recv(10),
            Some(Received::Closed(Some(Eviction::QueueFull)))
        ));

        let (outbox, inbox) = channel(4);
        drop(outbox);
        assert!(matches!(inbox.try_recv(10), Some(Received::Closed(None))));
    }

    #[test]
    fn frames_for_a_connection_that_is_gone_are_dropped_not_refused() {
        let (outbox, inbox) = channel(1);
        drop(inbox);
        for _ in 0..3 {
            assert!(outbox.push("nobody reads this".into()).is_ok());
        }
    }

    #[tokio::test]
    async fn a_waiting_connection_wakes_for_a_frame_and_for_closing() {
        let (outbox, inbox) = channel(4);
        let waiting = tokio::spawn(async move {
            let first = inbox.recv(8).await;
            let second = inbox.recv(8).await;
            (first, second)
        });
        tokio::task::yield_now().await;
        outbox.push("hello".into()).unwrap();
        tokio::task::yield_now().await;
        drop(outbox);
        let (first, second) = waiting.await.unwrap();
        assert_eq!(frames(Some(first)), ["hello"]);
        assert!(matches!(second, Received::Closed(None)));
    }
}

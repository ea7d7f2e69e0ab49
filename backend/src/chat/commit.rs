//! Group commit: everything queued while the previous batch was being written goes
//! into the next transaction, so one fsync covers many messages under load, and a
//! lone message is written at once.

use super::SharedHub;
use super::ports::{Store, Write};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Most writes in one transaction. A batch's messages reach each client's queue at
/// once, so `--send-queue` must be larger than this (the server enforces it).
pub const MAX_BATCH: usize = 256;

/// Writes batches until the queue closes, telling the hub each batch's outcome.
pub async fn run(store: Arc<dyn Store>, mut queue: mpsc::Receiver<Write>, hub: Arc<SharedHub>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let started = std::time::Instant::now();
        let result = store.write(&batch).await;
        metrics::histogram!("confab_store_commit_seconds").record(started.elapsed().as_secs_f64());
        metrics::histogram!("confab_store_batch_size").record(batch.len() as f64);
        if let Err(error) = &result {
            tracing::error!(%error, writes = batch.len(), "batch not stored");
        }
        hub.with(|hub| hub.committed(&batch, result.is_ok()));
        batch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::memory_store::MemoryStore;
    use crate::chat::ports::{Bus, StoredMessage};
    use crate::chat::{Arrival, Hub, HubSettings, Received, outbox};
    use std::sync::Mutex;
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    #[derive(Default)]
    struct RecordingBus(Mutex<Vec<u64>>);

    impl Bus for RecordingBus {
        fn publish(&self, message: &Arc<StoredMessage>) {
            self.0.lock().unwrap().push(message.id);
        }
    }

    async fn next_of_type(inbox: &crate::chat::Inbox, kind: &str) -> serde_json::Value {
        loop {
            let Received::Frames(frames) = inbox.recv(64).await else {
                panic!("queue closed");
            };
            for frame in frames {
                let value: serde_json::Value = serde_json::from_str(frame.as_str()).unwrap();
                if value["type"] == kind {
                    return value;
                }
            }
        }
    }

    /// The core against a store that is not SQLite: messages are stored through
    /// the port before anyone sees them, published on the bus, and a failing store
    /// is reported to the sender.
    #[tokio::test]
    async fn the_group_commit_stores_through_the_port_before_broadcasting() {
        let store = MemoryStore::seeded();
        let snapshot = store.load(100).await.unwrap();
        let (persist, queue) = mpsc::channel(64);
        let settings = HubSettings {
            resume_grace: Duration::ZERO,
            max_rooms: 10,
            big_room: 100,
            room_create_per_hour: 10,
            room_archive_after: None,
            flood_repeats: 5,
            flood_strikes: 3,
            flood_mute: Duration::from_secs(300),
        };
        let bus = Arc::new(RecordingBus::default());
        let mut hub = Hub::new(settings, persist, snapshot);
        hub.set_bus(bus.clone());
        let hub = Arc::new(SharedHub::new(hub));
        tokio::spawn(run(store.clone(), queue, hub.clone()));
        let (outbox, inbox) = outbox::channel(64);
        let session = hub.with(|h| h.connect(outbox, Arrival::default()));

        hub.with(|h| h.handle_text(session, r#"{"type":"message","content":"kept"}"#));
        let echo = next_of_type(&inbox, "message").await;
        assert_eq!(echo["content"], "kept");
        assert_eq!(store.count("general"), 1, "stored before it was seen");
        assert_eq!(*bus.0.lock().unwrap(), [1]);

        store.failing.store(true, Ordering::Relaxed);
        let lost = r#"{"type":"message","content":"lost","txn_id":"t2"}"#;
        hub.with(|h| h.handle_text(session, lost));
        let error = next_of_type(&inbox, "error").await;
        assert_eq!(error["content"]["code"], "storage_error");
        assert_eq!(error["content"]["txn_id"], "t2");
        assert_eq!(store.count("general"), 1);
        assert_eq!(
            bus.0.lock().unwrap().len(),
            1,
            "nothing unstored is published"
        );
    }
}

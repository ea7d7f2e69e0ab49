//! Group commit: everything queued while the previous batch was being written goes
//! into the next transaction, so one fsync covers many messages under load, and a
//! lone message is written at once.

use super::{Store, Write};
use crate::chat::SharedHub;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Most writes in one transaction. A batch's messages reach each client's queue at
/// once, so `--send-queue` must be larger than this (the server enforces it).
pub const MAX_BATCH: usize = 256;

/// Writes batches until the queue closes, telling the hub each batch's outcome.
pub async fn run(store: Arc<dyn Store>, mut queue: mpsc::Receiver<Write>, hub: Arc<SharedHub>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let result = store.write(&batch).await;
        if let Err(error) = &result {
            tracing::error!(%error, writes = batch.len(), "batch not stored");
        }
        hub.with(|hub| hub.committed(&batch, result.is_ok()));
        batch.clear();
    }
}

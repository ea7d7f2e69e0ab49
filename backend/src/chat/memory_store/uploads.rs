//! Uploads as the in-memory store keeps them.

use crate::chat::ports::{StoreError, StoredUpload};
use confab_shared::{UnixSeconds, UserId};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub(super) struct MemoryUploads(Mutex<HashMap<String, StoredUpload>>);

impl MemoryUploads {
    pub(super) fn save(&self, upload: &StoredUpload) -> Result<(), StoreError> {
        let mut uploads = self.0.lock().expect("not poisoned");
        if uploads.contains_key(&upload.id) {
            return Err(StoreError::new("upload id taken", "duplicate id"));
        }
        uploads.insert(upload.id.clone(), upload.clone());
        Ok(())
    }

    pub(super) fn get(&self, id: &str) -> Option<StoredUpload> {
        self.0.lock().expect("not poisoned").get(id).cloned()
    }

    pub(super) fn bytes_since(&self, owner: UserId, since: UnixSeconds) -> u64 {
        let uploads = self.0.lock().expect("not poisoned");
        (uploads.values())
            .filter(|u| u.owner == owner && u.created_at >= since)
            .map(|u| u.bytes)
            .sum()
    }
}

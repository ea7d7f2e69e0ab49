//! Uploaded images, as the core knows them: who uploaded what, how big, and when.
//! The bytes themselves are on disk (`crate::uploads`); what is known of them
//! goes through the [`super::ports::Store`] port, so any store can serve them.

use confab_shared::attachments::{Attachment, ImageType, upload_url};
use confab_shared::{UnixSeconds, UserId};

/// One upload's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpload {
    /// 32 random hex digits: its name on disk and in its url.
    pub id: String,
    /// The account that uploaded it.
    pub owner: UserId,
    /// What its bytes are (sniffed, never taken from the request).
    pub kind: ImageType,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    pub created_at: UnixSeconds,
}

impl StoredUpload {
    /// What a message carries to show it.
    pub fn attachment(&self) -> Attachment {
        Attachment {
            url: upload_url(&self.id, self.kind),
            width: self.width,
            height: self.height,
        }
    }
}

//! Replies: the message the composer's next message answers, and the quote a
//! reply shows of what it answers.

use super::{Chat, EntryKind};
use confab_shared::MessageId;

/// Longest quote shown of the message a reply answers, in characters.
pub const QUOTE_CHARS: usize = 120;

impl Chat {
    /// The next message in the current room answers `id`.
    pub fn reply(&mut self, id: MessageId) {
        self.replying_to = Some(id);
    }

    pub fn cancel_reply(&mut self) {
        self.replying_to = None;
    }

    /// Who wrote message `id` of the current room and what it said, shortened;
    /// None if it is not held (an older page would have it).
    pub fn quote(&self, id: MessageId) -> Option<(String, String)> {
        let entry = self.timeline().entries.iter().find(|e| e.id == Some(id))?;
        let EntryKind::Public { from_name, .. } = &entry.kind else {
            return None;
        };
        let text = match entry.deleted {
            true => "message removed".to_owned(),
            false if entry.text.chars().count() > QUOTE_CHARS => {
                let cut: String = entry.text.chars().take(QUOTE_CHARS - 1).collect();
                format!("{cut}…")
            }
            false => entry.text.clone(),
        };
        Some((from_name.clone(), text))
    }
}

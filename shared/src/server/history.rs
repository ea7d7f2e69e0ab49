//! Stored public messages as history pages carry them.

use crate::{MessageId, UnixSeconds, UserId};
use serde::{Deserialize, Serialize};

/// One stored public message, as in a `message` event plus its `id` and `room`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    #[serde(rename = "type")]
    pub kind: MessageKind,
    pub id: MessageId,
    pub room: String,
    pub from_id: UserId,
    pub from_name: String,
    pub content: String,
    pub timestamp: UnixSeconds,
    /// Confab extension: deleted by its sender or a moderator; `content` is empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
    /// Confab extension: when its sender last edited it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<UnixSeconds>,
    /// Confab extension, on a message changed (edited, deleted) after it was
    /// sent: the id the room's sequence was at when it last changed. A catch-up
    /// (`get_history` with `after_id`) returns every message whose id *or* `rev`
    /// is past `after_id`, ordered by the larger, so the changes a client missed
    /// come back with the messages it missed; it continues from the last item's
    /// larger of the two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<MessageId>,
    /// Confab extension: the id of the message (in the same room) this answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
    /// Confab extension: its reactions, in the order they were first made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactions: Vec<crate::reactions::Reaction>,
    /// Confab extension: uploaded images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::attachments::Attachment>,
}

impl HistoryItem {
    /// Where this item stands in the room's sequence: its id, or its last change.
    pub fn position(&self) -> MessageId {
        self.rev.map_or(self.id, |rev| rev.max(self.id))
    }
}

/// The `type` of a [`HistoryItem`]: always `"message"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Message,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub room: String,
    pub messages: Vec<HistoryItem>,
    /// Confab extension: the page was cut short by its size limit
    /// ([`crate::limits::MAX_HISTORY_BYTES`]); more messages lie beyond it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

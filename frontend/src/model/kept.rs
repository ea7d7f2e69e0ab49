//! The last messages of each room, kept by the browser between visits, so a
//! reload without a network still shows what was there. When the app connects,
//! the server's pages merge with them by id, as after any reconnect.

use super::{Chat, Delivery, Entry, EntryKind};
use confab_shared::UserId;
use confab_shared::server::{HistoryItem, MessageKind};
use serde::{Deserialize, Serialize};

/// Messages kept per room: a screenful and some, not an archive.
pub const KEPT_PER_ROOM: usize = 50;

/// What is kept: whose view it was, and each room's last messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    /// Who we were: our messages show as ours before the server says who we are.
    pub me: Option<UserId>,
    pub rooms: Vec<KeptRoom>,
}

/// One room's kept messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptRoom {
    pub room: String,
    pub messages: Vec<HistoryItem>,
}

impl Chat {
    /// The newest stored messages of each room we are in.
    pub fn kept_history(&self) -> Kept {
        let rooms = (self.rooms.iter())
            .map(|(room, timeline)| {
                let stored: Vec<HistoryItem> = (timeline.entries.iter())
                    .filter_map(|e| as_item(room, e))
                    .collect();
                let skip = stored.len().saturating_sub(KEPT_PER_ROOM);
                KeptRoom {
                    room: room.clone(),
                    messages: stored.into_iter().skip(skip).collect(),
                }
            })
            .filter(|kept| !kept.messages.is_empty())
            .collect();
        Kept {
            me: self.my_id(),
            rooms,
        }
    }

    /// Shows what an earlier visit kept, each room's in its room (which is then
    /// rejoined after the welcome).
    pub fn restore_history(&mut self, kept: Kept) {
        for KeptRoom { room, mut messages } in kept.rooms {
            messages.truncate(KEPT_PER_ROOM);
            self.rooms.entry(room.clone()).or_default();
            self.merge_history(&room, messages, false);
        }
        // Until the welcome says who we are now (and re-owns them if need be).
        let Some(me) = kept.me else { return };
        for entry in self.rooms.values_mut().flat_map(|t| t.entries.iter_mut()) {
            if let EntryKind::Public { from_id, own, .. } = &mut entry.kind {
                *own = *from_id == me;
            }
        }
    }
}

/// A stored public message as history carries it.
fn as_item(room: &str, entry: &Entry) -> Option<HistoryItem> {
    let (
        EntryKind::Public {
            from_id, from_name, ..
        },
        Some(id),
        Delivery::Sent,
    ) = (&entry.kind, entry.id, &entry.delivery)
    else {
        return None;
    };
    Some(HistoryItem {
        kind: MessageKind::Message,
        id,
        room: room.to_owned(),
        from_id: *from_id,
        from_name: from_name.clone(),
        content: entry.text.clone(),
        timestamp: entry.time,
        deleted: entry.deleted,
        edited_at: entry.edited.then_some(entry.time),
        rev: (entry.rev > 0).then_some(entry.rev),
        reply_to: entry.reply_to,
        reactions: entry.reactions.clone(),
        attachments: entry.attachments.clone(),
    })
}

//! Messages sent but not yet stored, kept by the browser so that closing the tab
//! does not lose them: the next time the app opens they are pending again, and
//! go out after the welcome with their own `txn_id`s, so the server stores each
//! once (for an account, the server remembers the transactions it stored).

use super::{Chat, Delivery, Entry, EntryKind};
use confab_shared::attachments::Attachment;
use confab_shared::{MessageId, UnixSeconds};
use serde::{Deserialize, Serialize};

/// Most messages kept: a day offline typing is not a queue without end.
pub const MAX_OUTBOX: usize = 100;

/// One message waiting for its echo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub room: String,
    pub txn_id: String,
    pub content: String,
    #[serde(default)]
    pub reply_to: Option<MessageId>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub time: UnixSeconds,
}

impl Chat {
    /// Our public messages still waiting to be stored, oldest first (at most
    /// [`MAX_OUTBOX`], the newest kept). A refused one is not among them: it
    /// waits for its sender's retry, not for a connection.
    pub fn outbox(&self) -> Vec<Outgoing> {
        let mut waiting: Vec<Outgoing> = (self.rooms.iter())
            .flat_map(|(room, t)| t.entries.iter().map(move |e| (room, e)))
            .filter_map(|(room, e)| match &e.delivery {
                Delivery::Pending { txn_id } => Some(Outgoing {
                    room: room.clone(),
                    txn_id: txn_id.clone(),
                    content: e.text.clone(),
                    reply_to: e.reply_to,
                    attachments: e.attachments.clone(),
                    time: e.time,
                }),
                _ => None,
            })
            .collect();
        waiting.sort_by_key(|o| o.time);
        let extra = waiting.len().saturating_sub(MAX_OUTBOX);
        waiting.drain(..extra);
        waiting
    }

    /// Puts messages kept from an earlier visit back as pending, each in its
    /// room (which is then rejoined after the welcome). One already held is
    /// not added twice.
    pub fn restore_outbox(&mut self, kept: Vec<Outgoing>) {
        for item in kept.into_iter().take(MAX_OUTBOX) {
            let held = (self.rooms.values())
                .flat_map(|t| &t.entries)
                .any(|e| e.awaits(&item.txn_id));
            if held || item.txn_id.is_empty() {
                continue;
            }
            self.next_key += 1;
            let (from_id, from_name) =
                (self.me.as_ref()).map_or((0, String::new()), |m| (m.id, m.name.clone()));
            let kind = EntryKind::Public {
                from_id,
                from_name,
                own: true,
            };
            let mut entry = Entry::stored(self.next_key, None, kind, item.content, item.time);
            entry.delivery = Delivery::Pending {
                txn_id: item.txn_id,
            };
            (entry.reply_to, entry.attachments) = (item.reply_to, item.attachments);
            self.rooms.entry(item.room).or_default().push_local(entry);
        }
    }
}

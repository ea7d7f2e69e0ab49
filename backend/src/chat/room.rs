//! One room: its members, and the recent history it keeps in memory, served in
//! pages bounded in bytes as well as in count.

use super::now_unix;
use super::outbox::Frame;
use super::ports::{Range, StoredMessage};
use confab_shared::limits::{MAX_HISTORY, MAX_HISTORY_BYTES};
use confab_shared::server::{History, HistoryItem, ServerMessage};
use confab_shared::{MessageId, UserId};
use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;
use std::time::Instant;

/// One room. Its latest [`MAX_HISTORY`] messages stay in memory, so joining a room
/// or connecting sends history without touching the database.
pub struct Room {
    pub members: BTreeSet<UserId>,
    /// Big rooms: membership changed since the last `room_count`.
    pub count_changed: bool,
    /// Last message or change of membership: an empty room quiet for long enough is
    /// archived.
    pub quiet_since: Instant,
    /// Only moderators may post (announcements).
    pub read_only: bool,
    /// Who said `typing` here since the last announcement (see `chat::typing`).
    pub typing: BTreeSet<UserId>,
    recent: VecDeque<Arc<StoredMessage>>,
    next_id: MessageId,
    /// The last change (edit, deletion) to a message memory no longer holds, or
    /// may not hold: a catch-up from before it must ask the store.
    changed_outside: MessageId,
    /// The `history` frame of the latest page, encoded once and shared by every
    /// newcomer until the next message; a room full of large messages would
    /// otherwise cost one large encoding per connection.
    latest: Option<Frame>,
}

impl Room {
    /// A room with its latest stored messages (oldest first).
    pub fn restore(recent: Vec<StoredMessage>) -> Self {
        let next_id = recent.last().map_or(1, |m| m.id + 1);
        Self {
            members: BTreeSet::new(),
            count_changed: false,
            quiet_since: Instant::now(),
            read_only: false,
            typing: BTreeSet::new(),
            recent: recent.into_iter().map(Arc::new).collect(),
            next_id,
            changed_outside: 0,
            latest: None,
        }
    }

    /// The newest message's id (0 in a room without any).
    pub fn last_id(&self) -> MessageId {
        self.next_id - 1
    }

    /// Hands out the next message id.
    pub fn take_id(&mut self) -> MessageId {
        self.next_id += 1;
        self.next_id - 1
    }

    /// Gives back an id that was never used (its message could not be queued).
    pub fn return_id(&mut self, id: MessageId) {
        if id + 1 == self.next_id {
            self.next_id = id;
        }
    }

    /// Ids below `next_id` were used before (by the room before it was archived).
    pub fn skip_ids_below(&mut self, next_id: MessageId) {
        self.next_id = self.next_id.max(next_id);
    }

    /// Restored from the store, whose messages (in memory or not) may have
    /// changed up to `last_position`: ids go on after it, and a catch-up from
    /// before it asks the store.
    pub fn changed_before(&mut self, last_position: MessageId) {
        self.skip_ids_below(last_position + 1);
        self.changed_outside = self.changed_outside.max(last_position);
    }

    /// Something happened here: the room is not idle.
    pub fn touch(&mut self) {
        self.quiet_since = Instant::now();
    }

    pub fn remember(&mut self, message: Arc<StoredMessage>) {
        self.recent.push_back(message);
        if self.recent.len() > MAX_HISTORY as usize
            && let Some(gone) = self.recent.pop_front()
        {
            self.changed_outside = self.changed_outside.max(gone.rev);
        }
        self.latest = None;
        self.touch();
    }

    /// A message still in memory.
    pub fn find(&self, id: MessageId) -> Option<&StoredMessage> {
        let at = self.recent.binary_search_by_key(&id, |m| m.id).ok()?;
        Some(&self.recent[at])
    }

    /// Message `id` becomes a tombstone, changed at `rev`.
    pub fn tombstone(&mut self, id: MessageId, rev: MessageId) {
        self.change(id, rev, |m| {
            m.content.clear();
            m.deleted = true;
        });
    }

    /// Message `id` (its sender's) has new text, changed at `rev`.
    pub fn edit(&mut self, edit: &super::ports::MessageEdit) {
        self.change(edit.id, edit.rev, |m| {
            m.content.clone_from(&edit.content);
            m.edited_at = Some(edit.edited_at);
        });
    }

    /// A reaction added or taken back, changed at its `rev`; the emoji's count
    /// now, if memory holds the message.
    pub fn react(&mut self, change: &super::ports::ReactionChange) -> Option<u32> {
        let mut count = None;
        self.change(change.id, change.rev, |m| {
            let toggled = super::ports::toggle_reaction(
                &mut m.reactions,
                &change.emoji,
                change.user,
                change.on,
            );
            count = Some(toggled);
        });
        count
    }

    /// Changes message `id` in memory, or notes that memory missed a change.
    fn change(&mut self, id: MessageId, rev: MessageId, how: impl FnOnce(&mut StoredMessage)) {
        let Ok(at) = self.recent.binary_search_by_key(&id, |m| m.id) else {
            self.changed_outside = self.changed_outside.max(rev);
            return;
        };
        let mut changed = (*self.recent[at]).clone();
        how(&mut changed);
        changed.rev = rev;
        self.recent[at] = Arc::new(changed);
        self.latest = None;
    }

    /// The latest page of history as an encoded `history` frame, shared.
    pub fn latest_frame(&mut self, room: &str) -> Frame {
        if let Some(frame) = &self.latest {
            return frame.clone();
        }
        let page = history_message(room, self.recent.iter().map(|m| m.as_ref()), false);
        let frame = Frame::from(page.encode());
        self.latest = Some(frame.clone());
        frame
    }

    /// The latest messages as `room_joined` carries them, within the byte limit.
    pub fn latest_items(&self) -> Vec<HistoryItem> {
        fit(self.recent.iter().map(|m| m.as_ref()), false).0
    }

    /// The `history` frame for `range`, or None when memory cannot answer it
    /// completely and the store must.
    pub fn history_frame(&self, room: &str, range: Range, limit: u32) -> Option<ServerMessage> {
        let limit = limit.min(MAX_HISTORY) as usize;
        let oldest_kept = self.recent.front().map(|m| m.id);
        let selected: Vec<_> = match range {
            Range::Latest => self.recent.iter().rev().take(limit).rev().collect(),
            // Memory holds every message after `after` if it holds the one after it,
            // and every change since if none was to a message it does not hold.
            Range::After(after)
                if oldest_kept.is_none_or(|oldest| oldest <= after + 1)
                    && self.changed_outside <= after =>
            {
                let mut found: Vec<_> = self
                    .recent
                    .iter()
                    .filter(|m| m.position() > after)
                    .collect();
                found.sort_by_key(|m| m.position());
                found.truncate(limit);
                found
            }
            Range::Before(before) => {
                let older: Vec<_> = self.recent.iter().filter(|m| m.id < before).collect();
                // Enough in memory, or memory reaches back to the room's first message.
                if older.len() < limit && oldest_kept.is_some_and(|oldest| oldest > 1) {
                    return None;
                }
                older.into_iter().rev().take(limit).rev().collect()
            }
            Range::After(_) => return None,
        };
        let messages = selected.iter().map(|m| m.as_ref());
        Some(history_message(room, messages, keep_oldest(&range)))
    }
}

/// Whether a page in `range` keeps its oldest messages when it must be cut: a
/// catch-up (`after_id`) goes forward from where the client stopped; the latest
/// page and scrollback keep the newest and let the client page back.
pub fn keep_oldest(range: &Range) -> bool {
    matches!(range, Range::After(_))
}

/// A `history` frame of `messages` (oldest first), cut to [`MAX_HISTORY_BYTES`].
pub fn history_message<'a>(
    room: &str,
    messages: impl DoubleEndedIterator<Item = &'a StoredMessage>,
    keep_oldest: bool,
) -> ServerMessage {
    let (messages, truncated) = fit(messages, keep_oldest);
    ServerMessage::History {
        content: History {
            room: room.into(),
            messages,
            truncated,
        },
        timestamp: now_unix(),
    }
}

/// The messages whose encoded items fit in [`MAX_HISTORY_BYTES`], taken from the
/// oldest or the newest end, oldest first; and whether any were left out.
pub(super) fn fit<'a>(
    messages: impl DoubleEndedIterator<Item = &'a StoredMessage>,
    keep_oldest: bool,
) -> (Vec<HistoryItem>, bool) {
    let ordered: Box<dyn Iterator<Item = &StoredMessage>> = if keep_oldest {
        Box::new(messages)
    } else {
        Box::new(messages.rev())
    };
    let mut items = Vec::new();
    let mut bytes = 0;
    let mut truncated = false;
    for message in ordered {
        let item = message.to_item();
        // Each item's exact encoded size, plus its comma.
        bytes += serde_json::to_vec(&item).map_or(0, |v| v.len()) + 1;
        if bytes > MAX_HISTORY_BYTES {
            truncated = true;
            break;
        }
        items.push(item);
    }
    if !keep_oldest {
        items.reverse();
    }
    (items, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(id: MessageId) -> StoredMessage {
        StoredMessage {
            room: "general".into(),
            id,
            from_id: 1,
            from_name: "Ann".into(),
            // Escapes to twice its size: the worst content validation allows.
            content: "\"".repeat(10_240),
            timestamp: 1,
            txn_id: None,
            session: 1,
            deleted: false,
            edited_at: None,
            rev: 0,
            reply_to: None,
            attachments: Vec::new(),
            reactions: Vec::new(),
        }
    }

    #[test]
    fn history_pages_are_bounded_in_bytes_and_say_so() {
        let room = Room::restore((1..=100).map(big).collect());
        let frame = room.history_frame("general", Range::Latest, 100).unwrap();
        let encoded = frame.encode();
        assert!(
            encoded.len() <= MAX_HISTORY_BYTES + 200,
            "{}",
            encoded.len()
        );
        let ServerMessage::History { content, .. } = frame else {
            unreachable!()
        };
        assert!(content.truncated);
        assert_eq!(content.messages.last().map(|m| m.id), Some(100));
        assert!(content.messages.len() < 100 && !content.messages.is_empty());
        // A catch-up keeps the oldest, so the client goes on after the last one.
        let after = room
            .history_frame("general", Range::After(10), 100)
            .unwrap();
        let ServerMessage::History { content, .. } = after else {
            unreachable!()
        };
        assert_eq!(content.messages.first().map(|m| m.id), Some(11));
    }

    #[test]
    fn the_latest_page_is_encoded_once_until_a_message_arrives() {
        let mut room = Room::restore(vec![big(1)]);
        let first = room.latest_frame("general");
        let again = room.latest_frame("general");
        assert_eq!(first.as_str().as_ptr(), again.as_str().as_ptr());
        room.remember(Arc::new(big(2)));
        assert_ne!(room.latest_frame("general"), first);
    }
}

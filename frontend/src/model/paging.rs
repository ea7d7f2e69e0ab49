//! Pages of stored messages: merging them into a timeline (new ones inserted,
//! held ones brought up to date), and asking for the next one: older on
//! scrollback, newer on the way back down, and on after a full catch-up page.

use super::{Chat, Entry, EntryKind};
use confab_shared::MessageId;
use confab_shared::client::ClientMessage;
use confab_shared::limits::MAX_HISTORY;
use confab_shared::server::HistoryItem;

impl Chat {
    /// Merges a page of stored messages; returns the request for the next page when
    /// a catch-up came back full (or cut short by its size: `truncated`).
    pub(super) fn merge_history(
        &mut self,
        room: &str,
        messages: Vec<HistoryItem>,
        truncated: bool,
    ) -> Option<ClientMessage> {
        let my_id = self.my_id();
        let timeline = self.rooms.get_mut(room)?;
        let previous_last = timeline.cursor();
        let full = truncated || messages.len() >= MAX_HISTORY as usize;
        let was_older = timeline.loading_older;
        timeline.loading_older = false;
        let was_newer = timeline.loading_newer;
        // A full newer page is followed by the next one (below), still "loading".
        timeline.loading_newer = was_newer && full;
        if was_newer && !full {
            timeline.more_after = false;
        }
        // A catch-up is ordered by position: a message's id, or its last change.
        let newest = messages.iter().map(HistoryItem::position).max();
        let first_held = timeline.first_id();
        for m in messages {
            // Scrollback shows old messages as they are now; only a catch-up's
            // changes are news past what was seen live.
            if !was_older && m.rev.is_some() {
                timeline.seen(m.position());
            }
            if timeline.update(&m) {
                continue;
            }
            // Only its change brought it: older than anything held, it would
            // leave a hole; scrollback brings it in its turn.
            if !was_older && m.rev.is_some() && first_held.is_some_and(|first| m.id < first) {
                continue;
            }
            self.next_key += 1;
            let own = my_id == Some(m.from_id);
            let kind = EntryKind::Public {
                from_id: m.from_id,
                from_name: m.from_name,
                own,
            };
            let mut entry = Entry::stored(self.next_key, Some(m.id), kind, m.content, m.timestamp);
            entry.deleted = m.deleted;
            entry.edited = m.edited_at.is_some();
            entry.rev = m.rev.unwrap_or(0);
            entry.reply_to = m.reply_to;
            entry.reactions = m.reactions;
            entry.attachments = m.attachments;
            timeline.insert(m.id, entry);
        }
        if (was_older && !full) || timeline.first_id() == Some(1) || timeline.first_id().is_none() {
            timeline.more_before = false;
        }
        let caught_up_page = previous_last.is_some_and(|last| newest.is_some_and(|n| n > last));
        (full && caught_up_page).then(|| history(room, None, newest))
    }

    /// The request for the messages after the newest held, when they were trimmed
    /// while the reader was scrolled far back.
    pub fn request_newer(&mut self) -> Option<ClientMessage> {
        let room = self.current.clone();
        let timeline = self.rooms.get_mut(&room)?;
        if timeline.loading_newer || !timeline.more_after {
            return None;
        }
        let after = timeline.last_id()?;
        timeline.loading_newer = true;
        Some(history(&room, None, Some(after)))
    }

    /// The request for older messages of the current room, if there are any to ask for.
    pub fn request_older(&mut self) -> Option<ClientMessage> {
        let room = self.current.clone();
        let timeline = self.rooms.get_mut(&room)?;
        if timeline.loading_older || !timeline.more_before {
            return None;
        }
        let before = timeline.first_id()?;
        timeline.loading_older = true;
        Some(history(&room, Some(before), None))
    }
}

pub(super) fn history(
    room: &str,
    before_id: Option<MessageId>,
    after_id: Option<MessageId>,
) -> ClientMessage {
    ClientMessage::GetHistory {
        room: room.to_owned(),
        before_id,
        after_id,
        limit: Some(MAX_HISTORY),
    }
}

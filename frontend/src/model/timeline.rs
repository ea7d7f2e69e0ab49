//! One room's timeline: messages ordered by server id, merged from live events,
//! history pages and catch-up replies without duplicates, plus local lines.

use super::{Delivery, Entry, EntryKind};
use confab_shared::server::UserInfo;
use confab_shared::{MessageId, UserId};
use std::collections::HashSet;

/// Most entries kept per room; the oldest are dropped (and can be loaded again).
pub const MAX_ENTRIES: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub entries: Vec<Entry>,
    ids: HashSet<MessageId>,
    /// Members of the room, as last told (in a big room, the first page of them).
    pub members: Vec<UserInfo>,
    /// Big rooms: how many members there are in all.
    pub total: Option<usize>,
    /// False once the server has no older messages to give.
    pub more_before: bool,
    /// An older page has been asked for and not yet arrived.
    pub loading_older: bool,
    /// The newest messages were trimmed to make room for older ones the reader
    /// scrolled back to: they are fetched again on the way back down.
    pub more_after: bool,
    /// A newer page has been asked for and not yet arrived.
    pub loading_newer: bool,
    /// Our read marker here; None until the server has told us.
    pub read_up_to: Option<MessageId>,
    /// The other members' read markers.
    pub markers: std::collections::BTreeMap<confab_shared::UserId, MessageId>,
    /// The "new messages" divider goes after this id (set when the room is shown).
    pub divider: Option<MessageId>,
    /// Only moderators may post here.
    pub read_only: bool,
    /// Who is typing here.
    pub typing: Vec<super::typing::Typist>,
    /// The furthest change (edit, deletion) seen, by its place in the room's
    /// sequence: with the newest id held, where a catch-up continues from.
    seen_rev: MessageId,
}

impl Default for Timeline {
    /// An empty timeline, assuming older messages may exist until told otherwise.
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            ids: HashSet::new(),
            members: Vec::new(),
            total: None,
            more_before: true,
            loading_older: false,
            more_after: false,
            loading_newer: false,
            read_up_to: None,
            markers: Default::default(),
            divider: None,
            read_only: false,
            typing: Vec::new(),
            seen_rev: 0,
        }
    }
}

impl Timeline {
    /// How many are in the room.
    pub fn member_count(&self) -> usize {
        self.total.unwrap_or(self.members.len())
    }

    /// Highest message id held: where a catch-up continues from.
    pub fn last_id(&self) -> Option<MessageId> {
        self.ids.iter().max().copied()
    }

    /// Where a catch-up continues from: past the newest message held and the
    /// furthest change seen.
    pub fn cursor(&self) -> Option<MessageId> {
        let changes = (self.seen_rev > 0).then_some(self.seen_rev);
        self.last_id().max(changes)
    }

    /// A change at `position` has been applied (or concerned nothing held).
    /// Not while the newest messages are trimmed: scrolling back down fetches
    /// them, and their changes with them, from the newest id held.
    pub fn seen(&mut self, position: MessageId) {
        if !self.more_after {
            self.seen_rev = self.seen_rev.max(position);
        }
    }

    /// Whether message `id` is held.
    pub fn holds(&self, id: MessageId) -> bool {
        self.ids.contains(&id)
    }

    /// Empties the timeline to show a stretch of the room's past (a jump to an
    /// old message): older and newer pages are then fetched as on scrollback,
    /// and live messages wait until the reader is back at the newest.
    pub fn show_window(&mut self) {
        self.entries.clear();
        self.ids.clear();
        self.more_before = true;
        self.more_after = true;
        self.loading_older = true;
        self.loading_newer = false;
        self.divider = None;
    }

    /// Lowest message id held: where scrollback continues from.
    pub fn first_id(&self) -> Option<MessageId> {
        self.ids.iter().min().copied()
    }

    /// Adds a message that just arrived live; false if it was already there, or if
    /// the newest messages are not held (see `more_after`): placing it would open a
    /// gap, so it comes with the rest when the reader scrolls back down.
    pub fn insert_live(&mut self, id: MessageId, entry: Entry) -> bool {
        if self.more_after {
            return false;
        }
        self.insert(id, entry)
    }

    /// Adds a stored message in id order; returns false if it was already there.
    pub fn insert(&mut self, id: MessageId, entry: Entry) -> bool {
        if !self.ids.insert(id) {
            return false;
        }
        // Usually the newest: append. Otherwise before the first message with a larger id.
        let at = self
            .entries
            .iter()
            .position(|e| e.id.is_some_and(|other| other > id))
            .unwrap_or(self.entries.len());
        self.entries.insert(
            at,
            Entry {
                id: Some(id),
                ..entry
            },
        );
        self.trim(at);
        true
    }

    /// Adds a line that has no server id (system notes, pending own messages).
    pub fn push_local(&mut self, entry: Entry) {
        self.entries.push(entry);
        self.trim(self.entries.len() - 1);
    }

    /// Confirms our own pending message by its transaction id; false if none waits.
    /// The stored copy says who sent it: a message kept from an earlier visit
    /// was put back before we knew (see `model::outbox`).
    pub fn confirm(
        &mut self,
        txn_id: &str,
        id: MessageId,
        time: i64,
        sender: (UserId, &str),
    ) -> bool {
        if self.ids.contains(&id) {
            // Already shown (a duplicate echo): just make sure it is not pending.
            self.entries
                .retain(|e| !e.awaits(txn_id) || e.id == Some(id));
            return true;
        }
        let Some(at) = self.entries.iter().position(|e| e.awaits(txn_id)) else {
            return false;
        };
        // It was shown where it was typed; once stored it takes its place in the one
        // order everyone sees (messages that arrived meanwhile may come before it).
        let mut entry = self.entries.remove(at);
        if let EntryKind::Public {
            from_id, from_name, ..
        } = &mut entry.kind
        {
            (*from_id, *from_name) = (sender.0, sender.1.to_owned());
        }
        self.insert(
            id,
            Entry {
                delivery: Delivery::Sent,
                time,
                ..entry
            },
        );
        true
    }

    pub fn entries_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.entries.iter_mut()
    }

    /// Keeps at most [`MAX_ENTRIES`], dropping from the end away from `inserted_at`:
    /// an older page inserted at the front must not be the first thing trimmed.
    fn trim(&mut self, inserted_at: usize) {
        let len = self.entries.len();
        if len <= MAX_ENTRIES {
            return;
        }
        let excess = len - MAX_ENTRIES;
        let from_the_back = inserted_at * 2 < len;
        let gone: Vec<Entry> = if from_the_back {
            self.more_after = true;
            self.entries.drain(len - excess..).collect()
        } else {
            self.more_before = true;
            self.entries.drain(..excess).collect()
        };
        for id in gone.into_iter().filter_map(|e| e.id) {
            self.ids.remove(&id);
        }
    }
}

impl Entry {
    /// A line as the server stored it (or sent it, for one without an id).
    pub(super) fn stored(
        key: u64,
        id: Option<MessageId>,
        kind: EntryKind,
        text: String,
        time: i64,
    ) -> Self {
        Entry {
            key,
            id,
            kind,
            text,
            time,
            delivery: Delivery::Sent,
            deleted: false,
            edited: false,
            rev: 0,
            reply_to: None,
            attachments: Vec::new(),
            reactions: Vec::new(),
        }
    }

    pub(super) fn awaits(&self, txn: &str) -> bool {
        matches!(&self.delivery, Delivery::Pending { txn_id } | Delivery::Failed { txn_id } if txn_id == txn)
    }

    pub fn is_own_public(&self) -> bool {
        matches!(self.kind, EntryKind::Public { own: true, .. })
    }
}

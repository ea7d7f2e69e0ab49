//! Read receipts: where we and the others in each room have read to, what is
//! unread, where the "new messages" divider goes, and "seen" in conversations.
//!
//! The server keeps our marker per room (for an account, across reloads and
//! devices); this side moves it when the newest message has been on screen, and
//! shows everyone else's under the last message each has read.

use super::{Chat, EntryKind, Timeline};
use confab_shared::client::ClientMessage;
use confab_shared::server::RoomReads;
use confab_shared::{MessageId, UserId};
use std::collections::BTreeMap;

/// Who has read up to an entry: their ids and names, by the entry's key.
pub type Readers = BTreeMap<u64, Vec<(UserId, String)>>;

impl Timeline {
    /// Messages from others past our marker, among those held. Zero until the
    /// server has told us our marker.
    pub fn unread(&self) -> u32 {
        self.unread_entries().count() as u32
    }

    /// The messages [`Timeline::unread`] counts.
    pub(super) fn unread_entries(&self) -> impl Iterator<Item = &super::Entry> {
        let marker = self.read_up_to;
        self.entries.iter().filter(move |e| {
            marker.is_some_and(|marker| e.id.is_some_and(|id| id > marker))
                && !e.deleted
                && matches!(e.kind, EntryKind::Public { own: false, .. })
        })
    }

    /// Moves our marker forward (never back).
    fn mark_read(&mut self, id: MessageId) {
        self.read_up_to = Some(self.read_up_to.map_or(id, |m| m.max(id)));
    }

    /// Puts the "new messages" divider after our marker, if anything is unread.
    pub(super) fn place_divider(&mut self) {
        self.divider = (self.unread() > 0).then_some(self.read_up_to).flatten();
    }
}

impl Chat {
    /// `reads`: with `read_up_to`, our marker and the others' for a room just
    /// joined (or `general` on connect); without, several readers that moved at
    /// once, as so many `read`s.
    pub(super) fn on_reads(&mut self, reads: RoomReads) {
        let Some(joined) = reads.read_up_to else {
            for marker in reads.markers {
                self.on_read(Some(reads.room.clone()), marker.user_id, marker.id);
            }
            return;
        };
        let current = self.current == reads.room;
        let Some(t) = self.rooms.get_mut(&reads.room) else {
            return;
        };
        t.mark_read(joined);
        t.markers = reads.markers.iter().map(|m| (m.user_id, m.id)).collect();
        if current && t.divider.is_none() {
            t.place_divider();
        }
    }

    /// `read`: someone (or we, in another tab) read up to `id` in `room`; with no
    /// room, the other side of a conversation has seen our messages up to `id`.
    pub(super) fn on_read(&mut self, room: Option<String>, user_id: UserId, id: MessageId) {
        let Some(room) = room else {
            return self.on_seen(user_id, id);
        };
        let me = self.my_id();
        let Some(t) = self.rooms.get_mut(&room) else {
            return;
        };
        if me == Some(user_id) {
            t.mark_read(id);
        } else {
            let marker = t.markers.entry(user_id).or_default();
            *marker = (*marker).max(id);
        }
    }

    fn on_seen(&mut self, user_id: UserId, id: MessageId) {
        let seen = |marker: &mut Option<MessageId>| {
            *marker = Some(marker.map_or(id, |m| m.max(id)));
        };
        if let Some(open) = self.conversation.as_mut().filter(|c| c.with_id == user_id) {
            seen(&mut open.seen_up_to);
        }
        if let Some(listed) = self.conversations.iter_mut().find(|c| c.with_id == user_id) {
            seen(&mut listed.seen_up_to);
        }
    }

    /// Whether the current room has a message past our marker (cheap: the view
    /// asks every second, and only then takes the chat to change it).
    pub fn read_pending(&self) -> bool {
        let t = self.timeline();
        !t.more_after
            && t.last_id()
                .is_some_and(|newest| t.read_up_to.is_none_or(|m| m < newest))
    }

    /// The `read` to send now that the current room's newest message is on
    /// screen, if it is past our marker; the marker moves at once.
    pub fn read_current(&mut self) -> Option<ClientMessage> {
        if !self.read_pending() {
            return None;
        }
        let room = self.current.clone();
        let t = self.rooms.get_mut(&room)?;
        let newest = t.last_id()?;
        t.mark_read(newest);
        Some(ClientMessage::Read { room, id: newest })
    }

    /// In the open conversation, our last message the other side has seen.
    pub fn seen_at(&self) -> Option<MessageId> {
        let open = self.conversation.as_ref()?;
        let seen = open.seen_up_to?;
        let me = self.my_id()?;
        let mine = open.messages.iter().rev().filter(|m| m.from_id == me);
        mine.map(|m| m.id).find(|id| *id <= seen)
    }

    /// The key of the first unread entry of the current room, which the "new
    /// messages" divider goes above.
    pub fn divider_key(&self) -> Option<u64> {
        let t = self.timeline();
        let after = t.divider?;
        t.entries
            .iter()
            .find(|e| e.id.is_some_and(|id| id > after) && !e.is_own_public())
            .map(|e| e.key)
    }

    /// Under which entry of the current room each other member present has
    /// read to: the last message held at or before its marker.
    pub fn readers(&self) -> Readers {
        let t = self.timeline();
        let stored: Vec<(MessageId, u64)> = t
            .entries
            .iter()
            .filter_map(|e| Some((e.id?, e.key)))
            .collect();
        let mut readers = Readers::new();
        for member in t.members.iter().filter(|m| Some(m.id) != self.my_id()) {
            let Some(&marker) = t.markers.get(&member.id) else {
                continue;
            };
            let at = stored.partition_point(|(id, _)| *id <= marker);
            if let Some((_, key)) = at.checked_sub(1).map(|i| stored[i]) {
                let who = (member.id, member.name.clone());
                readers.entry(key).or_default().push(who);
            }
        }
        readers
    }
}

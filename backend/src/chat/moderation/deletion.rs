//! Deleting a public message: its sender may, and so may any moderator. History
//! keeps a tombstone (id, sender, time; no text), so ids stay contiguous for
//! paging and a client that held the message knows what became of it.

use super::ModerationWrite;
use super::audit::entry;
use crate::chat::edits::Lookup;
use crate::chat::hub::Hub;
use crate::chat::now_unix;
use crate::chat::ports::StoredMessage;
use crate::chat::request::Followup;
use confab_shared::moderation::{AuditAction, AuditEntry};
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, MessageId, UserId};

impl Hub {
    /// `delete_message`: from memory if the room still holds the message, else
    /// after the store has found it ([`Hub::delete_found`]).
    pub(super) fn delete_message(
        &mut self,
        user: UserId,
        room: String,
        id: MessageId,
    ) -> Option<Followup> {
        match self.look_up(user, &room, id) {
            Lookup::Held(found) => self.delete_found(user, Some(*found)),
            Lookup::AskStore => return Some(Followup::Delete { user, room, id }),
            Lookup::Answered => {}
        }
        None
    }

    /// Deletes `found` (a message the store or memory holds) if `user` may.
    pub(crate) fn delete_found(&mut self, user: UserId, found: Option<StoredMessage>) {
        if !self.members.contains_key(&user) {
            return;
        }
        let Some(message) = found.filter(|m| !m.deleted) else {
            return self.send_error(user, ErrorCode::NotFound, "No such message");
        };
        let own = message.from_id == user;
        if !own && !self.members[&user].is_staff() {
            let text = "You may delete only your own messages";
            return self.send_error(user, ErrorCode::Forbidden, text);
        }
        let audit = (!own).then(|| AuditEntry {
            target_id: Some(message.from_id),
            target_name: Some(message.from_name.clone()),
            room: Some(message.room.clone()),
            message_id: Some(message.id),
            ..entry(
                AuditAction::DeleteMessage,
                Some(user),
                self.members[&user].name(),
            )
        });
        if let Some(entry) = &audit {
            super::audit::observe(entry);
        }
        let Some(r) = self.rooms.get_mut(&message.room) else {
            return self.no_such_room(user, &message.room);
        };
        // A place in the room's sequence, so a catch-up brings the tombstone.
        let rev = r.take_id();
        self.store_moderation(ModerationWrite::DeleteMessage {
            room: message.room,
            id: message.id,
            by: user,
            audit,
            rev,
        });
    }

    /// A deletion was stored (or not): the room's members hear of it, and so do
    /// moderators when it was a moderator's.
    pub(crate) fn deletion_committed(&mut self, write: &ModerationWrite, stored: bool) {
        let ModerationWrite::DeleteMessage {
            room,
            id,
            by,
            audit,
            rev,
        } = write
        else {
            return;
        };
        let (id, by, rev, audit) = (*id, *by, *rev, audit.as_ref());
        if !stored {
            let text = "Message not deleted (storage error); please retry";
            return self.send_error(by, ErrorCode::StorageError, text);
        }
        if let Some(r) = self.rooms.get_mut(room) {
            r.tombstone(id, rev);
        }
        let deleted = ServerMessage::MessageDeleted {
            room: room.to_owned(),
            id,
            rev: Some(rev),
            timestamp: now_unix(),
        };
        self.broadcast_room(room, &deleted, None);
        if let Some(entry) = audit {
            self.audit_committed(entry, true);
        }
    }
}

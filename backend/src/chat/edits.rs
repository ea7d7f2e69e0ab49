//! Editing a public message: its sender only (moderators delete, they do not
//! rewrite), with the same checks as posting (a muted sender may not, nor a
//! member in a read-only room). The edit takes the next id of the room's
//! sequence as its `rev`, so a client that was away gets it in its catch-up
//! with the messages it missed (see [`super::ports::Range::After`]).

use super::hub::Hub;
use super::now_unix;
use super::ports::{MessageEdit, StoredMessage, Write};
use super::request::Followup;
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, MessageId, UserId};

/// Where a message to change was found (see [`Hub::look_up`]).
pub(super) enum Lookup {
    Held(Box<StoredMessage>),
    AskStore,
    /// Not found; the user has been told.
    Answered,
}

impl Hub {
    /// `edit_message`: at once if the room still holds the message in memory,
    /// else once the store has found it ([`Hub::edit_found`]).
    pub(super) fn edit_message(
        &mut self,
        user: UserId,
        room: String,
        id: MessageId,
        content: String,
    ) -> Option<Followup> {
        match self.look_up(user, &room, id) {
            Lookup::Held(found) => self.edit_found(user, content, Some(*found)),
            Lookup::AskStore => {
                return Some(Followup::Edit {
                    user,
                    room,
                    id,
                    content,
                });
            }
            Lookup::Answered => {}
        }
        None
    }

    /// Message `id` of `room`, for a change to it: from memory if the room
    /// holds it; the store's to find if it may be older; else `user` is told
    /// there is no such room or message.
    pub(super) fn look_up(&mut self, user: UserId, room: &str, id: MessageId) -> Lookup {
        let Some(r) = self.rooms.get(room) else {
            self.no_such_room(user, room);
            return Lookup::Answered;
        };
        if let Some(found) = r.find(id) {
            return Lookup::Held(Box::new(found.clone()));
        }
        if id == 0 || id > r.last_id() {
            self.send_error(user, ErrorCode::NotFound, "No such message");
            return Lookup::Answered;
        }
        Lookup::AskStore
    }

    /// Queues the edit of `found` (a message the store or memory holds) if it is
    /// `user`'s own and `user` may post there now.
    pub(crate) fn edit_found(
        &mut self,
        user: UserId,
        content: String,
        found: Option<StoredMessage>,
    ) {
        if !self.members.contains_key(&user) {
            return;
        }
        let Some(message) = found.filter(|m| !m.deleted) else {
            return self.send_error(user, ErrorCode::NotFound, "No such message");
        };
        if message.from_id != user {
            let text = "You may edit only your own messages";
            return self.send_error(user, ErrorCode::Forbidden, text);
        }
        if !self.may_post(user, Some(&message.room), &content, &None) {
            return;
        }
        let Some(r) = self.rooms.get_mut(&message.room) else {
            return self.no_such_room(user, &message.room);
        };
        let rev = r.take_id();
        let edit = MessageEdit {
            room: message.room,
            id: message.id,
            content,
            edited_at: now_unix(),
            rev,
            by: user,
        };
        if self.persist.try_send(Write::Edit(edit)).is_err() {
            let text = "Server busy: edit not saved, please retry";
            self.send_error(user, ErrorCode::ServerBusy, text);
        }
    }

    /// A stored edit reaches everyone in the room; an unstored one is an error
    /// for its sender.
    pub(super) fn edit_committed(&mut self, edit: &MessageEdit, stored: bool) {
        if !stored {
            let text = "Edit not saved (storage error); please retry";
            return self.send_error(edit.by, ErrorCode::StorageError, text);
        }
        let Some(r) = self.rooms.get_mut(&edit.room) else {
            return;
        };
        r.edit(edit);
        let edited = ServerMessage::MessageEdited {
            room: edit.room.clone(),
            id: edit.id,
            content: edit.content.clone(),
            edited_at: edit.edited_at,
            rev: edit.rev,
            timestamp: now_unix(),
        };
        self.broadcast_room(&edit.room, &edited, None);
    }
}

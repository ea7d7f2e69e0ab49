//! Reactions: `react` toggles one emoji of the reacting user on a message of a
//! room it is in. Like an edit, each change takes the room's next id as its
//! `rev`, so a catch-up brings it; a message collects at most
//! [`MAX_REACTION_KINDS`] different emoji. A muted user may not react.

use super::edits::Lookup;
use super::hub::Hub;
use super::now_unix;
use super::ports::{ReactionChange, StoredMessage, Write, toggle_reaction};
use super::request::Followup;
use confab_shared::reactions::MAX_REACTION_KINDS;
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, MessageId, UserId};

impl Hub {
    /// `react`: at once if the room holds the message in memory, else once the
    /// store has found it ([`Hub::react_found`]).
    pub(super) fn react(
        &mut self,
        user: UserId,
        room: String,
        id: MessageId,
        emoji: String,
    ) -> Option<Followup> {
        if !self.rooms.contains_key(&room) {
            self.no_such_room(user, &room);
            return None;
        }
        let member = &self.members[&user];
        if !member.rooms.contains(&room) {
            let text = format!("You are not in room: {room}");
            self.send_error(user, ErrorCode::NotInRoom, &text);
            return None;
        }
        let address = member.role.is_none().then_some(member.peer);
        if let Some(mute) = self.sanctions.muted(user, address, Some(&room), now_unix()) {
            let until = mute.until;
            self.refuse_muted(user, until, None);
            return None;
        }
        match self.look_up(user, &room, id) {
            Lookup::Held(found) => self.react_found(user, emoji, Some(*found)),
            Lookup::AskStore => {
                return Some(Followup::React {
                    user,
                    room,
                    id,
                    emoji,
                });
            }
            Lookup::Answered => {}
        }
        None
    }

    /// Queues the toggle of `user`'s `emoji` on `found`.
    pub(crate) fn react_found(
        &mut self,
        user: UserId,
        emoji: String,
        found: Option<StoredMessage>,
    ) {
        if !self.members.contains_key(&user) {
            return;
        }
        let Some(mut message) = found.filter(|m| !m.deleted) else {
            return self.send_error(user, ErrorCode::NotFound, "No such message");
        };
        let mine = |r: &&super::ports::StoredReaction| r.emoji == emoji && r.users.contains(&user);
        let on = !message.reactions.iter().any(|r| mine(&r));
        let new_kind = !message.reactions.iter().any(|r| r.emoji == emoji);
        if on && new_kind && message.reactions.len() >= MAX_REACTION_KINDS {
            let text = format!("A message takes at most {MAX_REACTION_KINDS} different reactions");
            return self.send_error(user, ErrorCode::TooLarge, &text);
        }
        let count = toggle_reaction(&mut message.reactions, &emoji, user, on);
        let Some(r) = self.rooms.get_mut(&message.room) else {
            return self.no_such_room(user, &message.room);
        };
        let change = ReactionChange {
            room: message.room,
            id: message.id,
            emoji,
            user,
            on,
            count,
            rev: r.take_id(),
        };
        if self.persist.try_send(Write::React(change)).is_err() {
            let text = "Server busy: reaction not saved, please retry";
            self.send_error(user, ErrorCode::ServerBusy, text);
        }
    }

    /// A stored reaction reaches everyone in the room; an unstored one is an
    /// error for the one who reacted.
    pub(super) fn reaction_committed(&mut self, change: &ReactionChange, stored: bool) {
        if !stored {
            let text = "Reaction not saved (storage error); please retry";
            return self.send_error(change.user, ErrorCode::StorageError, text);
        }
        let Some(r) = self.rooms.get_mut(&change.room) else {
            return;
        };
        let count = r.react(change).unwrap_or(change.count);
        let reaction = ServerMessage::Reaction {
            room: change.room.clone(),
            id: change.id,
            emoji: change.emoji.clone(),
            user_id: change.user,
            on: change.on,
            count,
            rev: change.rev,
            timestamp: now_unix(),
        };
        self.broadcast_room(&change.room, &reaction, None);
    }
}

//! What each server frame does to the chat: [`Chat::apply`] dispatches, one
//! function per event.

use super::{Applied, Chat, Entry, EntryKind, MuteNotice, Removal};
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::server::RoomInfo;
use confab_shared::server::{
    ErrorBody, History, NameChanged, Presence, RoomCount, RoomJoined, RoomRef, ServerMessage,
    UserInfo, UserRenamed,
};
use confab_shared::{ErrorCode, MessageId, UnixSeconds, UserId};

/// A public message as it arrives.
struct Incoming {
    from_id: UserId,
    from_name: String,
    content: String,
    timestamp: UnixSeconds,
    txn_id: Option<String>,
    id: Option<MessageId>,
    room: Option<String>,
    reply_to: Option<MessageId>,
    attachments: Vec<confab_shared::attachments::Attachment>,
}

impl Chat {
    pub fn apply(&mut self, message: ServerMessage) -> Applied {
        let mut applied = Applied::default();
        match message {
            ServerMessage::Welcome { content, timestamp } => {
                self.on_welcome(content, timestamp, &mut applied)
            }
            ServerMessage::Users {
                content,
                room,
                total,
                ..
            } => self.on_users(content, room, total),
            ServerMessage::RoomCount { content, .. } => self.on_room_count(content),
            ServerMessage::History { content, .. } => self.on_history(content, &mut applied),
            ServerMessage::RoomJoined { content, timestamp } => {
                self.on_room_joined(content, timestamp)
            }
            ServerMessage::RoomLeft { content, .. } => self.on_room_left(content),
            ServerMessage::Rooms { content, .. } => self.directory = content,
            ServerMessage::RoomCreated { content, .. } => self.on_room_created(content),
            ServerMessage::Join {
                content,
                timestamp,
                room,
                ..
            } => self.on_join(content, timestamp, room),
            ServerMessage::Leave {
                content,
                timestamp,
                room,
                ..
            } => self.on_leave(content, timestamp, room),
            ServerMessage::Message {
                from_id,
                from_name,
                content,
                timestamp,
                txn_id,
                id,
                room,
                reply_to,
                attachments,
            } => {
                let incoming = Incoming {
                    reply_to,
                    attachments,
                    from_id,
                    from_name,
                    content,
                    timestamp,
                    txn_id,
                    id,
                    room,
                };
                self.on_message(incoming, &mut applied)
            }
            ServerMessage::NameChanged { content, timestamp } => {
                self.on_name_changed(content, timestamp)
            }
            ServerMessage::UserRenamed {
                content, timestamp, ..
            } => self.on_user_renamed(content, timestamp),
            ServerMessage::PrivateMessage {
                from_id,
                from_name,
                content,
                timestamp,
                id,
            } => self.on_private_in(from_id, from_name, content, timestamp, id, &mut applied),
            ServerMessage::PrivateMessageSent {
                to_id,
                to_name,
                content,
                timestamp,
                id,
            } => self.on_private_out(to_id, to_name, content, timestamp, id, &mut applied),
            ServerMessage::PrivateHistory { content, .. } => {
                self.on_private_history(content, &mut applied)
            }
            ServerMessage::Conversations { content, .. } => self.on_conversations(content),
            ServerMessage::Stats { .. } => {}
            ServerMessage::Kicked {
                by,
                reason,
                timestamp,
            } => {
                let removal = Removal {
                    banned: false,
                    by,
                    reason,
                    until: None,
                };
                self.on_removed(removal, timestamp);
            }
            ServerMessage::Banned {
                by,
                reason,
                until,
                timestamp,
            } => {
                let removal = Removal {
                    banned: true,
                    by,
                    reason,
                    until,
                };
                self.on_removed(removal, timestamp);
            }
            ServerMessage::Muted {
                by,
                reason,
                until,
                room,
                timestamp,
            } => {
                let mute = MuteNotice {
                    room,
                    until,
                    by,
                    reason,
                };
                self.on_muted(mute, timestamp);
            }
            ServerMessage::Unmuted { room, timestamp } => self.on_unmuted(room, timestamp),
            ServerMessage::MessageDeleted { room, id, rev, .. } => {
                self.on_message_deleted(&room, id, rev.unwrap_or(0))
            }
            ServerMessage::Reaction {
                room,
                id,
                emoji,
                user_id,
                on,
                count,
                rev,
                ..
            } => {
                let change = super::edits::ReactionEvent {
                    id,
                    emoji,
                    user_id,
                    on,
                    count,
                    rev,
                };
                self.on_reaction(&room, change)
            }
            ServerMessage::MessageEdited {
                room,
                id,
                content,
                rev,
                ..
            } => self.on_message_edited(&room, id, content, rev),
            ServerMessage::Read {
                room, user_id, id, ..
            } => self.on_read(room, user_id, id),
            ServerMessage::Reads { content, .. } => self.on_reads(content),
            ServerMessage::Typing {
                room,
                user_id,
                user_name,
                timestamp,
            } => self.on_typing(&room, user_id, user_name, timestamp),
            ServerMessage::RoleChanged {
                user_id,
                user_name,
                role,
                timestamp,
                ..
            } => self.on_role_changed(user_id, &user_name, role, timestamp),
            ServerMessage::Moderation { content, timestamp } => {
                self.on_moderation(content, timestamp)
            }
            ServerMessage::SearchResults { content, .. } => self.on_search_results(content),
            ServerMessage::Audit { content, .. } => {
                let first = !self.moderation.audit_paging;
                self.moderation.audit_paging = false;
                self.on_audit(content.entries, first);
            }
            ServerMessage::Error { content, timestamp } => self.on_error(content, timestamp),
        }
        applied
    }

    fn on_users(&mut self, users: Vec<UserInfo>, room: Option<String>, total: Option<usize>) {
        if let Some(t) = self.rooms.get_mut(room.as_deref().unwrap_or(DEFAULT_ROOM)) {
            t.members = users;
            t.total = total;
        }
    }

    fn on_room_count(&mut self, count: RoomCount) {
        if let Some(t) = self.rooms.get_mut(&count.room) {
            t.total = Some(count.users_online);
        }
    }

    fn on_history(&mut self, page: History, applied: &mut Applied) {
        let more = self.merge_history(&page.room, page.messages, page.truncated);
        if let Some(more) = self.jump_page_arrived(&page.room, more) {
            applied.send.push(more);
        }
    }

    fn on_room_joined(&mut self, joined: RoomJoined, timestamp: UnixSeconds) {
        let timeline = self.rooms.entry(joined.room.clone()).or_default();
        timeline.members = joined.users;
        timeline.total = joined.total_users;
        timeline.read_only = joined.read_only;
        self.merge_history(&joined.room, joined.history, false);
        if self.opening.as_deref() == Some(joined.room.as_str()) {
            self.opening = None;
            self.current = joined.room.clone();
            self.note(format!("You joined #{}", joined.room), timestamp);
        }
    }

    fn on_room_left(&mut self, left: RoomRef) {
        self.rooms.remove(&left.room);
        if self.current == left.room {
            self.current = self
                .rooms
                .keys()
                .next()
                .cloned()
                .unwrap_or_else(|| DEFAULT_ROOM.into());
            self.rooms.entry(self.current.clone()).or_default();
        }
    }

    fn on_room_created(&mut self, created: RoomRef) {
        if !self.directory.iter().any(|r| r.name == created.room) {
            self.directory.push(RoomInfo {
                name: created.room,
                members: 0,
                read_only: created.read_only,
            });
        }
    }

    fn on_join(&mut self, who: Presence, timestamp: UnixSeconds, room: Option<String>) {
        let room = room.unwrap_or_else(|| DEFAULT_ROOM.into());
        let Some(t) = self.rooms.get_mut(&room) else {
            return;
        };
        if !t.members.iter().any(|u| u.id == who.user_id) {
            t.members.push(UserInfo {
                id: who.user_id,
                name: who.user_name.clone(),
                connected_at: timestamp,
                role: who.role,
            });
        }
        let text = format!("{} joined", who.user_name);
        self.line_in(&room, EntryKind::System, text, timestamp);
    }

    fn on_leave(&mut self, who: Presence, timestamp: UnixSeconds, room: Option<String>) {
        let room = room.unwrap_or_else(|| DEFAULT_ROOM.into());
        self.typing_stopped(&room, who.user_id);
        let Some(t) = self.rooms.get_mut(&room) else {
            return;
        };
        t.members.retain(|u| u.id != who.user_id);
        let mut text = format!("{} left", who.user_name);
        let gone = !self
            .rooms
            .values()
            .any(|t| t.members.iter().any(|u| u.id == who.user_id));
        if gone
            && self
                .private_to
                .as_ref()
                .is_some_and(|(id, _)| *id == who.user_id)
        {
            self.private_to = None;
            text.push_str("; private chat ended");
        }
        self.line_in(&room, EntryKind::System, text, timestamp);
    }

    fn on_message(&mut self, m: Incoming, applied: &mut Applied) {
        let room = m.room.unwrap_or_else(|| DEFAULT_ROOM.into());
        self.typing_stopped(&room, m.from_id);
        let own = self.my_id() == Some(m.from_id);
        let Some(t) = self.rooms.get_mut(&room) else {
            return;
        };
        let sender = (m.from_id, m.from_name.as_str());
        if let (Some(txn), Some(id), true) = (&m.txn_id, m.id, own)
            && t.confirm(txn, id, m.timestamp, sender)
        {
            return;
        }
        self.next_key += 1;
        let (from_name, content) = (m.from_name.clone(), m.content.clone());
        let kind = EntryKind::Public {
            from_id: m.from_id,
            from_name: m.from_name,
            own,
        };
        let mut entry = Entry::stored(self.next_key, m.id, kind, m.content, m.timestamp);
        (entry.reply_to, entry.attachments) = (m.reply_to, m.attachments);
        let added = match m.id {
            Some(id) => t.insert_live(id, entry),
            None => {
                t.push_local(entry);
                true
            }
        };
        applied.incoming |= added && !own;
        if added && !own {
            self.notice_mention(&room, &from_name, &content, applied);
        }
    }

    fn on_name_changed(&mut self, changed: NameChanged, timestamp: UnixSeconds) {
        if let Some(me) = self.me.as_mut() {
            me.name = changed.new_name.clone();
            let id = me.id;
            self.rename_member(id, &changed.new_name);
        }
        self.chosen_name = Some(changed.new_name.clone());
        self.name_error = None;
        self.note(format!("You are now {}", changed.new_name), timestamp);
    }

    fn on_user_renamed(&mut self, renamed: UserRenamed, timestamp: UnixSeconds) {
        self.rename_member(renamed.user_id, &renamed.new_name);
        if let Some((id, name)) = self.private_to.as_mut()
            && *id == renamed.user_id
        {
            *name = renamed.new_name.clone();
        }
        let text = format!("{} is now {}", renamed.old_name, renamed.new_name);
        self.note(text, timestamp);
    }

    fn on_error(&mut self, error: ErrorBody, timestamp: UnixSeconds) {
        if let Some(txn) = &error.txn_id {
            self.fail(txn);
        }
        match error.code {
            Some(ErrorCode::InvalidName | ErrorCode::NameTaken) => {
                self.name_error = Some(error.message.clone());
            }
            // Whatever kept a room from opening, the form stops waiting.
            Some(
                ErrorCode::NotFound
                | ErrorCode::RoomExists
                | ErrorCode::InvalidRoom
                | ErrorCode::TooManyRooms
                | ErrorCode::RateLimited
                | ErrorCode::ServerBusy
                | ErrorCode::StorageError,
            ) => self.opening = None,
            Some(ErrorCode::SignInRequired) => self.sign_in_required = true,
            // Refused at the door: no reconnecting until the user chooses to.
            Some(ErrorCode::Banned) => {
                self.moderation.removed = Some(Removal {
                    banned: true,
                    by: String::new(),
                    reason: error.message.clone(),
                    until: error.until,
                });
            }
            _ => {}
        }
        let room = self.current.clone();
        self.line_in(&room, EntryKind::Error, error.message, timestamp);
    }
}

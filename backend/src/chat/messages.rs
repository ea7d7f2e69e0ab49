//! Public messages (stored, then broadcast) and private ones (delivered at once).

use super::hub::Hub;
use super::now_unix;
use super::ports::{StoredMessage, Write};
use super::request::Followup;
use super::session::Txn;
use confab_shared::attachments::Attachment;
use confab_shared::server::{ErrorBody, ServerMessage};
use confab_shared::{ErrorCode, MessageId, UserId};
use std::sync::Arc;
use tokio::sync::mpsc::error::TrySendError;

/// What a sender posts: its words, what it answers, and its images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub content: String,
    pub reply_to: Option<MessageId>,
    pub attachments: Vec<Attachment>,
}

impl Hub {
    /// Assigns the message its id and queues it for storage. Nobody sees it until it
    /// is stored ([`Hub::committed`]). A resend of a known (room, `txn_id`) is not
    /// queued again: if stored, the sender gets the stored message again as its echo.
    /// Its images, if any, have been checked ([`Hub::public_message`]).
    pub(super) fn post_message(
        &mut self,
        user: UserId,
        post: Post,
        txn_id: Option<String>,
        room: String,
    ) -> Option<Followup> {
        let Post {
            content,
            reply_to,
            attachments,
        } = post;
        let member = self
            .members
            .get_mut(&user)
            .expect("caller checked membership");
        if !member.rooms.contains(&room) {
            let text = format!("You are not in room: {room}");
            self.send_txn_error(user, ErrorCode::NotInRoom, text, txn_id);
            return None;
        }
        let known = self.knows_txn(user, &room, txn_id.as_deref());
        // A reply names a message of this room that exists (or existed: a
        // deleted one's tombstone is still there to point at).
        if reply_to.is_some_and(|to| to == 0 || to > self.rooms[&room].last_id()) {
            let text = "No such message to reply to".to_owned();
            self.send_txn_error(user, ErrorCode::NotFound, text, txn_id);
            return None;
        }
        // Flood control counts repeats of what is shown: the same words with
        // other images are another message.
        let shown = repeat_key(&content, &attachments);
        if !known && !self.may_post(user, Some(&room), &shown, &txn_id) {
            return None;
        }
        let member = &self.members[&user];
        match txn_id.as_deref().and_then(|t| member.txns.get(&room, t)) {
            Some(Txn::InFlight) => return None,
            Some(Txn::Stored(id)) => {
                let txn_id = txn_id.expect("matched a txn");
                let Some(stored) = self.rooms[&room].find(id) else {
                    return Some(Followup::Echo {
                        user,
                        room,
                        id,
                        txn_id,
                    });
                };
                let echo = echo(stored, Some(txn_id));
                self.send(user, &echo);
                return None;
            }
            None => {}
        }
        let (from_name, session) = (member.name().to_owned(), member.session());
        let r = self.rooms.get_mut(&room).expect("members' rooms exist");
        // The message says more than a `typing` still waiting to be announced.
        r.typing.remove(&user);
        let id = r.take_id();
        let stored = Arc::new(StoredMessage {
            room,
            id,
            from_id: user,
            from_name,
            content,
            timestamp: now_unix(),
            txn_id: txn_id.clone(),
            session,
            deleted: false,
            edited_at: None,
            rev: 0,
            reply_to,
            reactions: Vec::new(),
            attachments,
        });
        match self.persist.try_send(Write::Message(stored.clone())) {
            Ok(()) => {
                let member = self.members.get_mut(&user).expect("checked above");
                member.in_flight += 1;
                // Its next `typing` is news again: others cleared the line on this message.
                member.last_typing = None;
                if let Some(txn) = &txn_id {
                    member.txns.set(&stored.room, txn, Txn::InFlight);
                }
            }
            Err(error) => {
                self.rooms
                    .get_mut(&stored.room)
                    .expect("checked above")
                    .return_id(id);
                let (code, text) = match error {
                    TrySendError::Full(_) => (
                        ErrorCode::ServerBusy,
                        "Server busy: message not saved, please retry",
                    ),
                    TrySendError::Closed(_) => (
                        ErrorCode::StorageError,
                        "Storage unavailable: message not saved",
                    ),
                };
                self.send_txn_error(user, code, text.into(), txn_id);
            }
        }
        None
    }

    /// Whether `user` already sent (room, `txn_id`): a resend.
    pub(super) fn knows_txn(&self, user: UserId, room: &str, txn_id: Option<&str>) -> bool {
        (txn_id.zip(self.members.get(&user))).is_some_and(|(t, m)| m.txns.get(room, t).is_some())
    }

    /// The group commit's outcome for one batch: broadcast what was stored, in the
    /// order it was queued; tell senders what was not.
    pub fn committed(&mut self, batch: &[Write], stored: bool) {
        for write in batch {
            match write {
                Write::Room { name, by, .. } => self.room_committed(name, *by, stored),
                Write::Moderation(write) => self.moderation_committed(write, stored),
                Write::Edit(edit) => self.edit_committed(edit, stored),
                Write::React(change) => self.reaction_committed(change, stored),
                Write::ArchiveRoom { .. } | Write::Session(_) | Write::RoomReads(_) => {}
                Write::PrivateRead {
                    user,
                    with_id,
                    up_to,
                } => {
                    if stored {
                        self.private_read_committed(*user, *with_id, *up_to);
                    }
                }
                Write::Private(message) => {
                    self.private_committed(message, stored);
                    self.acknowledged(message.from_id);
                }
                Write::Message(message) => {
                    if stored {
                        self.deliver(message);
                    } else {
                        self.not_stored(message);
                    }
                    self.acknowledged(message.from_id);
                }
            }
        }
    }

    /// One of `user`'s messages is settled; a member closing for cause leaves once
    /// none is left (see [`Hub::close_after_acks`]).
    fn acknowledged(&mut self, user: UserId) {
        let Some(member) = self.members.get_mut(&user) else {
            return;
        };
        member.in_flight = member.in_flight.saturating_sub(1);
        if member.in_flight > 0 {
            return;
        }
        let leaving: Vec<u64> = member
            .links
            .iter()
            .filter(|l| l.leaving)
            .map(|l| l.conn)
            .collect();
        for conn in leaving {
            self.drop_link(user, conn, None);
        }
    }

    fn not_stored(&mut self, message: &StoredMessage) {
        if let (Some(txn), Some(member)) = (&message.txn_id, self.members.get_mut(&message.from_id))
        {
            member.txns.forget(&message.room, txn);
        }
        let text = "Message not saved (storage error); please retry".to_string();
        let txn = message.txn_id.clone();
        self.send_txn_error(message.from_id, ErrorCode::StorageError, text, txn);
    }

    fn deliver(&mut self, message: &Arc<StoredMessage>) {
        let Some(room) = self.rooms.get_mut(&message.room) else {
            return;
        };
        room.remember(message.clone());
        self.bus.publish(message);
        let sender = message.from_id;
        let with_txn = message.txn_id.is_some();
        // Everyone in the room, the sender included, gets it at this point in the
        // stream. Only the sender's copy carries its txn_id, so only then is it encoded twice.
        self.broadcast_room(
            &message.room,
            &echo(message, None),
            with_txn.then_some(sender),
        );
        if let (Some(txn), Some(member)) = (&message.txn_id, self.members.get_mut(&sender)) {
            member.txns.set(&message.room, txn, Txn::Stored(message.id));
            if member.rooms.contains(&message.room) {
                self.send(sender, &echo(message, message.txn_id.clone()));
            }
        }
    }

    pub(super) fn send_txn_error(
        &mut self,
        user: UserId,
        code: ErrorCode,
        message: String,
        txn_id: Option<String>,
    ) {
        let error = ServerMessage::Error {
            content: ErrorBody {
                message,
                code: Some(code),
                txn_id,
                until: None,
                seconds_left: None,
            },
            timestamp: now_unix(),
        };
        self.send(user, &error);
    }
}

/// What flood control compares between a sender's messages.
fn repeat_key<'a>(content: &'a str, attachments: &[Attachment]) -> std::borrow::Cow<'a, str> {
    if attachments.is_empty() {
        return content.into();
    }
    let urls = attachments.iter().map(|a| a.url.as_str());
    let mut key = content.to_owned();
    for url in urls {
        key.push('\n');
        key.push_str(url);
    }
    key.into()
}

/// The `message` event for a stored message, with `txn_id` only on the sender's copy.
pub(super) fn echo(message: &StoredMessage, txn_id: Option<String>) -> ServerMessage {
    ServerMessage::Message {
        from_id: message.from_id,
        from_name: message.from_name.clone(),
        content: message.content.clone(),
        timestamp: message.timestamp,
        txn_id,
        id: Some(message.id),
        room: Some(message.room.clone()),
        reply_to: message.reply_to,
        attachments: message.attachments.clone(),
    }
}

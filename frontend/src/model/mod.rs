//! The client's view of the chat as plain data: no signals, no DOM, so the rules
//! (who is where, which message is whose, what is still unconfirmed, what to ask
//! after a reconnect) are unit-tested natively. The UI keeps one `Chat` in a signal.

mod edits;
mod emoji;
mod events;
mod kept;
mod mentions;
mod moderation;
mod outbox;
mod paging;
mod private;
mod reads;
mod replies;
mod search;
mod timeline;
mod tray;
mod typing;
mod welcome;

pub use emoji::{EmojiSet, MAX_EMOJI_SUGGESTIONS, shortcode, shortcode_at};
pub use kept::Kept;
pub use mentions::{Notice, Piece, complete_mention, mention_at, pieces};
pub use moderation::{Moderation, MuteNotice, Removal};
pub use outbox::Outgoing;
pub use private::OpenConversation;
pub use reads::Readers;
pub use search::{Search, excerpt, highlight};
pub use timeline::Timeline;
pub use tray::{Tray, TrayItem, TrayState};

use confab_shared::attachments::Attachment;
use confab_shared::client::ClientMessage;
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::server::RoomInfo;
use confab_shared::{MessageId, UnixSeconds, UserId};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub id: UserId,
    pub name: String,
    /// Signed in to an account (its name is the account's); false for a guest.
    pub signed_in: bool,
    /// An account's role; None for a guest.
    pub role: Option<confab_shared::api::Role>,
}

/// Who a line in a timeline came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    Public {
        from_id: UserId,
        from_name: String,
        own: bool,
    },
    PrivateIn {
        from_id: UserId,
        from_name: String,
    },
    PrivateOut {
        to_id: UserId,
        to_name: String,
    },
    System,
    Error,
}

/// Where one of our own public messages stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Stored by the server (or not ours to confirm).
    Sent,
    /// Waiting for the server's echo; resent after a reconnect.
    Pending { txn_id: String },
    /// Refused or unanswered; the user may retry.
    Failed { txn_id: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable, unique render key.
    pub key: u64,
    /// The server's id, for stored public messages.
    pub id: Option<MessageId>,
    pub kind: EntryKind,
    pub text: String,
    pub time: UnixSeconds,
    pub delivery: Delivery,
    /// Deleted by its sender or a moderator: shown as removed, its text gone.
    pub deleted: bool,
    /// Edited by its sender: shown "(edited)".
    pub edited: bool,
    /// Where its last change stands in the room's sequence (0: never changed):
    /// an older copy of the message never overwrites a newer one.
    pub rev: MessageId,
    /// The message of the room it answers.
    pub reply_to: Option<MessageId>,
    /// Its reactions, with counts.
    pub reactions: Vec<confab_shared::reactions::Reaction>,
    /// Its images.
    pub attachments: Vec<Attachment>,
}

/// What the connection should do after a frame is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Frames to send now (after a welcome: rename, rejoin, catch up, resend).
    pub send: Vec<ClientMessage>,
    /// We are in: the connection is up.
    pub welcomed: bool,
    /// Someone else said something (counts toward the tab's unread badge).
    pub incoming: bool,
    /// A mention of us, or a private message: worth a browser notification.
    pub notify: Option<Notice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    pub me: Option<Me>,
    /// From `welcome`; reconnecting with it keeps our id, name and rooms.
    pub resume_token: Option<String>,
    /// Rooms we are in, with their timelines.
    pub rooms: BTreeMap<String, Timeline>,
    /// Every room the server has, with member counts.
    pub directory: Vec<RoomInfo>,
    /// The room shown.
    pub current: String,
    /// The user chosen for private mode, by id and name.
    pub private_to: Option<(UserId, String)>,
    /// The nickname the user chose; set again after every reconnect.
    pub chosen_name: Option<String>,
    /// The last rename error, shown beside the name field.
    pub name_error: Option<String>,
    /// The server takes no guests (`sign_in_required`): the sign-in form stays up.
    pub sign_in_required: bool,
    /// Signed in: stored private conversations, the most recent first.
    pub conversations: Vec<confab_shared::server::Conversation>,
    /// The private conversation shown in place of the room, if any.
    pub conversation: Option<OpenConversation>,
    /// Mutes, a kick or ban, and (for moderators) the audit log.
    pub moderation: Moderation,
    /// A room the user asked to join; shown once joined.
    opening: Option<String>,
    /// The message of the current room the next one answers.
    pub replying_to: Option<MessageId>,
    /// The search panel: the last query and its results.
    pub search: Search,
    /// A message being brought into view (a search result clicked).
    jump: Option<search::Jump>,
    /// Where and when (ms) we last said `typing`.
    last_typing: Option<(String, u64)>,
    next_key: u64,
}

impl Chat {
    pub fn new(chosen_name: Option<String>) -> Self {
        Self {
            me: None,
            resume_token: None,
            rooms: BTreeMap::from([(DEFAULT_ROOM.to_owned(), Timeline::default())]),
            directory: Vec::new(),
            current: DEFAULT_ROOM.into(),
            private_to: None,
            chosen_name,
            name_error: None,
            sign_in_required: false,
            conversations: Vec::new(),
            conversation: None,
            moderation: Moderation::default(),
            opening: None,
            replying_to: None,
            search: Search::default(),
            jump: None,
            last_typing: None,
            next_key: 0,
        }
    }

    pub fn my_id(&self) -> Option<UserId> {
        self.me.as_ref().map(|m| m.id)
    }

    pub fn timeline(&self) -> &Timeline {
        self.rooms
            .get(&self.current)
            .expect("the current room is joined")
    }

    /// Shows `room` if joined; otherwise asks to join it (it is shown once joined).
    pub fn open_room(&mut self, room: &str) -> Option<ClientMessage> {
        if self.conversation.is_some() {
            self.close_conversation();
        }
        if let Some(t) = self.rooms.get_mut(room) {
            t.place_divider();
            self.current = room.to_owned();
            self.replying_to = None;
            return None;
        }
        self.opening = Some(room.to_owned());
        Some(ClientMessage::JoinRoom {
            room: room.to_owned(),
        })
    }

    /// Asks to create (and so join) a room, read-only for members if asked; it is
    /// shown once joined.
    pub fn create_room(&mut self, room: &str, read_only: bool) -> ClientMessage {
        self.opening = Some(room.to_owned());
        ClientMessage::CreateRoom {
            room: room.to_owned(),
            read_only,
        }
    }

    /// Adds our own message to the current room, shown at once, marked until stored.
    pub fn add_pending(
        &mut self,
        content: String,
        attachments: Vec<Attachment>,
        txn_id: String,
        now: UnixSeconds,
    ) -> ClientMessage {
        let (from_id, from_name) = self
            .me
            .as_ref()
            .map_or((0, String::new()), |m| (m.id, m.name.clone()));
        self.next_key += 1;
        let entry = Entry {
            key: self.next_key,
            id: None,
            kind: EntryKind::Public {
                from_id,
                from_name,
                own: true,
            },
            text: content.clone(),
            time: now,
            delivery: Delivery::Pending {
                txn_id: txn_id.clone(),
            },
            deleted: false,
            edited: false,
            rev: 0,
            reply_to: self.replying_to.take(),
            reactions: Vec::new(),
            attachments: attachments.clone(),
        };
        let reply_to = entry.reply_to;
        let room = self.current.clone();
        let timeline = self.rooms.get_mut(&room).expect("current room is joined");
        // Answering is having read: the divider has done its work.
        timeline.divider = None;
        timeline.push_local(entry);
        ClientMessage::Message {
            content,
            txn_id: Some(txn_id),
            room: Some(room),
            reply_to,
            attachments,
        }
    }

    /// Marks a message failed (refused, or unanswered while connected).
    pub fn fail(&mut self, txn_id: &str) {
        for entry in self.rooms.values_mut().flat_map(Timeline::entries_mut) {
            if entry.awaits(txn_id) {
                entry.delivery = Delivery::Failed {
                    txn_id: txn_id.to_owned(),
                };
            }
        }
    }

    /// Marks a message failed only if it is still waiting (its echo may have come).
    pub fn fail_if_pending(&mut self, txn_id: &str) {
        let waiting = self
            .rooms
            .values()
            .flat_map(|t| &t.entries)
            .any(|e| matches!(&e.delivery, Delivery::Pending { txn_id: t } if t == txn_id));
        if waiting {
            self.fail(txn_id);
        }
    }

    /// The connection dropped. Pending messages stay pending: they are resent, with
    /// the same txn_id, once we are back.
    pub fn connection_lost(&mut self, now: UnixSeconds) {
        self.note("Connection lost; reconnecting…", now);
    }

    /// Puts a failed message back to pending; returns the frame that resends it.
    pub fn retry(&mut self, key: u64) -> Option<ClientMessage> {
        for (room, timeline) in &mut self.rooms {
            if let Some(entry) = timeline.entries_mut().find(|e| e.key == key) {
                let Delivery::Failed { txn_id } = &entry.delivery else {
                    return None;
                };
                let txn_id = txn_id.clone();
                entry.delivery = Delivery::Pending {
                    txn_id: txn_id.clone(),
                };
                return Some(ClientMessage::Message {
                    content: entry.text.clone(),
                    txn_id: Some(txn_id),
                    room: Some(room.clone()),
                    reply_to: entry.reply_to,
                    attachments: entry.attachments.clone(),
                });
            }
        }
        None
    }

    /// A system line in the current room.
    pub fn note(&mut self, text: impl Into<String>, now: UnixSeconds) {
        let room = self.current.clone();
        self.line_in(&room, EntryKind::System, text.into(), now);
    }

    fn line_in(&mut self, room: &str, kind: EntryKind, text: String, time: UnixSeconds) {
        self.next_key += 1;
        let entry = Entry {
            key: self.next_key,
            id: None,
            kind,
            text,
            time,
            delivery: Delivery::Sent,
            deleted: false,
            edited: false,
            rev: 0,
            reply_to: None,
            reactions: Vec::new(),
            attachments: Vec::new(),
        };
        if let Some(t) = self.rooms.get_mut(room) {
            t.push_local(entry);
        }
    }

    fn rename_member(&mut self, id: UserId, name: &str) {
        for user in self.rooms.values_mut().flat_map(|t| t.members.iter_mut()) {
            if user.id == id {
                user.name = name.to_owned();
            }
        }
    }
}

#[cfg(test)]
mod tests;

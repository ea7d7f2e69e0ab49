//! Frames the server sends to clients.
//!
//! Shapes follow the tutorial's server exactly. Frames it sends to one client carry
//! `content` and `timestamp`; frames it broadcasts also carry `from_id` and
//! `from_name` at the top level (for `leave`, the sender is the system: id 0,
//! name "System").

use crate::api::Role;
use crate::attachments::Attachment;
use crate::error_code::ErrorCode;
use crate::moderation::{AuditEntry, AuditPage};
use crate::{MessageId, UnixSeconds, UserId};
use serde::{Deserialize, Serialize};

/// Sender id the tutorial uses for broadcasts that come from the server itself.
pub const SYSTEM_ID: UserId = 0;
/// Sender name paired with [`SYSTEM_ID`].
pub const SYSTEM_NAME: &str = "System";

/// A server→client frame. The `type` field selects the variant. Its
/// `Deserialize` is written out in `decode.rs`, for the client's size.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Welcome {
        content: Welcome,
        timestamp: UnixSeconds,
    },
    /// The online list, sent after `welcome` and in reply to `get_users`.
    Users {
        content: Vec<UserInfo>,
        timestamp: UnixSeconds,
        /// Confab extension: whose members these are.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        /// Confab extension, big rooms only: `content` is one page of this many
        /// members; ask `get_users` with `after_id` for the next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        total: Option<usize>,
    },
    /// Someone entered a room (or connected, for `general`); sent to its other members.
    Join {
        from_id: UserId,
        from_name: String,
        content: Presence,
        timestamp: UnixSeconds,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Someone left a room (or disconnected); sent to its members, from the system.
    Leave {
        from_id: UserId,
        from_name: String,
        content: Presence,
        timestamp: UnixSeconds,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// A public message, to everyone in its room including its sender. Sent only
    /// once the message is durable: the sender's copy is its acknowledgement.
    Message {
        from_id: UserId,
        from_name: String,
        content: String,
        timestamp: UnixSeconds,
        /// Only on the sender's own copy, when the sender supplied one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        txn_id: Option<String>,
        /// Confab extension: the message's id, increasing within its room.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        /// Confab extension: the id of the message (in the same room) this answers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<MessageId>,
        /// Confab extension: uploaded images.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    /// Stored messages of a room, oldest first: on connect (for `general`), and in
    /// reply to `get_history`.
    History {
        content: History,
        timestamp: UnixSeconds,
    },
    /// Every room, in reply to `list_rooms`.
    Rooms {
        content: Vec<RoomInfo>,
        timestamp: UnixSeconds,
    },
    /// A room was created; sent to everyone.
    RoomCreated {
        content: RoomRef,
        timestamp: UnixSeconds,
    },
    /// You are in the room now: its members and its latest history.
    RoomJoined {
        content: RoomJoined,
        timestamp: UnixSeconds,
    },
    /// A big room's member count changed (sent instead of each `join` and `leave`,
    /// at most twice a second).
    RoomCount {
        content: RoomCount,
        timestamp: UnixSeconds,
    },
    /// You left the room.
    RoomLeft {
        content: RoomRef,
        timestamp: UnixSeconds,
    },
    /// Your own rename succeeded.
    NameChanged {
        content: NameChanged,
        timestamp: UnixSeconds,
    },
    /// Someone else renamed themselves; `from_name` is already the new name.
    UserRenamed {
        from_id: UserId,
        from_name: String,
        content: UserRenamed,
        timestamp: UnixSeconds,
    },
    /// A private message to you.
    PrivateMessage {
        from_id: UserId,
        from_name: String,
        content: String,
        timestamp: UnixSeconds,
        /// Confab extension: between accounts, the stored message's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<MessageId>,
    },
    /// Confirmation that your private message was delivered (between accounts:
    /// stored, for the recipient to read now or when back).
    PrivateMessageSent {
        to_id: UserId,
        to_name: String,
        content: String,
        timestamp: UnixSeconds,
        /// Confab extension: between accounts, the stored message's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<MessageId>,
    },
    /// Confab extension: a page of a private conversation, newest last.
    PrivateHistory {
        content: PrivateHistory,
        timestamp: UnixSeconds,
    },
    /// Confab extension: your private conversations, most recent first.
    Conversations {
        content: Vec<Conversation>,
        timestamp: UnixSeconds,
    },
    Stats {
        content: Stats,
        timestamp: UnixSeconds,
    },
    /// A moderator removed you: every connection of yours gets this, then closes
    /// with 4003. You may come back.
    Kicked {
        by: String,
        reason: String,
        timestamp: UnixSeconds,
    },
    /// You are banned until `until` (absent: until lifted); then closed with 4003.
    Banned {
        by: String,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<UnixSeconds>,
        timestamp: UnixSeconds,
    },
    /// Your messages (in `room` only, if given) are refused until `until`.
    Muted {
        by: String,
        reason: String,
        until: UnixSeconds,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        timestamp: UnixSeconds,
    },
    /// Your mute ended (lifted, or run out).
    Unmuted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        timestamp: UnixSeconds,
    },
    /// Someone in `room` is composing (not sent to big rooms). Show it for
    /// [`crate::limits::TYPING_SHOWN_SECS`], or until they post or leave.
    Typing {
        room: String,
        user_id: UserId,
        user_name: String,
        timestamp: UnixSeconds,
    },
    /// Someone read up to message `id`: in `room` (not sent in big rooms), or, with
    /// no `room`, in your private conversation with `user_id` ("seen"). Coalesced:
    /// catching up on many messages is one event, and when several readers of a
    /// room moved within the same half second they come as one `reads`.
    Read {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        user_id: UserId,
        id: MessageId,
        timestamp: UnixSeconds,
    },
    /// Read markers of `room`. After `room_joined` (and after `general`'s history
    /// on connect): `read_up_to`, your own marker, for unread counts, and the
    /// markers of the others present (none in big rooms). Without `read_up_to`:
    /// several readers moved at once (as many `read` events would say; yours is
    /// among them if another tab of yours read).
    Reads {
        content: RoomReads,
        timestamp: UnixSeconds,
    },
    /// A message was deleted; history keeps only a tombstone.
    MessageDeleted {
        room: String,
        id: MessageId,
        /// Where the deletion stands in the room's sequence of ids (see
        /// [`HistoryItem::rev`]): a catch-up from before it brings the tombstone.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rev: Option<MessageId>,
        timestamp: UnixSeconds,
    },
    /// Its sender changed message `id`: show `content`, marked "(edited)".
    MessageEdited {
        room: String,
        id: MessageId,
        content: String,
        edited_at: UnixSeconds,
        /// As in `message_deleted`.
        rev: MessageId,
        timestamp: UnixSeconds,
    },
    /// Someone reacted to message `id` with `emoji` (`on`), or took it back:
    /// `count` is how many have that reaction now.
    Reaction {
        room: String,
        id: MessageId,
        emoji: String,
        user_id: UserId,
        on: bool,
        count: u32,
        /// As in `message_deleted`.
        rev: MessageId,
        timestamp: UnixSeconds,
    },
    /// An account's role changed; sent to everyone, for badges.
    RoleChanged {
        user_id: UserId,
        user_name: String,
        role: Role,
        by: String,
        timestamp: UnixSeconds,
    },
    /// Moderators and above: an action was just taken (by someone, or by flood
    /// control), as the audit log keeps it.
    Moderation {
        content: AuditEntry,
        timestamp: UnixSeconds,
    },
    /// The answer to `search`.
    SearchResults {
        content: crate::search::SearchResults,
        timestamp: UnixSeconds,
    },
    /// A page of the audit log, in reply to `get_audit`.
    Audit {
        content: AuditPage,
        timestamp: UnixSeconds,
    },
    Error {
        content: ErrorBody,
        timestamp: UnixSeconds,
    },
}

impl ServerMessage {
    /// The frame's JSON text.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("server messages always serialize")
    }

    /// An `error` frame with the given code and text.
    pub fn error(code: ErrorCode, message: impl Into<String>, timestamp: UnixSeconds) -> Self {
        ServerMessage::Error {
            content: ErrorBody {
                message: message.into(),
                code: Some(code),
                txn_id: None,
                until: None,
                seconds_left: None,
            },
            timestamp,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub user_id: UserId,
    pub user_name: String,
    pub message: String,
    pub server_stats: Stats,
    /// Confab extension: reconnect with `/ws?resume=TOKEN` within the grace period
    /// to keep this `user_id` and name, without a leave and join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_token: Option<String>,
    /// Confab extension: true when this connection resumed an earlier session.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resumed: bool,
    /// Confab extension: the account this connection signed in as; absent for a guest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountInfo>,
}

/// The account of a signed-in connection, as `welcome` tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub username: String,
    pub role: crate::api::Role,
}

/// One stored private message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateItem {
    pub id: MessageId,
    pub from_id: UserId,
    pub from_name: String,
    pub to_id: UserId,
    pub content: String,
    pub timestamp: UnixSeconds,
}

/// A page of the conversation with `with_id`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateHistory {
    pub with_id: UserId,
    pub messages: Vec<PrivateItem>,
}

/// One private conversation as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub with_id: UserId,
    pub with_name: String,
    pub last: PrivateItem,
    /// Messages from `with_id` after the last one you marked read.
    pub unread: u32,
    /// Confab extension: the last message `with_id` has read ("seen").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_up_to: Option<MessageId>,
}

mod content;
mod decode;
mod history;
pub use content::*;
pub use history::*;

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;

//! Frames a client sends to the server.
//!
//! [`decode`] is the only way the server reads a client frame. It never panics and
//! never gives up on a connection: every bad frame maps to a [`DecodeError`] whose
//! text is sent back in an `error` frame, and the connection carries on.

use crate::ErrorCode;
use crate::api::Role;
use crate::attachments::Attachment;
use crate::limits;
use crate::{MessageId, UserId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use thiserror::Error;

/// A client→server frame. The `type` field selects the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// `{"type":"message","content":"Hello"}`: a public message.
    ///
    /// `txn_id` (Confab extension) is chosen by the client and echoed back on the
    /// sender's copy, so a client can match the echo to the message it sent.
    Message {
        content: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        txn_id: Option<String>,
        /// Confab extension: the room to post in; `general` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        /// Confab extension: the id of the message (in the same room) this answers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<MessageId>,
        /// Confab extension: uploaded images (see [`crate::attachments`]). With
        /// any, `content` may be empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    /// `{"type":"set_name","name":"Ann"}`
    SetName {
        name: String,
    },
    /// `{"type":"private_message","to_id":2,"content":"hi"}`; `to_id` may also be `"2"`.
    PrivateMessage {
        #[serde(deserialize_with = "user_id_lenient")]
        to_id: UserId,
        content: String,
    },
    /// `{"type":"get_users"}`: the members of `room` (`general` when absent).
    GetUsers {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        /// Big rooms: the next page, after this user id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after_id: Option<UserId>,
    },
    /// `{"type":"get_stats"}`
    GetStats {},
    /// `{"type":"list_rooms"}`: every room, with its member count.
    ListRooms {},
    /// `{"type":"create_room","room":"books"}`. With `"read_only":true` (moderators
    /// and above), only moderators may post in it: announcements.
    CreateRoom {
        room: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        read_only: bool,
    },
    /// `{"type":"join_room","room":"random"}`: answered by `room_joined`.
    JoinRoom {
        room: String,
    },
    /// `{"type":"leave_room","room":"random"}`: answered by `room_left`.
    LeaveRoom {
        room: String,
    },
    /// Scrollback or catch-up: messages before `before_id`, or after `after_id`, or
    /// the latest when neither is given; at most `limit` (default and cap 100).
    GetHistory {
        room: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
    /// `{"type":"get_private_history","with_id":7}`: the stored private messages
    /// between you and account `with_id` (signed-in users only), the newest first
    /// page, or those before `before_id`; at most `limit` (default and cap 100).
    GetPrivateHistory {
        with_id: UserId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
    /// `{"type":"get_conversations"}`: your private conversations, newest first,
    /// each with its last message and how many of its messages you have not read.
    GetConversations {},
    /// `{"type":"mark_read","with_id":7,"id":42}`: you have read your conversation
    /// with `with_id` up to message `id`.
    MarkRead {
        with_id: UserId,
        id: MessageId,
    },
    /// Moderators: closes every connection of `user_id` with `kicked` (4003).
    Kick {
        user_id: UserId,
        #[serde(default)]
        reason: String,
    },
    /// Moderators: `user_id`'s messages (in `room` only, if given) are refused
    /// for `seconds`.
    Mute {
        user_id: UserId,
        seconds: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        #[serde(default)]
        reason: String,
    },
    Unmute {
        user_id: UserId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Moderators: the account (or a guest's address) may not connect or sign in,
    /// for `seconds` or until `unban`.
    Ban {
        user_id: UserId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seconds: Option<u64>,
        #[serde(default)]
        reason: String,
    },
    Unban {
        user_id: UserId,
    },
    /// A member deletes their own message; a moderator any.
    DeleteMessage {
        room: String,
        id: MessageId,
    },
    /// `{"type":"edit_message","room":"general","id":42,"content":"fixed"}`: your
    /// own message gets new text; everyone in the room sees it "(edited)".
    EditMessage {
        room: String,
        id: MessageId,
        content: String,
    },
    /// `{"type":"react","room":"general","id":42,"emoji":"👍"}`: adds your
    /// reaction to message `id`, or takes it back if you had made it.
    React {
        room: String,
        id: MessageId,
        emoji: String,
    },
    /// Owners and admins: gives account `user_id` a role.
    GrantRole {
        user_id: UserId,
        role: Role,
    },
    /// Owners and admins: makes account `user_id` a member again.
    RevokeRole {
        user_id: UserId,
    },
    /// `{"type":"typing","room":"general"}`: you are composing in `room` (`general`
    /// when absent). Send it at most every [`crate::limits::TYPING_EVERY_SECS`].
    Typing {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// `{"type":"read","room":"general","id":42}`: you have read `room` up to
    /// message `id`. The marker only moves forward; others in the room hear of it,
    /// coalesced, unless the room is big.
    Read {
        room: String,
        id: MessageId,
    },
    /// `{"type":"search","query":"lunch friday"}`: messages holding every word
    /// (any case, any order), newest first, at most 50, from `room` or from every
    /// room you are in; answered by `search_results` (see [`crate::search`]).
    Search {
        query: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// Owners and admins: a page of the audit log, newest first.
    GetAudit {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before_id: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
}

impl ClientMessage {
    /// The `type` this message goes by on the wire. Exhaustive on purpose: a new
    /// variant must name its tag here, and a test checks that every tag is in
    /// `KNOWN_TYPES` and agrees with serde's.
    pub fn tag(&self) -> &'static str {
        match self {
            ClientMessage::Message { .. } => "message",
            ClientMessage::SetName { .. } => "set_name",
            ClientMessage::PrivateMessage { .. } => "private_message",
            ClientMessage::GetUsers { .. } => "get_users",
            ClientMessage::GetStats {} => "get_stats",
            ClientMessage::ListRooms {} => "list_rooms",
            ClientMessage::CreateRoom { .. } => "create_room",
            ClientMessage::JoinRoom { .. } => "join_room",
            ClientMessage::LeaveRoom { .. } => "leave_room",
            ClientMessage::GetHistory { .. } => "get_history",
            ClientMessage::GetPrivateHistory { .. } => "get_private_history",
            ClientMessage::GetConversations {} => "get_conversations",
            ClientMessage::MarkRead { .. } => "mark_read",
            ClientMessage::Kick { .. } => "kick",
            ClientMessage::Mute { .. } => "mute",
            ClientMessage::Unmute { .. } => "unmute",
            ClientMessage::Ban { .. } => "ban",
            ClientMessage::Unban { .. } => "unban",
            ClientMessage::DeleteMessage { .. } => "delete_message",
            ClientMessage::GrantRole { .. } => "grant_role",
            ClientMessage::RevokeRole { .. } => "revoke_role",
            ClientMessage::GetAudit { .. } => "get_audit",
            ClientMessage::Typing { .. } => "typing",
            ClientMessage::Read { .. } => "read",
            ClientMessage::EditMessage { .. } => "edit_message",
            ClientMessage::React { .. } => "react",
            ClientMessage::Search { .. } => "search",
        }
    }

    /// The frame's JSON text.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("client messages always serialize")
    }
}

/// Why a client frame was refused. `Display` is the text for the `error` reply.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not JSON, not an object, or `type` missing or not a string.
    #[error("Invalid message format")]
    InvalidFormat,
    #[error("Unknown message type: {0}")]
    UnknownType(String),
    #[error(transparent)]
    Name(#[from] limits::NameError),
    #[error(transparent)]
    Content(#[from] limits::ContentError),
    #[error(transparent)]
    Room(#[from] limits::RoomError),
    /// `to_id` missing, malformed, or (reported later by the server) not online.
    #[error("User not found or offline")]
    UnknownRecipient,
    #[error("Invalid {kind}: {reason}")]
    InvalidField { kind: &'static str, reason: String },
}

impl DecodeError {
    /// The machine-readable code sent with this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            DecodeError::InvalidFormat => ErrorCode::InvalidFormat,
            DecodeError::UnknownType(_) => ErrorCode::UnknownType,
            DecodeError::Name(_) => ErrorCode::InvalidName,
            DecodeError::Content(limits::ContentError::TooLarge) => ErrorCode::TooLarge,
            DecodeError::Content(_) => ErrorCode::InvalidContent,
            DecodeError::Room(_) => ErrorCode::InvalidRoom,
            DecodeError::UnknownRecipient => ErrorCode::NotFound,
            DecodeError::InvalidField { .. } => ErrorCode::InvalidField,
        }
    }
}

/// Largest message or user id a client may name: ids are stored as SQLite's signed
/// 64-bit integers, and paging computes `id + 1`.
pub const MAX_ID: u64 = i64::MAX as u64;

const KNOWN_TYPES: [&str; 27] = [
    "message",
    "set_name",
    "private_message",
    "get_users",
    "get_stats",
    "list_rooms",
    "create_room",
    "join_room",
    "leave_room",
    "get_history",
    "get_private_history",
    "get_conversations",
    "mark_read",
    "kick",
    "mute",
    "unmute",
    "ban",
    "unban",
    "delete_message",
    "grant_role",
    "revoke_role",
    "get_audit",
    "typing",
    "read",
    "edit_message",
    "react",
    "search",
];

/// Parses and validates one text frame from a client.
///
/// Names come back trimmed; content comes back exactly as sent.
pub fn decode(text: &str) -> Result<ClientMessage, DecodeError> {
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
        return Err(DecodeError::InvalidFormat);
    };
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        _ => return Err(DecodeError::InvalidFormat),
    };
    let Some(&kind) = KNOWN_TYPES.iter().find(|known| **known == kind) else {
        return Err(DecodeError::UnknownType(truncate(&kind, 64)));
    };
    // The tutorial answers any `to_id` that names nobody (missing, malformed) with
    // "User not found or offline": check it on its own rather than read it out of
    // serde's error text.
    if kind == "private_message" && object.get("to_id").and_then(lenient_user_id).is_none() {
        return Err(DecodeError::UnknownRecipient);
    }
    let message = serde_json::from_value::<ClientMessage>(Value::Object(object))
        .map_err(|e| field_error(kind, &e))?;
    validate(message)
}

fn field_error(kind: &'static str, error: &serde_json::Error) -> DecodeError {
    match kind {
        // The tutorial answers a missing or non-string name with its length error.
        "set_name" => limits::NameError::Length.into(),
        _ => DecodeError::InvalidField {
            kind,
            reason: truncate(&error.to_string(), 120),
        },
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// Accepts `2`, `2.0` or `"2"`, as the tutorial's `tonumber(msg.to_id)` does.
fn user_id_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<UserId, D::Error> {
    use serde::de::Error;
    let value = Value::deserialize(deserializer)?;
    lenient_user_id(&value).ok_or_else(|| D::Error::custom("to_id must be a user id"))
}

fn lenient_user_id(value: &Value) -> Option<UserId> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse::<UserId>().ok(),
        _ => None,
    }
}

mod validate;
use validate::validate;

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "client_rich_tests.rs"]
mod rich_tests;

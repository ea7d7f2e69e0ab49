//! The small records inside server frames: rooms, members, presence, errors.

use super::HistoryItem;
use crate::api::Role;
use crate::error_code::ErrorCode;
use crate::{MessageId, UnixSeconds, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomInfo {
    pub name: String,
    pub members: usize,
    /// Confab extension: only moderators may post here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRef {
    pub room: String,
    /// Confab extension, on `room_created`: only moderators may post here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomJoined {
    pub room: String,
    /// All members, or in a big room the first page of them.
    pub users: Vec<UserInfo>,
    pub history: Vec<HistoryItem>,
    /// Big rooms only: how many members there are in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_users: Option<usize>,
    /// Only moderators may post here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCount {
    pub room: String,
    pub users_online: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub users_online: usize,
    pub uptime_seconds: u64,
    /// Server local time, `YYYY-MM-DD HH:MM:SS`.
    pub server_time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: UserId,
    pub name: String,
    pub connected_at: UnixSeconds,
    /// Confab extension: an account's role, sent for moderators and above (badges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub user_id: UserId,
    pub user_name: String,
    pub users_online: usize,
    /// Confab extension: as in [`UserInfo`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameChanged {
    pub old_name: String,
    pub new_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRenamed {
    pub user_id: UserId,
    pub old_name: String,
    pub new_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub message: String,
    /// Confab extension: what went wrong, for programs (the text is for people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    /// Confab extension: the `txn_id` of the message this error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_id: Option<String>,
    /// Confab extension, `muted` and `banned`: when it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<UnixSeconds>,
    /// Confab extension, `muted`: seconds left until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_left: Option<u64>,
}

/// Read markers of one room, as `reads` carries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomReads {
    pub room: String,
    /// Your own marker: messages after it are unread. Absent when this frame only
    /// tells of readers who moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_up_to: Option<MessageId>,
    /// The other members present and the last message each has read.
    pub markers: Vec<ReadMarker>,
}

/// The last message `user_id` has read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadMarker {
    pub user_id: UserId,
    pub id: MessageId,
}

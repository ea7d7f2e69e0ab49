//! Moderation on the wire: the audit log's entries, and the bounds on what a
//! moderator may send (reasons, durations).
//!
//! The actions themselves are [`crate::client::ClientMessage`] variants (`kick`,
//! `mute`, `unmute`, `ban`, `unban`, `delete_message`, `grant_role`,
//! `revoke_role`, `get_audit`); what they cause are
//! [`crate::server::ServerMessage`] variants (`kicked`, `muted`, `unmuted`,
//! `banned`, `message_deleted`, `role_changed`, `moderation`, `audit`).

use crate::api::Role;
use crate::{MessageId, UnixSeconds, UserId};
use serde::{Deserialize, Serialize};

/// Longest reason a moderator may give, in characters.
pub const MAX_REASON_CHARS: usize = 200;
/// Longest mute: thirty days.
pub const MAX_MUTE_SECONDS: u64 = 30 * 24 * 3600;
/// Longest ban with an end; a ban without `seconds` lasts until lifted.
pub const MAX_BAN_SECONDS: u64 = 10 * 365 * 24 * 3600;
/// Most audit entries in one `audit` page.
pub const MAX_AUDIT_PAGE: u32 = 100;

/// What was done, as an audit entry names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Kick,
    Mute,
    Unmute,
    Ban,
    Unban,
    DeleteMessage,
    GrantRole,
}

impl AuditAction {
    pub const ALL: [AuditAction; 7] = [
        AuditAction::Kick,
        AuditAction::Mute,
        AuditAction::Unmute,
        AuditAction::Ban,
        AuditAction::Unban,
        AuditAction::DeleteMessage,
        AuditAction::GrantRole,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Kick => "kick",
            AuditAction::Mute => "mute",
            AuditAction::Unmute => "unmute",
            AuditAction::Ban => "ban",
            AuditAction::Unban => "unban",
            AuditAction::DeleteMessage => "delete_message",
            AuditAction::GrantRole => "grant_role",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// One moderation action, by a person or by the server itself (`automatic`):
/// who, whom, what, why and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its place in the log; absent on the live `moderation` event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    pub at: UnixSeconds,
    pub action: AuditAction,
    /// Who acted: absent for the server itself and for the command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_id: Option<UserId>,
    pub by_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// `delete_message`: which message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    #[serde(default)]
    pub reason: String,
    /// A mute's or ban's end; absent for a ban without end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<UnixSeconds>,
    /// `grant_role`: the role given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Done by the server's flood control, not by a person.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub automatic: bool,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
}

/// A reason trimmed, and no longer than [`MAX_REASON_CHARS`].
pub fn validate_reason(reason: &str) -> Result<String, String> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!("a reason is at most {MAX_REASON_CHARS} characters"));
    }
    if reason.chars().any(char::is_control) {
        return Err("a reason is one line of text".into());
    }
    Ok(reason.to_owned())
}

/// A duration in seconds within `1..=max`.
pub fn validate_seconds(seconds: u64, max: u64) -> Result<u64, String> {
    match seconds {
        1.. if seconds <= max => Ok(seconds),
        _ => Err(format!("seconds must be between 1 and {max}")),
    }
}

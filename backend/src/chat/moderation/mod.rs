//! Moderation: roles, and what moderators do to users and messages.
//!
//! Every check is here, on the server; a client only hides what its role cannot
//! do. Mutes and bans live in memory ([`Sanctions`], checked on every message and
//! every upgrade without a query) and in the store, through the same group commit
//! as messages, so they survive restarts. Every action, and every one flood
//! control takes by itself, is written to the audit log; once stored, online
//! moderators see it as a `moderation` event.

mod actions;
mod audit;
mod deletion;
mod flood;
mod roles;
mod sanctions;

pub use audit::entry as audit_entry;
pub use confab_shared::moderation::{may_grant, may_moderate};
pub use flood::Flood;
pub use sanctions::Sanctions;

use confab_shared::api::Role;
use confab_shared::moderation::AuditEntry;
use confab_shared::{MessageId, UnixSeconds, UserId};
use std::net::IpAddr;

/// A mute: `user_id`'s messages (in `room` only, if set) are refused until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    pub user_id: UserId,
    /// Its name when muted: a guest that left can still be found to unmute.
    pub name: String,
    pub room: Option<String>,
    /// A guest's address: another guest from there is muted too (a guest that
    /// reconnects without its token gets a new id).
    pub address: Option<IpAddr>,
    pub until: UnixSeconds,
    pub reason: String,
    pub by_name: String,
}

/// A ban: the account `user_id`, or for a guest its `address`, may not connect or
/// sign in until `until` (None: until lifted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    pub user_id: UserId,
    pub name: String,
    pub address: Option<IpAddr>,
    pub until: Option<UnixSeconds>,
    pub reason: String,
    pub by_name: String,
}

impl Ban {
    pub fn in_force(&self, now: UnixSeconds) -> bool {
        self.until.is_none_or(|until| until > now)
    }

    /// What a banned user is told, at the upgrade and at sign-in.
    pub fn notice(&self) -> String {
        let until = match self.until {
            Some(until) => format!("until {}", format_time(until)),
            None => "until lifted".into(),
        };
        match self.reason.as_str() {
            "" => format!("You are banned {until}"),
            reason => format!("You are banned {until}: {reason}"),
        }
    }
}

/// A moment as people read it in notices: UTC, to the minute.
pub fn format_time(at: UnixSeconds) -> String {
    chrono::DateTime::from_timestamp(at, 0).map_or_else(
        || at.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// What moderation stores, queued with everything else for the group commit.
#[derive(Debug, Clone)]
pub enum ModerationWrite {
    Mute(Mute),
    Unmute {
        user_id: UserId,
        room: Option<String>,
    },
    Ban(Ban),
    Unban {
        user_id: UserId,
    },
    Role {
        user_id: UserId,
        role: Role,
        /// When, in ms since the epoch (see `Account::role_changed_ms`).
        at_ms: i64,
    },
    /// Replaces the message's content with a tombstone. `by` asked; `audit` is
    /// stored with it when a moderator deleted someone else's message.
    DeleteMessage {
        room: String,
        id: MessageId,
        by: UserId,
        audit: Option<AuditEntry>,
        /// The id the room's sequence gave this change.
        rev: MessageId,
    },
    Audit(AuditEntry),
}

/// A wait as people say it: "45 seconds", "3 minutes", "2 hours", "5 days".
pub fn format_wait(seconds: u64) -> String {
    let (n, unit) = match seconds {
        0..120 => (seconds, "second"),
        120..7_200 => (seconds.div_ceil(60), "minute"),
        7_200..172_800 => (seconds.div_ceil(3_600), "hour"),
        _ => (seconds.div_ceil(86_400), "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

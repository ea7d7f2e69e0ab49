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

// Who may act on whom: pure rules, the same on the server (which enforces them)
// and in the client (which only offers what they allow).
//
// A role acts only on users below it: a moderator on members and guests, an
// admin also on moderators, an owner also on admins. Nobody acts on a peer or
// on themselves, so two moderators cannot mute each other into silence.

/// Guests rank below every account.
fn rank(role: Option<Role>) -> u8 {
    role.map_or(0, |role| role as u8 + 1)
}

/// Whether `actor` may kick, mute or ban (and lift those from) `target`.
pub fn may_moderate(actor: Option<Role>, target: Option<Role>) -> bool {
    actor.is_some_and(Role::is_staff) && rank(actor) > rank(target)
}

/// Whether `actor` may change an account from role `from` to role `to`. Owners
/// may give any role to anyone else, other owners included; admins may move
/// accounts below them between roles below them.
pub fn may_grant(actor: Option<Role>, from: Role, to: Role) -> bool {
    match actor {
        Some(Role::Owner) => true,
        Some(Role::Admin) => from < Role::Admin && to < Role::Admin,
        _ => false,
    }
}

#[cfg(test)]
mod permission_tests {
    use super::*;
    use Role::*;

    #[test]
    fn each_role_acts_only_below_itself() {
        let roles = [
            None,
            Some(Member),
            Some(Moderator),
            Some(Admin),
            Some(Owner),
        ];
        for actor in roles {
            for target in roles {
                let expected = matches!(
                    (actor, target),
                    (Some(Moderator), None | Some(Member))
                        | (Some(Admin), None | Some(Member | Moderator))
                        | (Some(Owner), None | Some(Member | Moderator | Admin))
                );
                assert_eq!(
                    may_moderate(actor, target),
                    expected,
                    "{actor:?} on {target:?}"
                );
            }
        }
    }

    #[test]
    fn only_owners_and_admins_grant_and_admins_only_below_themselves() {
        assert!(may_grant(Some(Owner), Member, Owner));
        assert!(may_grant(Some(Owner), Admin, Member));
        assert!(may_grant(Some(Admin), Member, Moderator));
        assert!(may_grant(Some(Admin), Moderator, Member));
        assert!(!may_grant(Some(Admin), Member, Admin));
        assert!(!may_grant(Some(Admin), Admin, Member));
        assert!(!may_grant(Some(Moderator), Member, Moderator));
        assert!(!may_grant(Some(Member), Member, Member));
        assert!(!may_grant(None, Member, Moderator));
    }
}

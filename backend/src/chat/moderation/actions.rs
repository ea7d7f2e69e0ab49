//! Kick, mute and ban, and lifting them: what a moderator does to a user.

use super::audit::entry;
use super::{Ban, ModerationWrite, Mute, may_moderate};
use crate::chat::hub::Hub;
use crate::chat::now_unix;
use crate::chat::outbox::Eviction;
use crate::chat::request::Followup;
use confab_shared::api::Role;
use confab_shared::client::ClientMessage;
use confab_shared::moderation::{AuditAction, AuditEntry};
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, UserId};
use std::net::IpAddr;

/// Whoever is acted on: online, or an account that is away.
pub(super) struct Target {
    pub id: UserId,
    pub name: String,
    /// None for a guest.
    pub role: Option<Role>,
    /// A guest's address; None for an account or a user who is away.
    pub guest_address: Option<IpAddr>,
    pub online: bool,
}

/// Writes an action needs in the storage queue: its change and its audit entry.
const WRITES_PER_ACTION: usize = 2;

impl Hub {
    /// A moderation request from `user`. Every check is here.
    pub(crate) fn moderate(&mut self, user: UserId, request: ClientMessage) -> Option<Followup> {
        if self.persist.capacity() < WRITES_PER_ACTION {
            let text = "Server busy: nothing was done, please retry";
            self.send_error(user, ErrorCode::ServerBusy, text);
            return None;
        }
        match request {
            ClientMessage::Kick { user_id, reason } => self.kick(user, user_id, reason),
            ClientMessage::Mute {
                user_id,
                seconds,
                room,
                reason,
            } => self.mute(user, user_id, seconds, room, reason),
            ClientMessage::Unmute { user_id, room } => self.unmute(user, user_id, room),
            ClientMessage::Ban {
                user_id,
                seconds,
                reason,
            } => self.ban(user, user_id, seconds, reason),
            ClientMessage::Unban { user_id } => self.unban(user, user_id),
            ClientMessage::GrantRole { user_id, role } => self.grant_role(user, user_id, role),
            ClientMessage::RevokeRole { user_id } => self.grant_role(user, user_id, Role::Member),
            ClientMessage::DeleteMessage { room, id } => {
                let room = self.resolve_room(&room);
                return self.delete_message(user, room, id);
            }
            ClientMessage::GetAudit { before_id, limit } => {
                let limit = limit.unwrap_or(confab_shared::moderation::MAX_AUDIT_PAGE);
                return self.get_audit(user, before_id, limit);
            }
            // `Hub::handle` sends only the requests above; should that ever
            // change, the client hears so rather than the hub panicking.
            other => {
                tracing::error!(kind = other.tag(), "not a moderation request");
                let text = format!("Unknown message type: {}", other.tag());
                self.send_error(user, ErrorCode::UnknownType, &text);
            }
        }
        None
    }

    /// Who `id` is: online, or an account that is away, or a guest that is gone
    /// but still under a mute or ban (to lift it).
    pub(super) fn target(&self, id: UserId) -> Option<Target> {
        if let Some(member) = self.members.get(&id) {
            return Some(Target {
                id,
                name: member.name().to_owned(),
                role: member.role,
                guest_address: member.role.is_none().then_some(member.peer),
                online: member.is_online(),
            });
        }
        let (name, role) = match self.members.account_name(id) {
            Some(name) => (name.to_owned(), self.members.account_role(id)),
            None => (self.sanctions.name_of(id)?.to_owned(), None),
        };
        Some(Target {
            id,
            name,
            role,
            guest_address: None,
            online: false,
        })
    }

    /// The target, if `actor` may moderate it; otherwise the refusal is sent.
    fn moderated(&mut self, actor: UserId, id: UserId, what: &str) -> Option<Target> {
        let Some(target) = self.target(id) else {
            self.send_error(actor, ErrorCode::NotFound, "User not found or offline");
            return None;
        };
        let role = self.members[&actor].role;
        if id == actor || !may_moderate(role, target.role) {
            let text = format!("You may not {what} {}", target.name);
            self.send_error(actor, ErrorCode::Forbidden, &text);
            return None;
        }
        Some(target)
    }

    /// An audit entry for `action` by `actor` on `target`.
    pub(super) fn entry_by(
        &self,
        action: AuditAction,
        actor: UserId,
        target: &Target,
    ) -> AuditEntry {
        AuditEntry {
            target_id: Some(target.id),
            target_name: Some(target.name.clone()),
            ..entry(action, Some(actor), self.members[&actor].name())
        }
    }

    fn kick(&mut self, actor: UserId, id: UserId, reason: String) {
        let Some(target) = self.moderated(actor, id, "kick") else {
            return;
        };
        if !target.online {
            return self.send_error(actor, ErrorCode::NotFound, "User not found or offline");
        }
        let by = self.members[&actor].name().to_owned();
        let kicked = ServerMessage::Kicked {
            by,
            reason: reason.clone(),
            timestamp: now_unix(),
        };
        self.send_all(id, &kicked);
        self.remove_for_cause(id, Eviction::Kicked);
        let audit = AuditEntry {
            reason,
            ..self.entry_by(AuditAction::Kick, actor, &target)
        };
        self.audit(audit);
    }

    fn mute(&mut self, actor: UserId, id: UserId, secs: u64, room: Option<String>, reason: String) {
        let room = room.map(|r| self.resolve_room(&r));
        if let Some(room) = room.as_deref().filter(|r| !self.rooms.contains_key(*r)) {
            return self.no_such_room(actor, room);
        }
        let Some(target) = self.moderated(actor, id, "mute") else {
            return;
        };
        let until = now_unix() + secs as i64;
        let mute = Mute {
            user_id: id,
            name: target.name.clone(),
            room: room.clone(),
            address: target.guest_address,
            until,
            reason: reason.clone(),
            by_name: self.members[&actor].name().to_owned(),
        };
        self.sanctions.mute(mute.clone());
        self.store_mute(&mute);
        let audit = AuditEntry {
            room,
            reason,
            until: Some(until),
            ..self.entry_by(AuditAction::Mute, actor, &target)
        };
        self.audit(audit);
    }

    /// `muted` to every connection of the mute's user.
    pub(super) fn tell_muted(&mut self, mute: &Mute) {
        let muted = ServerMessage::Muted {
            by: mute.by_name.clone(),
            reason: mute.reason.clone(),
            until: mute.until,
            room: mute.room.clone(),
            timestamp: now_unix(),
        };
        self.send_all(mute.user_id, &muted);
    }

    fn unmute(&mut self, actor: UserId, id: UserId, room: Option<String>) {
        let room = room.map(|r| self.resolve_room(&r));
        let Some(target) = self.moderated(actor, id, "unmute") else {
            return;
        };
        if self.sanctions.unmute(id, room.as_deref()).is_none() {
            let text = format!("{} is not muted there", target.name);
            return self.send_error(actor, ErrorCode::NotFound, &text);
        }
        self.store_moderation(ModerationWrite::Unmute {
            user_id: id,
            room: room.clone(),
        });
        let unmuted = ServerMessage::Unmuted {
            room: room.clone(),
            timestamp: now_unix(),
        };
        self.send_all(id, &unmuted);
        let audit = AuditEntry {
            room,
            ..self.entry_by(AuditAction::Unmute, actor, &target)
        };
        self.audit(audit);
    }

    fn ban(&mut self, actor: UserId, id: UserId, seconds: Option<u64>, reason: String) {
        let Some(target) = self.moderated(actor, id, "ban") else {
            return;
        };
        let until = seconds.map(|s| now_unix() + s as i64);
        let by = self.members[&actor].name().to_owned();
        let ban = Ban {
            user_id: id,
            name: target.name.clone(),
            address: target.guest_address,
            until,
            reason: reason.clone(),
            by_name: by.clone(),
        };
        self.sanctions.ban(ban.clone());
        self.store_moderation(ModerationWrite::Ban(ban));
        if target.online {
            let banned = ServerMessage::Banned {
                by,
                reason: reason.clone(),
                until,
                timestamp: now_unix(),
            };
            self.send_all(id, &banned);
            self.remove_for_cause(id, Eviction::Banned);
        }
        let audit = AuditEntry {
            reason,
            until,
            ..self.entry_by(AuditAction::Ban, actor, &target)
        };
        self.audit(audit);
    }

    fn unban(&mut self, actor: UserId, id: UserId) {
        let Some(target) = self.moderated(actor, id, "unban") else {
            return;
        };
        if self.sanctions.unban(id).is_none() {
            let text = format!("{} is not banned", target.name);
            return self.send_error(actor, ErrorCode::NotFound, &text);
        }
        self.store_moderation(ModerationWrite::Unban { user_id: id });
        let audit = self.entry_by(AuditAction::Unban, actor, &target);
        self.audit(audit);
    }

    /// Closes every connection of `user`, telling each `why`; it leaves its rooms.
    fn remove_for_cause(&mut self, user: UserId, why: Eviction) {
        let conns: Vec<u64> = self.members[&user].links.iter().map(|l| l.conn).collect();
        for conn in conns {
            self.drop_link(user, conn, Some(why));
        }
        // Away within its grace period, it had no link to drop: it leaves now.
        if self.members.get(&user).is_some_and(|m| !m.is_online()) {
            self.remove(user);
        }
    }

    /// The ban in force on an account, or on a guest at `address`, and what to
    /// tell it: for the upgrade and for signing in.
    pub fn ban_notice(
        &self,
        account: Option<UserId>,
        address: IpAddr,
    ) -> Option<(String, Option<i64>)> {
        let ban = self.sanctions.banned(account, address, now_unix())?;
        Some((ban.notice(), ban.until))
    }
}

impl Hub {
    /// Mutes and bans that ran out go; muted users hear that they may speak again.
    pub(crate) fn expire_sanctions(&mut self) {
        for mute in self.sanctions.expire(now_unix()) {
            let unmuted = ServerMessage::Unmuted {
                room: mute.room,
                timestamp: now_unix(),
            };
            self.send_all(mute.user_id, &unmuted);
        }
    }

    /// A moderation write's outcome: a deletion or an audit entry is announced
    /// once stored; the others took effect when asked.
    pub(crate) fn moderation_committed(&mut self, write: &ModerationWrite, stored: bool) {
        match write {
            ModerationWrite::DeleteMessage { .. } => self.deletion_committed(write, stored),
            ModerationWrite::Audit(entry) => self.audit_committed(entry, stored),
            ModerationWrite::Mute(mute) => {
                if !stored {
                    tracing::error!("a mute was not stored; it holds until a restart");
                }
                self.tell_muted(mute);
            }
            _ if !stored => tracing::error!("a moderation change was not stored"),
            _ => {}
        }
    }
}

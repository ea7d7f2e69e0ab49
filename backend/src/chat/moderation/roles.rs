//! Granting and revoking roles in the protocol. (The first owner comes from the
//! command line: `confab admin grant USERNAME owner`.)

use super::{ModerationWrite, may_grant};
use crate::chat::hub::Hub;
use crate::chat::now_unix;
use confab_shared::api::Role;
use confab_shared::moderation::{AuditAction, AuditEntry};
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, UserId};

impl Hub {
    /// `actor` gives account `id` the role `role` (`member` revokes).
    pub(super) fn grant_role(&mut self, actor: UserId, id: UserId, role: Role) {
        let Some(target) = self.target(id) else {
            return self.send_error(actor, ErrorCode::NotFound, "User not found or offline");
        };
        let Some(from) = target.role else {
            let text = format!("{} is a guest: only accounts have roles", target.name);
            return self.send_error(actor, ErrorCode::Forbidden, &text);
        };
        if id == actor || !may_grant(self.members[&actor].role, from, role) {
            let text = format!("You may not make {} {role}", target.name);
            return self.send_error(actor, ErrorCode::Forbidden, &text);
        }
        let at_ms = crate::chat::tokens::now_ms() as i64;
        self.members.set_role(id, role, at_ms);
        self.store_moderation(ModerationWrite::Role {
            user_id: id,
            role,
            at_ms,
        });
        let by = self.members[&actor].name().to_owned();
        let changed = ServerMessage::RoleChanged {
            user_id: id,
            user_name: target.name.clone(),
            role,
            by,
            timestamp: now_unix(),
        };
        self.broadcast_all(&changed);
        let audit = AuditEntry {
            role: Some(role),
            ..self.entry_by(AuditAction::GrantRole, actor, &target)
        };
        self.audit(audit);
    }

    /// An account connects with the role the store gives it, which a command-line
    /// grant may have changed while the server ran. The hub takes it only if it
    /// is newer than the last role the hub gave: a read made just before a grant
    /// here was stored must not undo it.
    pub(crate) fn refresh_role(&mut self, id: UserId, role: Role, changed_ms: i64) {
        if changed_ms <= self.members.role_changed_ms(id) {
            return;
        }
        let unchanged = self.members.account_role(id) == Some(role);
        self.members.set_role(id, role, changed_ms);
        if unchanged {
            return;
        }
        if let Some(name) = self.members.get(&id).map(|m| m.name().to_owned()) {
            let changed = ServerMessage::RoleChanged {
                user_id: id,
                user_name: name,
                role,
                by: "command line".into(),
                timestamp: now_unix(),
            };
            self.broadcast_all(&changed);
        }
    }
}

//! The audit log: every moderation action, by a person or by flood control, is
//! stored with who, whom, what, why and when. Once stored it goes out live to
//! online moderators as a `moderation` event, which is also how the moderator
//! who acted learns it took effect. Owners and admins page through it with
//! `get_audit`; `confab admin audit` prints it.

use super::ModerationWrite;
use crate::chat::hub::Hub;
use crate::chat::now_unix;
use crate::chat::request::Followup;
use confab_shared::api::Role;
use confab_shared::moderation::{AuditAction, AuditEntry};
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, UserId};

/// An entry for `action` by `by` (None: the server) named `by_name`, now; the
/// caller fills in the rest.
pub fn entry(action: AuditAction, by: Option<UserId>, by_name: &str) -> AuditEntry {
    AuditEntry {
        id: None,
        at: now_unix(),
        action,
        by_id: by,
        by_name: by_name.to_owned(),
        target_id: None,
        target_name: None,
        room: None,
        message_id: None,
        reason: String::new(),
        until: None,
        role: None,
        automatic: false,
    }
}

/// Logs and counts an action. Ids only: a reason is free text, kept in the audit
/// log, not in the server's logs.
pub(super) fn observe(entry: &AuditEntry) {
    let action = entry.action.as_str();
    tracing::info!(
        action,
        by_id = entry.by_id,
        target_id = entry.target_id,
        automatic = entry.automatic,
        "moderation"
    );
    metrics::counter!("confab_moderation_actions_total", "action" => action).increment(1);
}

impl Hub {
    /// Queues `entry` for the audit log.
    pub(super) fn audit(&mut self, entry: AuditEntry) {
        observe(&entry);
        self.store_moderation(ModerationWrite::Audit(entry));
    }

    /// An audit entry was stored (or not): online moderators hear of it.
    pub(crate) fn audit_committed(&mut self, entry: &AuditEntry, stored: bool) {
        if !stored {
            tracing::error!(
                action = entry.action.as_str(),
                "an audit entry was not stored"
            );
            return;
        }
        let event = ServerMessage::Moderation {
            content: entry.clone(),
            timestamp: now_unix(),
        };
        let frame = crate::chat::Frame::from(event.encode());
        let staff: Vec<UserId> = self
            .members
            .iter()
            .filter(|(_, m)| m.is_staff())
            .map(|(id, _)| id)
            .collect();
        for id in staff {
            self.push_to(id, None, frame.clone());
        }
    }

    /// `get_audit`: owners and admins only.
    pub(super) fn get_audit(
        &mut self,
        user: UserId,
        before_id: Option<u64>,
        limit: u32,
    ) -> Option<Followup> {
        if self.members[&user].role < Some(Role::Admin) {
            let text = "Only owners and admins may read the audit log";
            self.send_error(user, ErrorCode::Forbidden, text);
            return None;
        }
        Some(Followup::Audit {
            user,
            before_id,
            limit,
        })
    }
}

//! Moderation as the in-memory store keeps it.

use super::Rooms;
use crate::chat::moderation::{Ban, ModerationWrite, Mute};
use confab_shared::UserId;
use confab_shared::api::Role;
use confab_shared::moderation::AuditEntry;
use std::collections::BTreeMap;

#[derive(Default)]
pub(super) struct Moderation {
    pub(super) mutes: BTreeMap<(UserId, Option<String>), Mute>,
    pub(super) bans: BTreeMap<UserId, Ban>,
    pub(super) roles: BTreeMap<UserId, Role>,
    pub(super) audit: Vec<AuditEntry>,
}

impl Moderation {
    pub(super) fn apply(&mut self, write: &ModerationWrite, rooms: &mut Rooms) {
        match write {
            ModerationWrite::Mute(m) => {
                self.mutes.insert((m.user_id, m.room.clone()), m.clone());
            }
            ModerationWrite::Unmute { user_id, room } => {
                self.mutes.remove(&(*user_id, room.clone()));
            }
            ModerationWrite::Ban(b) => {
                self.bans.insert(b.user_id, b.clone());
            }
            ModerationWrite::Unban { user_id } => {
                self.bans.remove(user_id);
            }
            ModerationWrite::Role { user_id, role, .. } => {
                self.roles.insert(*user_id, *role);
            }
            ModerationWrite::DeleteMessage {
                room,
                id,
                audit,
                rev,
                ..
            } => {
                let found = rooms.get_mut(room).and_then(|(_, m)| m.get_mut(id));
                if let Some(message) = found {
                    message.content.clear();
                    message.deleted = true;
                    message.rev = *rev;
                }
                self.audit.extend(audit.iter().cloned());
            }
            ModerationWrite::Audit(entry) => self.audit.push(entry.clone()),
        }
    }
}

//! Moderation as this client sees it: our own mutes, a kick or ban that closed
//! the connection, deleted messages, roles and badges, and for moderators the
//! audit log. The server checks every action; this only decides what to offer.

use super::{Chat, Entry, EntryKind};
use confab_shared::api::Role;
use confab_shared::moderation::{AuditAction, AuditEntry};
use confab_shared::{MessageId, UnixSeconds, UserId};

/// Most audit entries kept in memory; older ones are a `get_audit` away.
const AUDIT_KEPT: usize = 200;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moderation {
    /// Our mutes in force (one everywhere, or per room).
    pub mutes: Vec<MuteNotice>,
    /// A moderator removed us: the connection stays closed until we rejoin.
    pub removed: Option<Removal>,
    /// Owners and admins: the audit log, newest first.
    pub audit: Vec<AuditEntry>,
    /// Whether older audit entries may exist beyond those loaded.
    pub audit_more: bool,
    /// An older page was asked for: the next `audit` appends.
    pub audit_paging: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuteNotice {
    pub room: Option<String>,
    pub until: UnixSeconds,
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub banned: bool,
    pub by: String,
    pub reason: String,
    /// A ban's end; None for a kick, or a ban until lifted.
    pub until: Option<UnixSeconds>,
}

impl Chat {
    pub fn my_role(&self) -> Option<Role> {
        self.me.as_ref().and_then(|m| m.role)
    }

    /// The badge `user` wears in any member list we hold.
    pub fn badge_of(&self, user: UserId) -> Option<Role> {
        let members = self.rooms.values().flat_map(|t| t.members.iter());
        members.filter(|m| m.id == user).find_map(|m| m.role)
    }

    pub fn is_staff(&self) -> bool {
        self.my_role().is_some_and(Role::is_staff)
    }

    /// Whether to offer kick, mute and ban on a user wearing `badge` (members and
    /// guests wear none); the server has the last word.
    pub fn may_moderate(&self, badge: Option<Role>) -> bool {
        confab_shared::moderation::may_moderate(self.my_role(), badge)
    }

    /// The roles to offer for a user wearing `badge`: owners any, admins below admin.
    pub fn grantable(&self, badge: Option<Role>) -> Vec<Role> {
        let from = badge.unwrap_or(Role::Member);
        (Role::ALL.into_iter())
            .filter(|&to| confab_shared::moderation::may_grant(self.my_role(), from, to))
            .collect()
    }

    pub fn may_read_audit(&self) -> bool {
        self.my_role() >= Some(Role::Admin)
    }

    /// Whether to offer deleting `entry`: our own, or anyone's to a moderator.
    pub fn may_delete(&self, entry: &Entry) -> bool {
        let EntryKind::Public { own, .. } = entry.kind else {
            return false;
        };
        entry.id.is_some() && !entry.deleted && (own || self.is_staff())
    }

    /// The mute that keeps us from posting in the current room at `now`.
    pub fn muted_here(&self, now: UnixSeconds) -> Option<&MuteNotice> {
        let here = self.conversation.is_none().then_some(self.current.as_str());
        self.moderation
            .mutes
            .iter()
            .filter(|m| m.until > now && (m.room.is_none() || m.room.as_deref() == here))
            .max_by_key(|m| m.until)
    }

    /// Whether the current room takes our posts (read-only rooms take moderators').
    pub fn read_only_here(&self) -> bool {
        self.conversation.is_none() && self.timeline().read_only && !self.is_staff()
    }

    /// The request for the audit log: its first page, or the page after what we hold.
    pub fn request_audit(&mut self, older: bool) -> confab_shared::client::ClientMessage {
        let before_id = older
            .then(|| self.moderation.audit.last().and_then(|e| e.id))
            .flatten();
        self.moderation.audit_paging = before_id.is_some();
        confab_shared::client::ClientMessage::GetAudit {
            before_id,
            limit: Some(50),
        }
    }

    /// We choose to come back after a kick (or try again after a ban).
    pub fn rejoin(&mut self) {
        self.moderation.removed = None;
    }

    pub(super) fn on_removed(&mut self, removal: Removal, now: UnixSeconds) {
        let what = if removal.banned { "banned" } else { "removed" };
        let mut text = format!("You were {what} by {}", removal.by);
        if !removal.reason.is_empty() {
            text += &format!(": {}", removal.reason);
        }
        self.note(text, now);
        self.moderation.removed = Some(removal);
    }

    pub(super) fn on_muted(&mut self, mute: MuteNotice, now: UnixSeconds) {
        let place = mute
            .room
            .as_ref()
            .map_or(String::new(), |r| format!(" in #{r}"));
        let mut text = format!("You were muted{place} by {}", mute.by);
        if !mute.reason.is_empty() {
            text += &format!(": {}", mute.reason);
        }
        self.note(text, now);
        self.moderation.mutes.retain(|m| m.room != mute.room);
        self.moderation.mutes.push(mute);
    }

    pub(super) fn on_unmuted(&mut self, room: Option<String>, now: UnixSeconds) {
        self.moderation.mutes.retain(|m| m.room != room);
        self.note("You may post again", now);
    }

    pub(super) fn on_message_deleted(&mut self, room: &str, id: MessageId, rev: MessageId) {
        let Some(timeline) = self.rooms.get_mut(room) else {
            return;
        };
        if let Some(entry) = timeline.entries_mut().find(|e| e.id == Some(id)) {
            entry.deleted = true;
            entry.text.clear();
            entry.rev = entry.rev.max(rev);
        }
        timeline.seen(rev);
    }

    pub(super) fn on_role_changed(
        &mut self,
        user: UserId,
        name: &str,
        role: Role,
        now: UnixSeconds,
    ) {
        let badge = role.is_staff().then_some(role);
        for member in self.rooms.values_mut().flat_map(|t| t.members.iter_mut()) {
            if member.id == user {
                member.role = badge;
            }
        }
        if let Some(me) = self.me.as_mut().filter(|m| m.id == user) {
            me.role = Some(role);
        }
        self.note(format!("{name} is now {role}"), now);
    }

    /// A moderation event: into the audit log we hold; flood control's mutes are
    /// also said in the room, for moderators to notice.
    pub(super) fn on_moderation(&mut self, entry: AuditEntry, now: UnixSeconds) {
        if entry.automatic && entry.action == AuditAction::Mute {
            let who = entry.target_name.clone().unwrap_or_default();
            self.note(
                format!("{} muted {who}: {}", entry.by_name, entry.reason),
                now,
            );
        }
        self.moderation.audit.insert(0, entry);
        self.moderation.audit.truncate(AUDIT_KEPT);
    }

    /// A page of the audit log: the first replaces what we hold, later ones append.
    pub(super) fn on_audit(&mut self, entries: Vec<AuditEntry>, first_page: bool) {
        if first_page {
            self.moderation.audit.clear();
        }
        self.moderation.audit_more = !entries.is_empty();
        self.moderation.audit.extend(entries);
        self.moderation.audit.truncate(AUDIT_KEPT);
    }
}

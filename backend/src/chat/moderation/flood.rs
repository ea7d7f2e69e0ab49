//! Flood control beyond the rate limit, and the other checks a message passes
//! before it is queued: a read-only room, a mute, the same text again and again.
//!
//! The rate limit (in the socket layer) only slows a flood down. A user who
//! repeats the same message, or keeps striking the rate limit, is muted for
//! `--flood-mute-secs` by the server itself; moderators are told through the
//! audit log's `moderation` event. Moderators themselves are never muted by it.

use super::Mute;
use crate::chat::hub::{Hub, SessionId};
use crate::chat::now_unix;
use crate::chat::ports::Write;
use confab_shared::moderation::{AuditAction, AuditEntry};
use confab_shared::server::{ErrorBody, ServerMessage};
use confab_shared::{ErrorCode, UserId};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

/// How far back repeats and strikes count.
const WINDOW: Duration = Duration::from_secs(60);

/// What flood control remembers of one member: its last message's hash and how
/// often it came in a row, and its recent strikes of the rate limit.
#[derive(Debug, Default)]
pub struct Flood {
    last_hash: u64,
    repeats: u32,
    last_at: Option<Instant>,
    strikes: u32,
    strikes_since: Option<Instant>,
}

impl Flood {
    /// Counts `content`; true when it is the `limit`th identical message in a row,
    /// each within a minute of the one before (a `limit` of 0 never is).
    pub fn repeated(&mut self, content: &str, limit: u32, now: Instant) -> bool {
        let mut hasher = DefaultHasher::new();
        content.trim().hash(&mut hasher);
        let hash = hasher.finish();
        let recent = self.last_at.is_some_and(|at| now - at < WINDOW);
        self.repeats = if recent && hash == self.last_hash {
            self.repeats + 1
        } else {
            1
        };
        self.last_hash = hash;
        self.last_at = Some(now);
        limit > 0 && self.repeats >= limit
    }

    /// Counts a strike of the rate limit; true at the `limit`th within a minute.
    pub fn struck(&mut self, limit: u32, now: Instant) -> bool {
        if self.strikes_since.is_none_or(|since| now - since >= WINDOW) {
            self.strikes = 0;
            self.strikes_since = Some(now);
        }
        self.strikes += 1;
        limit > 0 && self.strikes == limit
    }
}

impl Hub {
    /// Whether `user` may post `content` in `room` (None: a private message); if
    /// not, the refusal is sent (with `txn_id`) and flood control may mute them.
    pub(crate) fn may_post(
        &mut self,
        user: UserId,
        room: Option<&str>,
        content: &str,
        txn_id: &Option<String>,
    ) -> bool {
        let member = &self.members[&user];
        let staff = member.is_staff();
        if let Some(room) = room.filter(|r| !staff && self.rooms[*r].read_only) {
            let text = format!("Only moderators may post in {room}");
            self.send_txn_error(user, ErrorCode::Forbidden, text, txn_id.clone());
            return false;
        }
        let guest_address = member.role.is_none().then_some(member.peer);
        let now = now_unix();
        if let Some(mute) = self.sanctions.muted(user, guest_address, room, now) {
            let until = mute.until;
            self.refuse_muted(user, until, txn_id.clone());
            return false;
        }
        let limit = self.settings.flood_repeats;
        let member = self.members.get_mut(&user).expect("checked above");
        if !staff && member.flood.repeated(content, limit, Instant::now()) {
            let reason = format!("Sent the same message {limit} times in a row");
            let until = self.auto_mute(user, reason);
            self.refuse_muted(user, until, txn_id.clone());
            return false;
        }
        true
    }

    /// The connection struck the rate limit: often enough, and its user is muted.
    pub fn rate_strike(&mut self, session: SessionId) {
        let limit = self.settings.flood_strikes;
        let Some(member) = self.members.get_mut(&session.user) else {
            return;
        };
        let staff = member.is_staff();
        if !staff && member.flood.struck(limit, Instant::now()) {
            let reason = format!("Struck the rate limit {limit} times in a minute");
            self.auto_mute(session.user, reason);
        }
    }

    pub(crate) fn refuse_muted(&mut self, user: UserId, until: i64, txn_id: Option<String>) {
        let left = (until - now_unix()).max(1) as u64;
        let error = ServerMessage::Error {
            content: ErrorBody {
                message: format!("You are muted for {}", super::format_wait(left)),
                code: Some(ErrorCode::Muted),
                txn_id,
                until: Some(until),
                seconds_left: Some(left),
            },
            timestamp: now_unix(),
        };
        self.send(user, &error);
    }

    /// Mutes `user` everywhere for `--flood-mute-secs`, as the server; returns
    /// when it ends. Already muted for longer, nothing changes.
    fn auto_mute(&mut self, user: UserId, reason: String) -> i64 {
        let now = now_unix();
        let until = now + self.settings.flood_mute.as_secs() as i64;
        let member = &self.members[&user];
        let address = member.role.is_none().then_some(member.peer);
        if let Some(longer) = self
            .sanctions
            .muted(user, address, None, now)
            .filter(|m| m.room.is_none() && m.until >= until)
        {
            return longer.until;
        }
        let name = member.name().to_owned();
        let mute = Mute {
            user_id: user,
            name: name.clone(),
            room: None,
            address,
            until,
            reason: reason.clone(),
            by_name: FLOOD_CONTROL.into(),
        };
        self.sanctions.mute(mute.clone());
        self.store_mute(&mute);
        let entry = AuditEntry {
            target_id: Some(user),
            target_name: Some(name),
            reason,
            until: Some(until),
            automatic: true,
            ..super::audit::entry(AuditAction::Mute, None, FLOOD_CONTROL)
        };
        self.audit(entry);
        tracing::info!(user_id = user, "muted by flood control");
        until
    }

    /// Queues a moderation write; logged, not fatal, when the queue is full (the
    /// action has taken effect in memory and holds until a restart).
    /// Queues `write` for the group commit; false if the queue refused it.
    pub(super) fn store_moderation(&mut self, write: super::ModerationWrite) -> bool {
        let queued = self.persist.try_send(Write::Moderation(write)).is_ok();
        if !queued {
            tracing::error!("storage queue full; a moderation change was not stored");
        }
        queued
    }

    /// Stores a mute; its user hears of it once it is stored (so a `muted`
    /// survives a crash right after it), or at once if it cannot be queued.
    pub(super) fn store_mute(&mut self, mute: &super::Mute) {
        if !self.store_moderation(super::ModerationWrite::Mute(mute.clone())) {
            self.tell_muted(mute);
        }
    }
}

/// Who flood control's actions are by, in notices and the audit log.
pub const FLOOD_CONTROL: &str = "Flood control";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_identical_message_in_a_row_within_a_minute_is_a_flood() {
        let mut flood = Flood::default();
        let start = Instant::now();
        assert!(!flood.repeated("buy", 3, start));
        assert!(!flood.repeated(" buy ", 3, start), "the same, trimmed");
        assert!(flood.repeated("buy", 3, start));
        assert!(
            !flood.repeated("something else", 3, start),
            "a new message starts over"
        );
        let mut slow = Flood::default();
        for minute in 0..5 {
            let at = start + WINDOW * minute;
            assert!(!slow.repeated("daily reminder", 3, at), "a minute apart");
        }
        assert!(!Flood::default().repeated("x", 0, start), "0 turns it off");
    }

    #[test]
    fn strikes_count_within_a_minute_and_trip_once() {
        let mut flood = Flood::default();
        let start = Instant::now();
        assert!(!flood.struck(3, start));
        assert!(!flood.struck(3, start));
        assert!(flood.struck(3, start));
        assert!(!flood.struck(3, start), "tripped once per window");
        assert!(!flood.struck(3, start + WINDOW), "a new window");
    }
}

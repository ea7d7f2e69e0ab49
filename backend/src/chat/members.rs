//! [`Members`]: everyone online, with the indexes that must agree with them.
//!
//! A member is reachable by its id, by its session key (a token resumes only the
//! session it names) and by its name's key (no two online users look alike), and a
//! member within its resume grace period is also in the detached set, the only
//! ones expiry must look at. Those four stay in step only if every change goes
//! through here, so the maps are private and a member's name can only change
//! through [`Members::rename`].

use super::outbox::Outbox;
use super::session::RecentTxns;
use super::tokens::SessionKey;
use confab_shared::{UnixSeconds, UserId, names};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::IpAddr;
use std::time::{Duration, Instant};

pub(super) struct Member {
    name: String,
    pub connected_at: UnixSeconds,
    /// None while detached (dropped, within the resume grace period).
    pub outbox: Option<Outbox>,
    /// Which connection of this user is current.
    pub conn: u64,
    session: SessionKey,
    /// When this member's current token was issued: older tokens do not resume it.
    pub token_issued_ms: u64,
    detached_at: Option<Instant>,
    pub peer: IpAddr,
    pub rooms: BTreeSet<String>,
    pub txns: RecentTxns,
    /// Messages queued for storage and not yet committed.
    pub in_flight: u32,
    /// Closing once its in-flight messages are acknowledged; takes no more input.
    pub leaving: bool,
}

impl Member {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn session(&self) -> SessionKey {
        self.session
    }
}

/// A newcomer, before it has an id.
pub(super) struct Newcomer {
    pub outbox: Outbox,
    pub conn: u64,
    pub session: SessionKey,
    pub token_issued_ms: u64,
    pub peer: IpAddr,
    pub rooms: BTreeSet<String>,
    pub txns: RecentTxns,
}

/// The name is shown by another online user, or looks like theirs.
#[derive(Debug)]
pub(super) struct NameTaken;

pub(super) struct Members {
    by_id: BTreeMap<UserId, Member>,
    sessions: HashMap<SessionKey, UserId>,
    names: HashMap<String, UserId>,
    detached: HashSet<UserId>,
    next_id: UserId,
}

impl Members {
    /// No members; ids start after `last_id`, so none is ever reused.
    pub fn new(last_id: UserId) -> Self {
        Self {
            by_id: BTreeMap::new(),
            sessions: HashMap::new(),
            names: HashMap::new(),
            detached: HashSet::new(),
            next_id: last_id + 1,
        }
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn get(&self, id: &UserId) -> Option<&Member> {
        self.by_id.get(id)
    }

    pub fn get_mut(&mut self, id: &UserId) -> Option<&mut Member> {
        self.by_id.get_mut(id)
    }

    pub fn contains_key(&self, id: &UserId) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn ids(&self) -> Vec<UserId> {
        self.by_id.keys().copied().collect()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Member> {
        self.by_id.values_mut()
    }

    /// The member whose live session is `session`.
    pub fn by_session(&self, session: SessionKey) -> Option<UserId> {
        self.sessions.get(&session).copied()
    }

    /// Adds a newcomer as `User<id>` and returns its id.
    pub fn add(&mut self, newcomer: Newcomer) -> UserId {
        let id = self.next_id;
        self.next_id += 1;
        let name = format!("User{id}");
        self.names.insert(names::key(&name), id);
        self.sessions.insert(newcomer.session, id);
        let member = Member {
            name,
            connected_at: super::now_unix(),
            outbox: Some(newcomer.outbox),
            conn: newcomer.conn,
            session: newcomer.session,
            token_issued_ms: newcomer.token_issued_ms,
            detached_at: None,
            peer: newcomer.peer,
            rooms: newcomer.rooms,
            txns: newcomer.txns,
            in_flight: 0,
            leaving: false,
        };
        self.by_id.insert(id, member);
        id
    }

    pub fn remove(&mut self, id: UserId) -> Option<Member> {
        let member = self.by_id.remove(&id)?;
        self.detached.remove(&id);
        self.sessions.remove(&member.session);
        self.names.remove(&names::key(&member.name));
        Some(member)
    }

    /// Renames `id` to `name`, unless another online user's name has the same key;
    /// returns the old name.
    pub fn rename(&mut self, id: UserId, name: String) -> Result<String, NameTaken> {
        let key = names::key(&name);
        if self.names.get(&key).is_some_and(|&holder| holder != id) {
            return Err(NameTaken);
        }
        let member = self.by_id.get_mut(&id).expect("renaming a member");
        let old = std::mem::replace(&mut member.name, name);
        self.names.remove(&names::key(&old));
        self.names.insert(key, id);
        Ok(old)
    }

    /// The connection dropped: keep the member, resumable, without a queue.
    pub fn detach(&mut self, id: UserId, at: Instant) {
        if let Some(member) = self.by_id.get_mut(&id) {
            member.outbox = None;
            member.detached_at = Some(at);
            self.detached.insert(id);
        }
    }

    /// A resumed member takes `outbox` as its connection; returns the one it had.
    pub fn reattach(&mut self, id: UserId, outbox: Outbox, conn: u64) -> Option<Outbox> {
        let member = self.by_id.get_mut(&id)?;
        member.conn = conn;
        member.detached_at = None;
        self.detached.remove(&id);
        member.outbox.replace(outbox)
    }

    /// Detached members whose grace period has run out by `now`.
    pub fn expired(&self, now: Instant, grace: Duration) -> Vec<UserId> {
        self.detached
            .iter()
            .copied()
            .filter(|id| {
                self.by_id[id]
                    .detached_at
                    .is_some_and(|at| now.duration_since(at) >= grace)
            })
            .collect()
    }
}

impl std::ops::Index<&UserId> for Members {
    type Output = Member;
    fn index(&self, id: &UserId) -> &Member {
        &self.by_id[id]
    }
}

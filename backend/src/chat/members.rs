//! [`Members`]: everyone online, with the indexes that must agree with them.
//!
//! A member is reachable by its id, by its session key (a token resumes only the
//! session it names) and by its name's key (no two online users look alike), and a
//! member within its resume grace period is also in the detached set, the only
//! ones expiry must look at. Registered names are reserved for their accounts even
//! while those are away. These stay in step only if every change goes through
//! here, so the maps are private and a member's name can only change through
//! [`Members::rename`].
//!
//! A guest has one connection. A signed-in user has one per tab or device, each a
//! [`Link`]: they are one member, listed once, and each link gets what the member
//! gets.

use super::moderation::Flood;
use super::outbox::Outbox;
use super::session::RecentTxns;
use super::tokens::SessionKey;
use confab_shared::api::Role;
use confab_shared::{UnixSeconds, UserId, names};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// One open connection of a member.
pub(super) struct Link {
    pub conn: u64,
    pub outbox: Outbox,
    /// The hash of the account session it signed in with, so signing out ends it.
    pub signed_in_with: Option<String>,
    /// Closing once its member's in-flight messages are acknowledged; takes no
    /// more input (see `Hub::close_after_acks`).
    pub leaving: bool,
}

pub(super) struct Member {
    name: String,
    pub connected_at: UnixSeconds,
    /// Its open connections; none while detached (within the resume grace period).
    pub links: Vec<Link>,
    session: SessionKey,
    /// When this member's current token was issued: older tokens do not resume it.
    pub token_issued_ms: u64,
    detached_at: Option<Instant>,
    pub peer: IpAddr,
    pub rooms: BTreeSet<String>,
    pub txns: RecentTxns,
    /// Messages queued for storage and not yet committed.
    pub in_flight: u32,
    /// The account's role; None for a guest.
    pub role: Option<Role>,
    /// Whether a dropped connection keeps this member for the resume grace period.
    pub resumable: bool,
    /// What flood control remembers of it.
    pub flood: Flood,
    /// Where and when it last said `typing`, to keep repeats off the wire.
    pub last_typing: Option<(String, Instant)>,
}

impl Member {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn session(&self) -> SessionKey {
        self.session
    }

    pub fn link(&self, conn: u64) -> Option<&Link> {
        self.links.iter().find(|l| l.conn == conn)
    }

    /// A moderator or above.
    pub fn is_staff(&self) -> bool {
        self.role.is_some_and(Role::is_staff)
    }

    pub fn is_online(&self) -> bool {
        !self.links.is_empty()
    }
}

/// A newcomer, before it has an id.
pub(super) struct Newcomer {
    /// A signed-in user's own id and name; None for a guest.
    pub account: Option<(UserId, String, Role)>,
    /// A guest's id and name from before a restart; otherwise it becomes `User<id>`.
    /// The name is taken back only if it is still free.
    pub restored: Option<(UserId, String)>,
    pub link: Link,
    pub session: SessionKey,
    pub token_issued_ms: u64,
    pub peer: IpAddr,
    pub rooms: BTreeSet<String>,
    pub txns: RecentTxns,
    pub resumable: bool,
}

#[cfg(any(test, feature = "fuzzing"))]
mod invariants;

/// The name is shown by another online user, looks like theirs, or is an account's.
#[derive(Debug)]
pub(super) struct NameTaken;

pub(super) struct Members {
    by_id: BTreeMap<UserId, Member>,
    sessions: HashMap<SessionKey, UserId>,
    names: HashMap<String, UserId>,
    /// Name keys of every account, online or not.
    registered: HashMap<String, UserId>,
    /// Every account's name, by id.
    account_names: HashMap<UserId, String>,
    /// Accounts whose role is not `member`.
    roles: HashMap<UserId, Role>,
    /// When this process last learned of each account's role, in ms since the
    /// epoch (see `Hub::refresh_role`).
    role_stamps: HashMap<UserId, i64>,
    detached: HashSet<UserId>,
    next_id: UserId,
}

impl Members {
    /// No members; ids start after `last_id`, so none is ever reused.
    pub fn new(
        last_id: UserId,
        accounts: Vec<(String, UserId, String)>,
        roles: Vec<(UserId, Role)>,
    ) -> Self {
        let registered = accounts
            .iter()
            .map(|(key, id, _)| (key.clone(), *id))
            .collect();
        let account_names = accounts
            .into_iter()
            .map(|(_, id, name)| (id, name))
            .collect();
        Self {
            by_id: BTreeMap::new(),
            sessions: HashMap::new(),
            names: HashMap::new(),
            registered,
            account_names,
            roles: roles.into_iter().collect(),
            role_stamps: HashMap::new(),
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

    pub fn iter(&self) -> impl Iterator<Item = (UserId, &Member)> {
        self.by_id.iter().map(|(id, m)| (*id, m))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Member> {
        self.by_id.values_mut()
    }

    /// The member whose live session is `session`.
    pub fn by_session(&self, session: SessionKey) -> Option<UserId> {
        self.sessions.get(&session).copied()
    }

    /// The online member showing a name with this key.
    pub fn shown_by(&self, key: &str) -> Option<UserId> {
        self.names.get(key).copied()
    }

    /// A fresh id, never given before (for a new account).
    pub fn reserve_id(&mut self) -> UserId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Reserves an account's name for it from now on.
    pub fn register(&mut self, key: String, id: UserId, name: String) {
        self.registered.insert(key, id);
        self.account_names.insert(id, name);
    }

    /// The name of account `id`, online or not; None if `id` is no account.
    pub fn account_name(&self, id: UserId) -> Option<&str> {
        self.account_names.get(&id).map(String::as_str)
    }

    /// The role of account `id`, online or not; None if `id` is no account.
    pub fn account_role(&self, id: UserId) -> Option<Role> {
        self.account_names
            .contains_key(&id)
            .then(|| self.roles.get(&id).copied().unwrap_or(Role::Member))
    }

    /// When account `id`'s role was last set here (0: not since start-up).
    pub fn role_changed_ms(&self, id: UserId) -> i64 {
        self.role_stamps.get(&id).copied().unwrap_or(0)
    }

    /// Gives account `id` a role, online or not, as of `at_ms`.
    pub fn set_role(&mut self, id: UserId, role: Role, at_ms: i64) {
        self.role_stamps.insert(id, at_ms);
        match role {
            Role::Member => self.roles.remove(&id),
            role => self.roles.insert(id, role),
        };
        if let Some(member) = self.by_id.get_mut(&id).filter(|m| m.role.is_some()) {
            member.role = Some(role);
        }
    }

    /// Adds a newcomer and returns its id. An account's name must be free of
    /// online guests (see `Hub::admit`).
    pub fn add(&mut self, newcomer: Newcomer) -> UserId {
        let (id, name, role) = match (newcomer.account, newcomer.restored) {
            (Some((id, name, role)), _) => (id, name, Some(role)),
            (None, Some((id, name))) if self.is_free(&names::key(&name), id) => (id, name, None),
            (None, Some((id, _))) => (id, format!("User{id}"), None),
            (None, None) => {
                let id = self.reserve_id();
                (id, format!("User{id}"), None)
            }
        };
        self.names.insert(names::key(&name), id);
        self.sessions.insert(newcomer.session, id);
        let member = Member {
            name,
            connected_at: super::now_unix(),
            links: vec![newcomer.link],
            session: newcomer.session,
            token_issued_ms: newcomer.token_issued_ms,
            detached_at: None,
            peer: newcomer.peer,
            rooms: newcomer.rooms,
            txns: newcomer.txns,
            in_flight: 0,
            role,
            resumable: newcomer.resumable,
            flood: Flood::default(),
            last_typing: None,
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

    /// Whether `id` may show a name with this key: nobody else online shows it,
    /// and no other user's account holds it.
    pub fn is_free(&self, key: &str, id: UserId) -> bool {
        let held = |holder: Option<&UserId>| holder.is_some_and(|&holder| holder != id);
        !held(self.names.get(key)) && !held(self.registered.get(key))
    }

    /// Renames `id` to `name`, unless another online user's name or an account's
    /// has the same key; returns the old name.
    pub fn rename(&mut self, id: UserId, name: String) -> Result<String, NameTaken> {
        let key = names::key(&name);
        if !self.is_free(&key, id) {
            return Err(NameTaken);
        }
        let member = self.by_id.get_mut(&id).expect("renaming a member");
        let old = std::mem::replace(&mut member.name, name);
        self.names.remove(&names::key(&old));
        self.names.insert(key, id);
        Ok(old)
    }

    /// Takes link `conn` away from `id`; a member left without links is detached,
    /// resumable for the grace period. Returns the link.
    pub fn unlink(&mut self, id: UserId, conn: u64, at: Instant) -> Option<Link> {
        let member = self.by_id.get_mut(&id)?;
        let index = member.links.iter().position(|l| l.conn == conn)?;
        let link = member.links.swap_remove(index);
        if member.links.is_empty() {
            member.detached_at = Some(at);
            self.detached.insert(id);
        }
        Some(link)
    }

    /// Gives `id` another link; a detached member is online again.
    pub fn link(&mut self, id: UserId, link: Link) {
        if let Some(member) = self.by_id.get_mut(&id) {
            member.links.push(link);
            member.detached_at = None;
            self.detached.remove(&id);
        }
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

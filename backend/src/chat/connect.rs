//! Arrivals: a new user, or a session resumed on a new connection; and the
//! greeting every connection gets.

use super::account::Account;
use super::arrival::{Arrival, EarlierSession};
use super::events::{Movement, presence};
use super::hub::{Hub, SessionId};
use super::members::{Link, Newcomer};
use super::now_unix;
use super::outbox::{Eviction, Outbox};
use super::ports::{SessionRecord, Write};
use super::session::{RecentTxns, Txn};
use super::tokens::{self, SessionKey, TokenClaim};
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::server::{AccountInfo, ServerMessage, Welcome};
use confab_shared::{UserId, names};
use std::collections::BTreeSet;

const WELCOME_TEXT: &str = "Welcome to the chat room!";

impl Hub {
    /// Registers a connection. With the current token of a live session it takes
    /// over that user (same id, name and rooms; no `join` broadcast; an older
    /// connection of that user is closed) and issues a new token. Otherwise a new
    /// `User<id>` joins `general`, inheriting the session key of a valid older token.
    /// Either way the connection gets `welcome`, the `general` member list and its
    /// history.
    pub fn connect(&mut self, outbox: Outbox, arrival: Arrival) -> SessionId {
        let session = self.admit(outbox, arrival);
        if self.closing {
            self.shut_down();
        }
        session
    }

    /// Tells every connection the server is shutting down (each then closes with
    /// 1012, service restart), and every connection that arrives from now on. Nobody is removed, so
    /// this broadcasts no `leave`.
    ///
    /// This travels through each connection's own queue rather than a shared
    /// cancellation token, so a busy connection waits on nothing shared.
    pub fn shut_down(&mut self) {
        self.closing = true;
        self.announce_reads();
        for member in self.members.iter_mut() {
            for link in member.links.drain(..) {
                link.outbox.evict(Eviction::Shutdown);
            }
        }
    }

    fn admit(&mut self, outbox: Outbox, arrival: Arrival) -> SessionId {
        self.next_conn += 1;
        let conn = self.next_conn;
        let link = Link {
            conn,
            outbox,
            signed_in_with: arrival.account.as_ref().and(arrival.session_hash.clone()),
            leaving: false,
        };
        if let Some(account) = arrival.account.clone() {
            return self.admit_account(account, link, arrival);
        }
        let now_ms = tokens::now_ms();
        // An account's session is the account's alone: only its sign-in (cookie
        // or bearer) opens it, never a resume token a signed-out tab still holds.
        let claim = arrival
            .resume
            .as_deref()
            .and_then(|token| self.signer.verify(token, now_ms))
            .filter(|c| !is_account_session(c.session));
        let live = claim.and_then(|c| Some((c, self.members.by_session(c.session)?)));
        if let Some((claim, user)) = live {
            let member = self.members.get_mut(&user).expect("sessions name members");
            let leaving = member.links.iter().any(|l| l.leaving);
            if member.role.is_none() && member.token_issued_ms == claim.issued_ms && !leaving {
                // A new token on every resume: one that leaked stops working now.
                member.token_issued_ms = now_ms.max(claim.issued_ms + 1);
                let previous: Vec<u64> = member.links.iter().map(|l| l.conn).collect();
                let session = self.attach(user, link, true);
                for old in previous {
                    self.drop_link(user, old, Some(Eviction::Replaced));
                }
                return session;
            }
        }
        // A valid token of a session no longer live (its grace period ran out, or
        // the server restarted): take up its key, and what the store kept of it.
        let inherited = claim.filter(|c| self.members.by_session(c.session).is_none());
        let session = inherited.map_or_else(guest_session_key, |c| c.session);
        let earlier = arrival
            .earlier
            .filter(|e| inherited.is_some_and(|c| c.session == e.session));
        let record = earlier.as_ref().and_then(|e| e.record.as_ref());
        let restored = record
            .filter(|r| !self.members.contains_key(&r.user_id))
            .map(|r| (r.user_id, r.name.clone()));
        let user = self.members.add(Newcomer {
            account: None,
            restored,
            link,
            session,
            token_issued_ms: now_ms,
            peer: arrival.peer,
            rooms: self.restorable_rooms(record),
            txns: recent_txns(earlier.as_ref()),
            resumable: arrival.resumable,
        });
        self.arrive(user, conn)
    }

    /// `general`, and those of `record`'s rooms that still exist.
    fn restorable_rooms(&self, record: Option<&SessionRecord>) -> BTreeSet<String> {
        let kept = record.into_iter().flat_map(|r| r.rooms.iter());
        kept.filter(|room| self.rooms.contains_key(*room))
            .cloned()
            .chain([DEFAULT_ROOM.to_owned()])
            .collect()
    }

    /// A signed-in connection: another tab of a member already here (online, or
    /// within its grace period), or the account's first, which joins `general`. A
    /// guest showing the account's name is renamed to its default name first.
    fn admit_account(&mut self, account: Account, link: Link, arrival: Arrival) -> SessionId {
        let user = account.user_id;
        let conn = link.conn;
        self.refresh_role(user, account.role, account.role_changed_ms);
        if self.members.contains_key(&user) {
            return self.attach(user, link, false);
        }
        let key = names::key(&account.username);
        if let Some(guest) = self.members.shown_by(&key) {
            self.rename_to_default(guest);
        }
        let session = account_session_key(user);
        let earlier = arrival.earlier.filter(|e| e.session == session);
        let record = earlier.as_ref().and_then(|e| e.record.as_ref());
        let role = self.members.account_role(user).unwrap_or(account.role);
        self.members.add(Newcomer {
            account: Some((user, account.username, role)),
            restored: None,
            link,
            session,
            token_issued_ms: tokens::now_ms(),
            peer: arrival.peer,
            rooms: self.restorable_rooms(record),
            txns: recent_txns(earlier.as_ref()),
            resumable: true,
        });
        self.arrive(user, conn)
    }

    /// A member that is here already gets one more connection, greeted alone.
    fn attach(&mut self, user: UserId, link: Link, resumed: bool) -> SessionId {
        let conn = link.conn;
        self.members.link(user, link);
        let session = SessionId { user, conn };
        self.greet(session, resumed);
        session
    }

    /// A new member in its rooms (`general`, and those of a restored session):
    /// greeted, and announced to each room.
    fn arrive(&mut self, user: UserId, conn: u64) -> SessionId {
        let session = SessionId { user, conn };
        let rooms: Vec<String> = self.members[&user].rooms.iter().cloned().collect();
        for room in &rooms {
            self.rooms
                .get_mut(room)
                .expect("restorable rooms exist")
                .members
                .insert(user);
        }
        self.greet(session, false);
        let (name, role) = (
            self.members[&user].name().to_owned(),
            self.members[&user].role,
        );
        for room in &rooms {
            let users_online = self.rooms[room].members.len();
            let join = presence(Movement::Join, room, user, name.clone(), users_online, role);
            self.announce_presence(room, &join, Some(user));
        }
        self.persist_session(user);
        session
    }

    /// The greeting of one connection: `welcome`, then `general`'s members and
    /// history; a further tab of a member also gets each other room it is in.
    fn greet(&mut self, session: SessionId, resumed: bool) {
        let asking = self.asking.replace(session);
        self.greet_connection(session.user, resumed);
        self.asking = asking;
    }

    fn greet_connection(&mut self, user: UserId, resumed: bool) {
        let member = &self.members[&user];
        let token = self.signer.issue(TokenClaim {
            session: member.session(),
            issued_ms: member.token_issued_ms,
        });
        let welcome = ServerMessage::Welcome {
            content: Welcome {
                user_id: user,
                user_name: member.name().to_owned(),
                message: WELCOME_TEXT.into(),
                server_stats: self.stats(),
                resume_token: Some(token),
                resumed,
                account: member.role.map(|role| AccountInfo {
                    username: member.name().to_owned(),
                    role,
                }),
            },
            timestamp: now_unix(),
        };
        self.send(user, &welcome);
        self.send(user, &self.users_frame(DEFAULT_ROOM, None));
        // Encoded once per room and shared by every newcomer until the next message.
        let history = self
            .rooms
            .get_mut(DEFAULT_ROOM)
            .expect("general always exists")
            .latest_frame(DEFAULT_ROOM);
        self.push(user, history);
        self.send(user, &self.reads_frame(user, DEFAULT_ROOM));
        if !resumed {
            let others: Vec<String> = self.members[&user].rooms.iter().cloned().collect();
            for room in others.into_iter().filter(|r| r != DEFAULT_ROOM) {
                self.send(user, &self.room_joined(&room));
                self.send(user, &self.reads_frame(user, &room));
            }
        }
    }
}

/// The transactions an earlier session stored, oldest first, to recognise resends.
fn recent_txns(earlier: Option<&EarlierSession>) -> RecentTxns {
    let mut txns = RecentTxns::default();
    for t in earlier.iter().flat_map(|e| e.txns.iter().rev()) {
        txns.set(&t.room, &t.txn_id, Txn::Stored(t.id));
    }
    txns
}

/// The top bit of a session key tells an account's from a guest's.
const ACCOUNT_KEY_BIT: u64 = 1 << 63;

/// The session key of an account's member: the same on every node and after every
/// restart, so its transactions are recognised when resent.
pub fn account_session_key(user: UserId) -> SessionKey {
    ACCOUNT_KEY_BIT | user
}

/// A new guest's session key: random, never an account's.
fn guest_session_key() -> SessionKey {
    tokens::random_u64() & !ACCOUNT_KEY_BIT
}

pub fn is_account_session(key: SessionKey) -> bool {
    key & ACCOUNT_KEY_BIT != 0
}

impl Hub {
    /// Queues what is kept of `user`'s session (see [`SessionRecord`]) when it can
    /// outlive the connection: an account's, or a guest's whose client resumes.
    /// Best effort: under a full storage queue the session is saved at its next change.
    pub(super) fn persist_session(&mut self, user: UserId) {
        let Some(member) = self.members.get(&user) else {
            return;
        };
        if !member.resumable && member.role.is_none() {
            return;
        }
        let record = SessionRecord {
            session: member.session(),
            user_id: user,
            name: member.name().to_owned(),
            rooms: member.rooms.iter().cloned().collect(),
            updated_at: now_unix(),
        };
        if self.persist.try_send(Write::Session(record)).is_err() {
            tracing::warn!(user_id = user, "storage queue full; session not saved now");
        }
    }
}

//! Arrivals: a new user, or a session resumed on a new connection; and the
//! greeting every connection gets.

use super::account::Account;
use super::events::{Movement, presence};
use super::hub::{Arrival, Hub, SessionId};
use super::members::{Link, Newcomer};
use super::now_unix;
use super::outbox::{Eviction, Outbox};
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
    /// 1001), and every connection that arrives from now on. Nobody is removed, so
    /// this broadcasts no `leave`.
    ///
    /// This travels through each connection's own queue rather than a shared
    /// cancellation token, so a busy connection waits on nothing shared.
    pub fn shut_down(&mut self) {
        self.closing = true;
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
            leaving: false,
        };
        if let Some(account) = arrival.account.clone() {
            return self.admit_account(account, link, arrival);
        }
        let now_ms = tokens::now_ms();
        let claim = arrival
            .resume
            .as_deref()
            .and_then(|token| self.signer.verify(token, now_ms));
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
        // A valid token of a session no longer live: keep its dedupe scope.
        let inherited = claim.filter(|c| self.members.by_session(c.session).is_none());
        let session = inherited.map_or_else(tokens::random_u64, |c| c.session);
        let mut txns = RecentTxns::default();
        if let Some(earlier) = arrival.earlier.filter(|e| Some(e.claim) == inherited) {
            for t in earlier.txns.iter().rev() {
                txns.set(&t.room, &t.txn_id, Txn::Stored(t.id));
            }
        }
        let user = self.members.add(Newcomer {
            account: None,
            link,
            session,
            token_issued_ms: now_ms,
            peer: arrival.peer,
            rooms: BTreeSet::from([DEFAULT_ROOM.to_owned()]),
            txns,
            resumable: arrival.resumable,
        });
        self.arrive(user, conn)
    }

    /// A signed-in connection: another tab of a member already here (online, or
    /// within its grace period), or the account's first, which joins `general`. A
    /// guest showing the account's name is renamed to its default name first.
    fn admit_account(&mut self, account: Account, link: Link, arrival: Arrival) -> SessionId {
        let user = account.user_id;
        let conn = link.conn;
        if self.members.contains_key(&user) {
            return self.attach(user, link, false);
        }
        let key = names::key(&account.username);
        if let Some(guest) = self.members.shown_by(&key) {
            self.rename_to_default(guest);
        }
        self.members.add(Newcomer {
            account: Some((user, account.username, account.role)),
            link,
            session: account_session_key(user),
            token_issued_ms: tokens::now_ms(),
            peer: arrival.peer,
            rooms: BTreeSet::from([DEFAULT_ROOM.to_owned()]),
            txns: RecentTxns::default(),
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

    /// A new member in `general`: greeted, and announced to the room.
    fn arrive(&mut self, user: UserId, conn: u64) -> SessionId {
        let session = SessionId { user, conn };
        let general = self
            .rooms
            .get_mut(DEFAULT_ROOM)
            .expect("general always exists");
        general.members.insert(user);
        let users_online = general.members.len();
        self.greet(session, false);
        let name = self.members[&user].name().to_owned();
        let join = presence(Movement::Join, DEFAULT_ROOM, user, name, users_online);
        self.announce_presence(DEFAULT_ROOM, &join, Some(user));
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
        if !resumed {
            let others: Vec<String> = self.members[&user].rooms.iter().cloned().collect();
            for room in others.into_iter().filter(|r| r != DEFAULT_ROOM) {
                self.send(user, &self.room_joined(&room));
            }
        }
    }
}

/// The session key of an account's member: the same on every node and after every
/// restart, so its transactions are recognised when resent.
pub(super) fn account_session_key(user: UserId) -> SessionKey {
    // Guests' keys are random; the top bit set keeps these apart in practice.
    (1 << 63) | user
}

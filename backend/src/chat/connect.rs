//! Arrivals: a new user, or a session resumed on a new connection; and the
//! greeting every connection gets.

use super::events::{Movement, presence};
use super::hub::{Arrival, Hub, SessionId};
use super::members::Newcomer;
use super::now_unix;
use super::outbox::{Eviction, Outbox};
use super::session::{RecentTxns, Txn};
use super::tokens::{self, TokenClaim};
use confab_shared::UserId;
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::server::{ServerMessage, Welcome};
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
            if let Some(outbox) = member.outbox.take() {
                outbox.evict(Eviction::Shutdown);
            }
        }
    }

    fn admit(&mut self, outbox: Outbox, arrival: Arrival) -> SessionId {
        self.next_conn += 1;
        let conn = self.next_conn;
        let now_ms = tokens::now_ms();
        let claim = arrival
            .resume
            .as_deref()
            .and_then(|token| self.signer.verify(token, now_ms));
        let live = claim.and_then(|c| Some((c, self.members.by_session(c.session)?)));
        if let Some((claim, user)) = live {
            let member = self.members.get_mut(&user).expect("sessions name members");
            if member.token_issued_ms == claim.issued_ms && !member.leaving {
                // A new token on every resume: one that leaked stops working now.
                member.token_issued_ms = now_ms.max(claim.issued_ms + 1);
                if let Some(previous) = self.members.reattach(user, outbox, conn) {
                    previous.evict(Eviction::Replaced);
                }
                self.greet(user, true);
                return SessionId { user, conn };
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
            outbox,
            conn,
            session,
            token_issued_ms: now_ms,
            peer: arrival.peer,
            rooms: BTreeSet::from([DEFAULT_ROOM.to_owned()]),
            txns,
        });
        let general = self
            .rooms
            .get_mut(DEFAULT_ROOM)
            .expect("general always exists");
        general.members.insert(user);
        let users_online = general.members.len();
        self.greet(user, false);
        let name = self.members[&user].name().to_owned();
        let join = presence(Movement::Join, DEFAULT_ROOM, user, name, users_online);
        self.announce_presence(DEFAULT_ROOM, &join, Some(user));
        SessionId { user, conn }
    }

    fn greet(&mut self, user: UserId, resumed: bool) {
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
    }
}

//! [`Hub`]: who is connected, their sessions, and delivery of frames.
//! Rooms, messages, names and presence live in files of their own.

use super::followup::Followup;
use super::now_unix;
use super::outbox::{Eviction, Frame, Outbox};
use super::ports::{Bus, LocalBus, SessionTxn, Snapshot, Write};
use super::presence::{Movement, presence};
use super::rooms::{Room, RoomDirectory};
use super::session::{RecentTxns, Txn};
use super::tokens::{self, SessionKey, TokenClaim, TokenSigner};
use confab_shared::client::{self, ClientMessage};
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::server::{ServerMessage, Stats, Welcome};
use confab_shared::{ErrorCode, UnixSeconds, UserId};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const WELCOME_TEXT: &str = "Welcome to the chat room!";

/// Tunables of the core.
#[derive(Debug, Clone)]
pub struct HubSettings {
    /// How long a dropped connection's user stays, resumable, before `leave`.
    pub resume_grace: Duration,
    /// Most rooms that may exist.
    pub max_rooms: usize,
    /// Above this many members a room is "big": joins and leaves are announced as a
    /// coalesced `room_count`, and member lists come in pages.
    pub big_room: usize,
    /// Rooms one client address may create per hour.
    pub room_create_per_hour: u32,
    /// Empty and silent this long, a room is archived; None never.
    pub room_archive_after: Option<Duration>,
}

/// One connection of one user. A resumed user keeps the id; the connection changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionId {
    pub user: UserId,
    conn: u64,
}

/// How a connection ended, which decides whether its user may resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The user closed the connection, or was removed for cause: leave at once.
    Left,
    /// The network dropped: keep the user for the resume grace period.
    Dropped,
}

/// What a new connection brings: its resume token and address, and what the store
/// knows of the session its token names (see [`EarlierSession`]).
#[derive(Debug, Clone)]
pub struct Arrival {
    pub resume: Option<String>,
    pub peer: IpAddr,
    pub earlier: Option<EarlierSession>,
}

impl Default for Arrival {
    fn default() -> Self {
        Self {
            resume: None,
            peer: IpAddr::V4(Ipv4Addr::LOCALHOST),
            earlier: None,
        }
    }
}

/// A session that is no longer live (its grace period ran out, or the server
/// restarted), named by a valid token: the newcomer inherits its key, so what it
/// stored is still recognised when resent.
#[derive(Debug, Clone)]
pub struct EarlierSession {
    pub claim: TokenClaim,
    pub txns: Vec<SessionTxn>,
}

pub(super) struct Member {
    pub name: String,
    pub connected_at: UnixSeconds,
    /// None while detached (dropped, within the resume grace period).
    pub outbox: Option<Outbox>,
    conn: u64,
    pub session: SessionKey,
    /// When this member's current token was issued: older tokens do not resume it.
    token_issued_ms: u64,
    detached_at: Option<Instant>,
    pub peer: IpAddr,
    pub rooms: BTreeSet<String>,
    pub txns: RecentTxns,
    /// Messages queued for storage and not yet committed.
    pub in_flight: u32,
    /// Closing once its in-flight messages are acknowledged; takes no more input.
    pub leaving: bool,
}

/// All users and rooms, and the routing between them.
///
/// Every method runs to completion without awaiting, under one lock
/// ([`SharedHub`]); that lock is what gives every client the same order of messages.
pub struct Hub {
    pub(super) members: BTreeMap<UserId, Member>,
    pub(super) rooms: BTreeMap<String, Room>,
    pub(super) directory: RoomDirectory,
    /// Live sessions by key: a token resumes only the session it names.
    sessions: HashMap<SessionKey, UserId>,
    /// Name keys (`confab_shared::names::key`) of online users: no two alike.
    pub(super) names: HashMap<String, UserId>,
    /// Users within their resume grace period: the only ones `expire` must look at.
    detached: HashSet<UserId>,
    signer: Arc<TokenSigner>,
    next_user_id: UserId,
    next_conn: u64,
    started: Instant,
    /// Members whose queue overflowed during the current operation; removed once it
    /// finishes, so a broadcast never mutates what it iterates.
    overflowed: Vec<UserId>,
    /// The server is shutting down: connections are told so as they arrive.
    closing: bool,
    /// The group-commit queue (see [`super::commit`]).
    pub(super) persist: mpsc::Sender<Write>,
    /// Where stored messages go beyond this node.
    pub(super) bus: Arc<dyn Bus>,
    pub(super) settings: HubSettings,
}

impl Hub {
    /// A hub holding the rooms and recent history in `snapshot`. Public messages and
    /// new rooms are queued on `persist` and come back through [`Hub::committed`].
    pub fn new(settings: HubSettings, persist: mpsc::Sender<Write>, snapshot: Snapshot) -> Self {
        let directory = RoomDirectory::new(settings.room_create_per_hour, snapshot.archived);
        let mut hub = Self {
            members: BTreeMap::new(),
            rooms: BTreeMap::new(),
            directory,
            sessions: HashMap::new(),
            names: HashMap::new(),
            detached: HashSet::new(),
            signer: Arc::new(TokenSigner::new(snapshot.secret)),
            next_user_id: snapshot.max_user_id + 1,
            next_conn: 0,
            started: Instant::now(),
            overflowed: Vec::new(),
            closing: false,
            persist,
            bus: Arc::new(LocalBus),
            settings,
        };
        for stored in snapshot.rooms {
            hub.add_room(stored.name, Room::restore(stored.recent));
        }
        if !hub.rooms.contains_key(DEFAULT_ROOM) {
            hub.add_room(DEFAULT_ROOM.into(), Room::restore(Vec::new()));
        }
        hub
    }

    /// Publishes every stored message on `bus` from now on (one node: [`LocalBus`]).
    pub fn set_bus(&mut self, bus: Arc<dyn Bus>) {
        self.bus = bus;
    }

    /// The signer of resume tokens, for checking one before the hub is asked.
    pub fn signer(&self) -> Arc<TokenSigner> {
        self.signer.clone()
    }

    /// Users online, counting those within their resume grace period.
    pub fn online(&self) -> usize {
        self.members.len()
    }

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
        self.settle();
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
        for member in self.members.values_mut() {
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
        let live = claim.and_then(|c| Some((c, *self.sessions.get(&c.session)?)));
        if let Some((claim, user)) = live {
            let member = self.members.get_mut(&user).expect("sessions name members");
            if member.token_issued_ms == claim.issued_ms && !member.leaving {
                if let Some(previous) = member.outbox.replace(outbox) {
                    previous.evict(Eviction::Replaced);
                }
                member.conn = conn;
                member.detached_at = None;
                // A new token on every resume: one that leaked stops working now.
                member.token_issued_ms = now_ms.max(claim.issued_ms + 1);
                self.detached.remove(&user);
                self.greet(user, true);
                return SessionId { user, conn };
            }
        }
        // A valid token of a session no longer live: keep its dedupe scope.
        let inherited = claim.filter(|c| !self.sessions.contains_key(&c.session));
        let session = inherited.map_or_else(tokens::random_u64, |c| c.session);
        let mut txns = RecentTxns::default();
        if let Some(earlier) = arrival.earlier.filter(|e| Some(e.claim) == inherited) {
            for t in earlier.txns.iter().rev() {
                txns.set(&t.room, &t.txn_id, Txn::Stored(t.id));
            }
        }

        let user = self.next_user_id;
        self.next_user_id += 1;
        let name = format!("User{user}");
        self.names.insert(confab_shared::names::key(&name), user);
        self.sessions.insert(session, user);
        self.members.insert(
            user,
            Member {
                name: name.clone(),
                connected_at: now_unix(),
                outbox: Some(outbox),
                conn,
                session,
                token_issued_ms: now_ms,
                detached_at: None,
                peer: arrival.peer,
                rooms: BTreeSet::from([DEFAULT_ROOM.to_owned()]),
                txns,
                in_flight: 0,
                leaving: false,
            },
        );
        let general = self
            .rooms
            .get_mut(DEFAULT_ROOM)
            .expect("general always exists");
        general.members.insert(user);
        let users_online = general.members.len();
        self.greet(user, false);
        let join = presence(Movement::Join, DEFAULT_ROOM, user, name, users_online);
        self.announce_presence(DEFAULT_ROOM, &join, Some(user));
        SessionId { user, conn }
    }

    fn greet(&mut self, user: UserId, resumed: bool) {
        let member = &self.members[&user];
        let token = self.signer.issue(TokenClaim {
            session: member.session,
            issued_ms: member.token_issued_ms,
        });
        let welcome = ServerMessage::Welcome {
            content: Welcome {
                user_id: user,
                user_name: member.name.clone(),
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

    /// Ends `session`'s connection. Ignored if the user has since connected again.
    pub fn disconnect(&mut self, session: SessionId, departure: Departure) {
        let Some(member) = self.members.get_mut(&session.user) else {
            return;
        };
        if member.conn != session.conn {
            return;
        }
        if departure == Departure::Dropped && !self.settings.resume_grace.is_zero() {
            member.outbox = None;
            member.detached_at = Some(Instant::now());
            self.detached.insert(session.user);
        } else {
            self.remove(session.user);
        }
        self.settle();
    }

    /// The server is closing `session` for cause: it takes no more input, and it
    /// leaves once the messages it already sent are stored and acknowledged, so a
    /// client never loses the echo of a message that was kept. Its queue closes
    /// then, which tells the connection to send its close frame.
    pub fn close_after_acks(&mut self, session: SessionId) {
        let Some(member) = self.members.get_mut(&session.user) else {
            return;
        };
        if member.conn != session.conn {
            return;
        }
        member.leaving = true;
        if member.in_flight == 0 {
            self.remove(session.user);
        }
        self.settle();
    }

    /// Removes users whose resume grace period has run out, with `leave`; archives
    /// rooms that have been empty and silent long enough.
    pub fn expire(&mut self, now: Instant) {
        let grace = self.settings.resume_grace;
        let expired: Vec<UserId> = self
            .detached
            .iter()
            .copied()
            .filter(|id| {
                self.members[id]
                    .detached_at
                    .is_some_and(|at| now.duration_since(at) >= grace)
            })
            .collect();
        for user in expired {
            self.remove(user);
        }
        self.archive_idle_rooms(now);
        self.settle();
    }

    /// Decodes one text frame from `session` and acts on it; bad input gets an
    /// `error`. Returns work that needs the store, for the caller to do.
    pub fn handle_text(&mut self, session: SessionId, text: &str) -> Option<Followup> {
        if !self.is_current(session) {
            return None;
        }
        let followup = match client::decode(text) {
            Ok(message) => self.handle(session.user, message),
            Err(error) => {
                self.send_error(session.user, error.code(), &error.to_string());
                None
            }
        };
        self.settle();
        followup
    }

    fn handle(&mut self, user: UserId, message: ClientMessage) -> Option<Followup> {
        match message {
            ClientMessage::Message {
                content,
                txn_id,
                room,
            } => {
                let room = self.resolve_room(room.as_deref().unwrap_or(DEFAULT_ROOM));
                return self.public_message(user, content, txn_id, room);
            }
            ClientMessage::SetName { name } => self.rename(user, name),
            ClientMessage::PrivateMessage { to_id, content } => {
                self.private_message(user, to_id, content)
            }
            ClientMessage::GetUsers { room, after_id } => {
                let room = self.resolve_room(room.as_deref().unwrap_or(DEFAULT_ROOM));
                match self.rooms.contains_key(&room) {
                    true => self.send(user, &self.users_frame(&room, after_id)),
                    false => self.no_such_room(user, &room),
                }
            }
            ClientMessage::GetStats {} => self.send(
                user,
                &ServerMessage::Stats {
                    content: self.stats(),
                    timestamp: now_unix(),
                },
            ),
            ClientMessage::ListRooms {} => self.list_rooms(user),
            ClientMessage::CreateRoom { room } => return self.create_room(user, room),
            ClientMessage::JoinRoom { room } => self.join_room(user, self.resolve_room(&room)),
            ClientMessage::LeaveRoom { room } => self.leave_room(user, self.resolve_room(&room)),
            ClientMessage::GetHistory {
                room,
                before_id,
                after_id,
                limit,
            } => {
                let room = self.resolve_room(&room);
                let limit = limit.unwrap_or(confab_shared::limits::MAX_HISTORY);
                return self.history(user, room, before_id, after_id, limit);
            }
        }
        None
    }

    /// Sends `session` an `error` frame; the connection stays open.
    pub fn notify_error(&mut self, session: SessionId, code: ErrorCode, text: &str) {
        if self.is_current(session) {
            self.send_error(session.user, code, text);
            self.settle();
        }
    }

    /// Current server statistics, with a true online count.
    pub fn stats(&self) -> Stats {
        Stats {
            users_online: self.online(),
            uptime_seconds: self.started.elapsed().as_secs(),
            server_time: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }

    pub(super) fn is_current(&self, session: SessionId) -> bool {
        self.members
            .get(&session.user)
            .is_some_and(|m| m.conn == session.conn && m.outbox.is_some() && !m.leaving)
    }

    pub(super) fn remove(&mut self, user: UserId) -> Option<Outbox> {
        let member = self.members.remove(&user)?;
        self.detached.remove(&user);
        self.sessions.remove(&member.session);
        self.names.remove(&confab_shared::names::key(&member.name));
        for room in &member.rooms {
            let Some(r) = self.rooms.get_mut(room) else {
                continue;
            };
            r.members.remove(&user);
            let leave = presence(
                Movement::Leave,
                room,
                user,
                member.name.clone(),
                r.members.len(),
            );
            self.announce_presence(room, &leave, None);
        }
        member.outbox
    }

    /// Encodes once, then queues the same bytes for every member of `room` but `except`.
    pub(super) fn broadcast_room(
        &mut self,
        room: &str,
        message: &ServerMessage,
        except: Option<UserId>,
    ) {
        let Some(room) = self.rooms.get(room) else {
            return;
        };
        let frame = Frame::from(message.encode());
        for &id in &room.members {
            if Some(id) != except
                && let Some(outbox) = self.members.get(&id).and_then(|m| m.outbox.as_ref())
                && outbox.push(frame.clone()).is_err()
            {
                self.overflowed.push(id);
            }
        }
    }

    /// Queues one frame for every member, online or not.
    pub(super) fn broadcast_all(&mut self, message: &ServerMessage) {
        let frame = Frame::from(message.encode());
        let everyone: Vec<UserId> = self.members.keys().copied().collect();
        for id in everyone {
            self.push(id, frame.clone());
        }
    }

    pub(super) fn send(&mut self, user: UserId, message: &ServerMessage) {
        self.push(user, Frame::from(message.encode()));
    }

    pub(super) fn send_error(&mut self, user: UserId, code: ErrorCode, text: &str) {
        self.send(user, &ServerMessage::error(code, text, now_unix()));
    }

    pub(super) fn push(&mut self, user: UserId, frame: Frame) {
        if let Some(outbox) = self.members.get(&user).and_then(|m| m.outbox.as_ref())
            && outbox.push(frame).is_err()
        {
            self.overflowed.push(user);
        }
    }

    /// Evicts members whose queue overflowed. Each eviction broadcasts `leave`, which
    /// may overflow further queues, so this runs until nothing is left.
    pub(super) fn settle(&mut self) {
        while let Some(user) = self.overflowed.pop() {
            if let Some(outbox) = self.remove(user) {
                tracing::warn!(user_id = user, "send queue full; disconnecting slow client");
                outbox.evict(Eviction::QueueFull);
            }
        }
    }
}

/// The hub behind a lock, shared by every connection.
///
/// A plain `std` mutex: critical sections never await and only queue frames.
pub struct SharedHub(Mutex<Hub>);

impl SharedHub {
    pub fn new(hub: Hub) -> Self {
        Self(Mutex::new(hub))
    }

    /// Runs `f` with exclusive access to the hub.
    ///
    /// A panic inside the hub may have left its maps half-updated (a member in a
    /// room but not in `members`, say). Carrying on would spread that to every
    /// connection, so a poisoned lock fails loudly instead.
    pub fn with<R>(&self, f: impl FnOnce(&mut Hub) -> R) -> R {
        let mut hub = self.0.lock().expect("the hub panicked earlier");
        f(&mut hub)
    }
}

#[cfg(test)]
#[path = "hub_tests.rs"]
mod tests;

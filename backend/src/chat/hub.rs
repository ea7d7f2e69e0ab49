//! [`Hub`]: who is connected, their sessions, and delivery of frames.
//! Room and message handling live in `rooms.rs` and `messages.rs`.

use super::now_unix;
use super::outbox::{Eviction, Frame, Outbox};
use super::rooms::Room;
use super::session::{self, RecentTxns};
use crate::store::{Range, Snapshot, Write};
use confab_shared::client::{self, ClientMessage};
use confab_shared::limits::{DEFAULT_ROOM, USERS_PAGE};
use confab_shared::server::{self, Presence, ServerMessage, Stats, UserInfo, Welcome};
use confab_shared::{UnixSeconds, UserId};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
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

/// A `get_history` the hub could not answer from memory: the caller asks the store
/// and hands the result to [`Hub::deliver_history`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreQuery {
    pub user: UserId,
    pub room: String,
    pub range: Range,
    pub limit: u32,
}

pub(super) struct Member {
    pub name: String,
    pub connected_at: UnixSeconds,
    /// None while detached (dropped, within the resume grace period).
    pub outbox: Option<Outbox>,
    conn: u64,
    token: String,
    detached_at: Option<Instant>,
    pub rooms: BTreeSet<String>,
    pub txns: RecentTxns,
}

/// All users and rooms, and the routing between them.
///
/// Every method runs to completion without awaiting, under one lock
/// ([`SharedHub`]); that lock is what gives every client the same order of messages.
pub struct Hub {
    pub(super) members: BTreeMap<UserId, Member>,
    pub(super) rooms: BTreeMap<String, Room>,
    tokens: HashMap<String, UserId>,
    /// Users within their resume grace period: the only ones `expire` must look at.
    detached: HashSet<UserId>,
    next_user_id: UserId,
    next_conn: u64,
    started: Instant,
    /// Members whose queue overflowed during the current operation; removed once it
    /// finishes, so a broadcast never mutates what it iterates.
    overflowed: Vec<UserId>,
    /// The server is shutting down: connections are told so as they arrive.
    closing: bool,
    /// The group-commit queue (see `store::commit`).
    pub(super) persist: mpsc::Sender<Write>,
    pub(super) settings: HubSettings,
}

impl Hub {
    /// A hub holding the rooms and recent history in `snapshot`. Public messages and
    /// new rooms are queued on `persist` and come back through [`Hub::committed`].
    pub fn new(settings: HubSettings, persist: mpsc::Sender<Write>, snapshot: Snapshot) -> Self {
        let mut hub = Self {
            members: BTreeMap::new(),
            rooms: BTreeMap::new(),
            tokens: HashMap::new(),
            detached: HashSet::new(),
            next_user_id: snapshot.max_user_id + 1,
            next_conn: 0,
            started: Instant::now(),
            overflowed: Vec::new(),
            closing: false,
            persist,
            settings,
        };
        for stored in snapshot.rooms {
            hub.rooms.insert(stored.name, Room::restore(stored.recent));
        }
        hub.rooms
            .entry(DEFAULT_ROOM.into())
            .or_insert_with(|| Room::restore(Vec::new()));
        hub
    }

    /// Users online, counting those within their resume grace period.
    pub fn online(&self) -> usize {
        self.members.len()
    }

    /// Registers a connection. With a known `resume` token it takes over that user
    /// (same id, name and rooms; no `join` broadcast; an older connection of that
    /// user is closed). Otherwise a new `User<id>` joins `general`. Either way the
    /// connection gets `welcome`, the `general` member list and its history.
    pub fn connect(&mut self, outbox: Outbox, resume: Option<&str>) -> SessionId {
        let session = self.admit(outbox, resume);
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
        for member in self.members.values_mut() {
            if let Some(outbox) = member.outbox.take() {
                outbox.evict(Eviction::Shutdown);
            }
        }
    }

    fn admit(&mut self, outbox: Outbox, resume: Option<&str>) -> SessionId {
        self.next_conn += 1;
        let conn = self.next_conn;
        if let Some(&user) = resume.and_then(|token| self.tokens.get(token)) {
            let member = self.members.get_mut(&user).expect("tokens name members");
            if let Some(previous) = member.outbox.replace(outbox) {
                previous.evict(Eviction::Replaced);
            }
            member.conn = conn;
            member.detached_at = None;
            self.detached.remove(&user);
            self.greet(user, true);
            self.settle();
            return SessionId { user, conn };
        }

        let user = self.next_user_id;
        self.next_user_id += 1;
        let name = format!("User{user}");
        let token = session::new_token();
        self.tokens.insert(token.clone(), user);
        self.members.insert(
            user,
            Member {
                name: name.clone(),
                connected_at: now_unix(),
                outbox: Some(outbox),
                conn,
                token,
                detached_at: None,
                rooms: BTreeSet::from([DEFAULT_ROOM.to_owned()]),
                txns: RecentTxns::default(),
            },
        );
        let general = self
            .rooms
            .get_mut(DEFAULT_ROOM)
            .expect("general always exists");
        general.members.insert(user);
        let users_online = general.members.len();
        self.greet(user, false);
        let join = presence(Arrival::Join, DEFAULT_ROOM, user, name, users_online);
        self.announce_presence(DEFAULT_ROOM, &join, Some(user));
        self.settle();
        SessionId { user, conn }
    }

    fn greet(&mut self, user: UserId, resumed: bool) {
        let member = &self.members[&user];
        let welcome = ServerMessage::Welcome {
            content: Welcome {
                user_id: user,
                user_name: member.name.clone(),
                message: WELCOME_TEXT.into(),
                server_stats: self.stats(),
                resume_token: Some(member.token.clone()),
                resumed,
            },
            timestamp: now_unix(),
        };
        self.send(user, &welcome);
        self.send(user, &self.users_frame(DEFAULT_ROOM, None));
        let history = self.rooms[DEFAULT_ROOM].history_frame(DEFAULT_ROOM, Range::Latest, u32::MAX);
        self.send(
            user,
            &history.expect("the latest history is always in memory"),
        );
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

    /// Removes users whose resume grace period has run out, with `leave`.
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
        self.settle();
    }

    /// Decodes one text frame from `session` and acts on it; bad input gets an `error`.
    pub fn handle_text(&mut self, session: SessionId, text: &str) -> Option<StoreQuery> {
        if !self.is_current(session) {
            return None;
        }
        let query = match client::decode(text) {
            Ok(message) => self.handle(session.user, message),
            Err(error) => {
                self.send_error(session.user, &error.to_string());
                None
            }
        };
        self.settle();
        query
    }

    fn handle(&mut self, user: UserId, message: ClientMessage) -> Option<StoreQuery> {
        match message {
            ClientMessage::Message {
                content,
                txn_id,
                room,
            } => self.public_message(user, content, txn_id, room),
            ClientMessage::SetName { name } => self.rename(user, name),
            ClientMessage::PrivateMessage { to_id, content } => {
                self.private_message(user, to_id, content)
            }
            ClientMessage::GetUsers { room, after_id } => {
                let room = room.unwrap_or_else(|| DEFAULT_ROOM.into());
                match self.rooms.contains_key(&room) {
                    true => self.send(user, &self.users_frame(&room, after_id)),
                    false => self.send_error(user, &format!("No such room: {room}")),
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
            ClientMessage::CreateRoom { room } => self.create_room(user, room),
            ClientMessage::JoinRoom { room } => self.join_room(user, room),
            ClientMessage::LeaveRoom { room } => self.leave_room(user, room),
            ClientMessage::GetHistory {
                room,
                before_id,
                after_id,
                limit,
            } => {
                let range = match (before_id, after_id) {
                    (Some(before), _) => Range::Before(before),
                    (None, Some(after)) => Range::After(after),
                    (None, None) => Range::Latest,
                };
                return self.history(
                    user,
                    room,
                    range,
                    limit.unwrap_or(confab_shared::limits::MAX_HISTORY),
                );
            }
        }
        None
    }

    /// Sends `session` an `error` frame; the connection stays open.
    pub fn notify_error(&mut self, session: SessionId, text: &str) {
        if self.is_current(session) {
            self.send_error(session.user, text);
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

    fn is_current(&self, session: SessionId) -> bool {
        self.members
            .get(&session.user)
            .is_some_and(|m| m.conn == session.conn && m.outbox.is_some())
    }

    fn rename(&mut self, user: UserId, new_name: String) {
        let member = self
            .members
            .get_mut(&user)
            .expect("caller checked membership");
        let old_name = std::mem::replace(&mut member.name, new_name.clone());
        let now = now_unix();
        let changed = ServerMessage::NameChanged {
            content: server::NameChanged {
                old_name: old_name.clone(),
                new_name: new_name.clone(),
            },
            timestamp: now,
        };
        self.send(user, &changed);
        let renamed = ServerMessage::UserRenamed {
            from_id: user,
            from_name: new_name.clone(),
            content: server::UserRenamed {
                user_id: user,
                old_name,
                new_name,
            },
            timestamp: now,
        };
        let frame = Frame::from(renamed.encode());
        let others: Vec<UserId> = self
            .members
            .keys()
            .copied()
            .filter(|&id| id != user)
            .collect();
        for id in others {
            self.push(id, frame.clone());
        }
    }

    /// The members of `room`: all of them, or in a big room one page (after `after`).
    pub(super) fn users_frame(&self, room: &str, after: Option<UserId>) -> ServerMessage {
        let members = &self.rooms[room].members;
        let big = members.len() > self.settings.big_room;
        let page = if big { USERS_PAGE } else { usize::MAX };
        let users = members
            .range(after.map_or(0, |a| a + 1)..)
            .filter_map(|id| self.members.get(id).map(|m| (id, m)))
            .take(page)
            .map(|(&id, m)| UserInfo {
                id,
                name: m.name.clone(),
                connected_at: m.connected_at,
            })
            .collect();
        let total = big.then_some(members.len());
        ServerMessage::Users {
            content: users,
            timestamp: now_unix(),
            room: Some(room.into()),
            total,
        }
    }

    /// Announces a `join` or `leave` to a small room; in a big room only marks its
    /// count as changed, for [`Hub::announce_counts`]. (Announcing every arrival to
    /// every member makes filling a room of N cost N² frames.)
    pub(super) fn announce_presence(
        &mut self,
        room: &str,
        message: &ServerMessage,
        except: Option<UserId>,
    ) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        if r.members.len() > self.settings.big_room {
            r.count_changed = true;
        } else {
            self.broadcast_room(room, message, except);
        }
    }

    /// Sends `room_count` to every big room whose membership changed since last time.
    pub fn announce_counts(&mut self) {
        let changed: Vec<(String, usize)> = self
            .rooms
            .iter_mut()
            .filter(|(_, r)| r.count_changed)
            .map(|(name, r)| {
                r.count_changed = false;
                (name.clone(), r.members.len())
            })
            .collect();
        for (room, users_online) in changed {
            let count = ServerMessage::RoomCount {
                content: server::RoomCount {
                    room: room.clone(),
                    users_online,
                },
                timestamp: now_unix(),
            };
            self.broadcast_room(&room, &count, None);
        }
        self.settle();
    }

    fn remove(&mut self, user: UserId) -> Option<Outbox> {
        let member = self.members.remove(&user)?;
        self.detached.remove(&user);
        self.tokens.remove(&member.token);
        for room in &member.rooms {
            let Some(r) = self.rooms.get_mut(room) else {
                continue;
            };
            r.members.remove(&user);
            let leave = presence(
                Arrival::Leave,
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

    pub(super) fn send(&mut self, user: UserId, message: &ServerMessage) {
        self.push(user, Frame::from(message.encode()));
    }

    pub(super) fn send_error(&mut self, user: UserId, text: &str) {
        self.send(user, &ServerMessage::error(text, now_unix()));
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

/// Whether someone came or went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arrival {
    Join,
    Leave,
}

/// The tutorial's `join` (sent as from the newcomer) or `leave` (sent as from the
/// system), for `room`, with its member count after the change.
pub(super) fn presence(
    arrival: Arrival,
    room: &str,
    user: UserId,
    name: String,
    users_online: usize,
) -> ServerMessage {
    let content = Presence {
        user_id: user,
        user_name: name.clone(),
        users_online,
    };
    let (timestamp, room) = (now_unix(), Some(room.to_owned()));
    match arrival {
        Arrival::Join => ServerMessage::Join {
            from_id: user,
            from_name: name,
            content,
            timestamp,
            room,
        },
        Arrival::Leave => ServerMessage::Leave {
            from_id: server::SYSTEM_ID,
            from_name: server::SYSTEM_NAME.into(),
            content,
            timestamp,
            room,
        },
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
    pub fn with<R>(&self, f: impl FnOnce(&mut Hub) -> R) -> R {
        // A panic inside the hub must not wedge every other connection.
        let mut hub = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut hub)
    }
}

#[cfg(test)]
#[path = "hub_tests.rs"]
mod tests;

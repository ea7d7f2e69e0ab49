//! [`Hub`]: who is connected, their sessions, and delivery of frames.
//! Rooms, messages, names and presence live in files of their own.

use super::directory::RoomDirectory;
use super::events::{Movement, presence};
use super::members::Member;
use super::members::Members;
use super::moderation::Sanctions;
use super::now_unix;
use super::ports::{Bus, LocalBus, Snapshot, Write};
use super::reads::ReadMarkers;
use super::request::Followup;
use super::room::Room;
use super::tokens::TokenSigner;
use confab_shared::client::{self, ClientMessage};
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::server::{ServerMessage, Stats};
use confab_shared::{ErrorCode, MessageId, UserId};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

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
    /// The same message this many times in a row mutes its sender (0: never).
    pub flood_repeats: u32,
    /// Striking the rate limit this many times in a minute mutes (0: never).
    pub flood_strikes: u32,
    /// How long flood control mutes for.
    pub flood_mute: Duration,
}

/// One connection of one user. A resumed user keeps the id; the connection changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionId {
    pub user: UserId,
    pub(super) conn: u64,
}

impl SessionId {
    /// Which connection this is, unique while the process runs (for logs).
    pub fn conn(&self) -> u64 {
        self.conn
    }
}

/// How a connection ended, which decides whether its user may resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The user closed the connection, or was removed for cause: leave at once.
    Left,
    /// The network dropped: keep the user for the resume grace period.
    Dropped,
}

/// All users and rooms, and the routing between them.
///
/// Every method runs to completion without awaiting, under one lock
/// ([`SharedHub`]); that lock is what gives every client the same order of messages.
pub struct Hub {
    pub(super) members: Members,
    pub(super) rooms: BTreeMap<String, Room>,
    pub(super) directory: RoomDirectory,
    pub(super) signer: Arc<TokenSigner>,
    pub(super) next_conn: u64,
    /// The id the next stored private message gets.
    pub(super) next_private_id: MessageId,
    started: Instant,
    /// Links whose queue overflowed during the current operation; closed once it
    /// finishes, so a broadcast never mutates what it iterates.
    pub(super) overflowed: Vec<(UserId, u64)>,
    /// The connection whose request is being handled: replies to its user go to
    /// that tab alone, not to every tab of the account.
    pub(super) asking: Option<SessionId>,
    /// The server is shutting down: connections are told so as they arrive.
    pub(super) closing: bool,
    /// The group-commit queue (see [`super::commit`]).
    pub(super) persist: mpsc::Sender<Write>,
    /// Where stored messages go beyond this node.
    pub(super) bus: Arc<dyn Bus>,
    /// Mutes and bans in force.
    pub(super) sanctions: Sanctions,
    /// How far each user has read each room.
    pub(super) reads: ReadMarkers,
    pub(super) settings: HubSettings,
}

impl Hub {
    /// A hub holding the rooms and recent history in `snapshot`. Public messages and
    /// new rooms are queued on `persist` and come back through [`Hub::committed`].
    pub fn new(settings: HubSettings, persist: mpsc::Sender<Write>, snapshot: Snapshot) -> Self {
        let directory = RoomDirectory::new(settings.room_create_per_hour, snapshot.archived);
        let mut hub = Self {
            members: Members::new(snapshot.max_user_id, snapshot.accounts, snapshot.roles),
            sanctions: Sanctions::new(snapshot.mutes, snapshot.bans, now_unix()),
            reads: ReadMarkers::restore(snapshot.reads),
            next_private_id: snapshot.max_private_id + 1,
            rooms: BTreeMap::new(),
            directory,
            signer: Arc::new(TokenSigner::new(snapshot.secret)),
            next_conn: 0,
            started: Instant::now(),
            overflowed: Vec::new(),
            asking: None,
            closing: false,
            persist,
            bus: Arc::new(LocalBus),
            settings,
        };
        for stored in snapshot.rooms {
            let mut room = Room::restore(stored.recent);
            room.read_only = stored.read_only;
            room.changed_before(stored.last_position);
            hub.add_room(stored.name, room);
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

    /// The server is shutting down.
    pub fn is_closing(&self) -> bool {
        self.closing
    }

    /// Users online, counting those within their resume grace period.
    pub fn online(&self) -> usize {
        self.members.len()
    }

    /// Ends `session`'s connection. Ignored if that connection was already let go
    /// (replaced by a resume, say). A user whose last connection this was stays,
    /// resumable, for the grace period if the network dropped and its client can
    /// resume; otherwise it leaves now.
    pub fn disconnect(&mut self, session: SessionId, departure: Departure) {
        let user = session.user;
        if self
            .members
            .unlink(user, session.conn, Instant::now())
            .is_none()
        {
            return;
        }
        let member = &self.members[&user];
        let keep = departure == Departure::Dropped
            && member.resumable
            && !self.settings.resume_grace.is_zero();
        if !member.is_online() && !keep {
            self.remove(user);
        }
    }

    /// The server is closing `session` for cause: it takes no more input, and it
    /// leaves once the messages it already sent are stored and acknowledged, so a
    /// client never loses the echo of a message that was kept. Its queue closes
    /// then, which tells the connection to send its close frame.
    pub fn close_after_acks(&mut self, session: SessionId) {
        let Some(member) = self.members.get_mut(&session.user) else {
            return;
        };
        let Some(link) = member.links.iter_mut().find(|l| l.conn == session.conn) else {
            return;
        };
        link.leaving = true;
        if member.in_flight == 0 {
            self.drop_link(session.user, session.conn, None);
        }
    }

    /// Removes users whose resume grace period has run out, with `leave`; archives
    /// rooms that have been empty and silent long enough.
    pub fn expire(&mut self, now: Instant) {
        for user in self.members.expired(now, self.settings.resume_grace) {
            self.remove(user);
        }
        self.archive_idle_rooms(now);
        self.expire_sanctions();
    }

    /// Decodes one text frame from `session` and acts on it; bad input gets an
    /// `error`. Returns work that needs the store, for the caller to do.
    pub fn handle_text(&mut self, session: SessionId, text: &str) -> Option<Followup> {
        if !self.is_current(session) {
            return None;
        }
        self.asking = Some(session);
        let followup = match client::decode(text) {
            Ok(message) => self.handle(session.user, message),
            Err(error) => {
                self.send_error(session.user, error.code(), &error.to_string());
                None
            }
        };
        self.asking = None;
        followup
    }

    fn handle(&mut self, user: UserId, message: ClientMessage) -> Option<Followup> {
        match message {
            message @ ClientMessage::Message { .. } => return self.public_message(user, message),
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
            ClientMessage::CreateRoom { room, read_only } => {
                return self.create_room(user, room, read_only);
            }
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
            ClientMessage::GetPrivateHistory {
                with_id,
                before_id,
                limit,
            } => {
                return (!self.accounts_only(user)).then(|| Followup::PrivateHistory {
                    user,
                    with_id,
                    before_id,
                    limit: limit.unwrap_or(confab_shared::limits::MAX_HISTORY),
                });
            }
            ClientMessage::GetConversations {} => {
                return (!self.accounts_only(user)).then_some(Followup::Conversations { user });
            }
            ClientMessage::MarkRead { with_id, id } => self.mark_read(user, with_id, id),
            ClientMessage::Typing { room } => self.typing(
                user,
                self.resolve_room(room.as_deref().unwrap_or(DEFAULT_ROOM)),
            ),
            ClientMessage::Read { room, id } => self.read(user, self.resolve_room(&room), id),
            ClientMessage::EditMessage { room, id, content } => {
                return self.edit_message(user, self.resolve_room(&room), id, content);
            }
            ClientMessage::React { room, id, emoji } => {
                return self.react(user, self.resolve_room(&room), id, emoji);
            }
            ClientMessage::Search { query, room } => return self.search(user, query, room),
            // Named one by one, so a new request type cannot land here unhandled.
            moderation @ (ClientMessage::Kick { .. }
            | ClientMessage::Mute { .. }
            | ClientMessage::Unmute { .. }
            | ClientMessage::Ban { .. }
            | ClientMessage::Unban { .. }
            | ClientMessage::DeleteMessage { .. }
            | ClientMessage::GrantRole { .. }
            | ClientMessage::RevokeRole { .. }
            | ClientMessage::GetAudit { .. }) => return self.moderate(user, moderation),
        }
        None
    }

    /// Runs one operation, then evicts whoever's queue overflowed during it. Every
    /// operation goes through here ([`SharedHub::with`] does), so no operation has
    /// to remember to settle, and a broadcast never mutates what it iterates.
    pub fn apply<R>(&mut self, operation: impl FnOnce(&mut Hub) -> R) -> R {
        let result = operation(self);
        self.settle();
        result
    }

    /// Sends `session` an `error` frame; the connection stays open.
    pub fn notify_error(&mut self, session: SessionId, code: ErrorCode, text: &str) {
        if self.is_current(session) {
            self.asking = Some(session);
            self.send_error(session.user, code, text);
            self.asking = None;
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
            .and_then(|m| m.link(session.conn))
            .is_some_and(|link| !link.leaving)
    }

    /// The user leaves: `leave` in each of its rooms. Its remaining connections'
    /// queues close with the returned member.
    pub(super) fn remove(&mut self, user: UserId) -> Option<Member> {
        let member = self.members.remove(user)?;
        if member.role.is_none() {
            self.reads.forget(user);
        }
        for room in &member.rooms {
            let Some(r) = self.rooms.get_mut(room) else {
                continue;
            };
            r.members.remove(&user);
            let leave = presence(
                Movement::Leave,
                room,
                user,
                member.name().to_owned(),
                r.members.len(),
                None,
            );
            self.announce_presence(room, &leave, None);
        }
        Some(member)
    }
}

/// The hub behind a lock, shared by every connection.
///
/// A plain `std` mutex: critical sections never await and only queue frames.
///
/// One lock per node is what gives every client the same order of messages, and
/// it caps a node at about one core of routing. Where sharding would cut it: the
/// order only has to be the same *within a room*, so each `Room` (its members, its
/// ids, its recent history) could sit behind a lock of its own, with `Members`
/// behind another. A public message would then take only its room's lock (to get
/// its id and fan out) and read members' queues through their `Outbox` handles,
/// which already lock on their own. Operations that span rooms (a user leaving
/// every room, a rename) would take the room locks in name order to stay
/// deadlock-free.
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
        hub.apply(f)
    }
}

#[cfg(test)]
#[path = "hub_tests.rs"]
mod tests;

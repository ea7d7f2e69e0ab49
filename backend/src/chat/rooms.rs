//! Rooms as users see them: listing, creating, joining, leaving, history, and
//! archiving the ones left empty and silent.

use super::events::{Movement, presence};
use super::hub::Hub;
use super::now_unix;
use super::ports::{ArchivedRoom, Range, Write};
use super::request::Followup;
pub use super::room::Room;
use confab_shared::limits::{MAX_HISTORY, SEED_ROOMS};
use confab_shared::server::{RoomInfo, RoomJoined, RoomRef, ServerMessage};
use confab_shared::{ErrorCode, MessageId, UserId};
use std::time::Instant;

impl Hub {
    pub(super) fn add_room(&mut self, name: String, room: Room) {
        self.directory.add(&name);
        self.rooms.insert(name, room);
    }

    /// The room `name` means: itself if it exists, else the room whose name folds
    /// and looks the same; unchanged when there is none (for "No such room").
    pub(super) fn resolve_room(&self, name: &str) -> String {
        if self.rooms.contains_key(name) {
            return name.to_owned();
        }
        self.directory.find(name).unwrap_or(name).to_owned()
    }

    pub(super) fn no_such_room(&mut self, user: UserId, room: &str) {
        self.send_error(user, ErrorCode::NotFound, &format!("No such room: {room}"));
    }

    pub(super) fn list_rooms(&mut self, user: UserId) {
        let rooms = self.rooms.iter().map(|(name, r)| RoomInfo {
            name: name.clone(),
            members: r.members.len(),
            read_only: r.read_only,
        });
        let frame = ServerMessage::Rooms {
            content: rooms.collect(),
            timestamp: now_unix(),
        };
        self.send(user, &frame);
    }

    pub(super) fn create_room(
        &mut self,
        user: UserId,
        room: String,
        read_only: bool,
    ) -> Option<Followup> {
        let key = confab_shared::names::key(&room);
        if read_only && !self.members[&user].is_staff() {
            let text = "Only moderators may create read-only rooms";
            self.send_error(user, ErrorCode::Forbidden, text);
            return None;
        }
        if let Some(existing) = self.directory.find(&room) {
            let text = format!("Room already exists: {existing}");
            self.send_error(user, ErrorCode::RoomExists, &text);
            return None;
        }
        if self.rooms.len() >= self.settings.max_rooms {
            self.send_error(user, ErrorCode::TooManyRooms, "Too many rooms");
            return None;
        }
        let peer = self.members[&user].peer;
        if !self.directory.may_create(peer) {
            let text = "Too many rooms created: try again later";
            self.send_error(user, ErrorCode::RateLimited, text);
            return None;
        }
        if self.directory.is_archived(&key) {
            return Some(Followup::Revive {
                user,
                room,
                read_only,
            });
        }
        let write = Write::Room {
            name: room.clone(),
            created_at: now_unix(),
            by: user,
            read_only,
        };
        if self.persist.try_send(write).is_err() {
            let text = "Server busy: room not created, please retry";
            self.send_error(user, ErrorCode::ServerBusy, text);
            return None;
        }
        // Usable at once; announced to everyone once stored (see `committed`).
        let mut new_room = Room::restore(Vec::new());
        new_room.read_only = read_only;
        self.add_room(room.clone(), new_room);
        self.join_room(user, room);
        None
    }

    /// Announces a stored room, or forgets one that could not be stored.
    pub(super) fn room_committed(&mut self, room: &str, by: UserId, stored: bool) {
        if stored {
            let read_only = self.rooms.get(room).is_some_and(|r| r.read_only);
            self.broadcast_all(&ServerMessage::RoomCreated {
                content: RoomRef {
                    room: room.into(),
                    read_only,
                },
                timestamp: now_unix(),
            });
            return;
        }
        let text = format!("Room not created (storage error): {room}");
        self.send_error(by, ErrorCode::StorageError, &text);
        if let Some(lost) = self.rooms.remove(room) {
            for id in lost.members {
                if let Some(member) = self.members.get_mut(&id) {
                    member.rooms.remove(room);
                }
                self.send(id, &room_left(room));
            }
        }
    }

    /// Joins `room` (idempotent: joining again just refreshes members and history).
    pub(super) fn join_room(&mut self, user: UserId, room: String) {
        let Some(r) = self.rooms.get_mut(&room) else {
            return self.no_such_room(user, &room);
        };
        let newly = r.members.insert(user);
        let users_online = r.members.len();
        let member = self
            .members
            .get_mut(&user)
            .expect("caller checked membership");
        member.rooms.insert(room.clone());
        let (name, role) = (member.name().to_owned(), member.role);
        if newly {
            let join = presence(Movement::Join, &room, user, name, users_online, role);
            self.announce_presence(&room, &join, Some(user));
        }
        let joined = self.room_joined(&room);
        self.send_all(user, &joined);
        self.send_all(user, &self.reads_frame(user, &room));
        if newly {
            self.persist_session(user);
        }
    }

    /// `room_joined` for `room`: its first page of members and its latest history.
    pub(super) fn room_joined(&self, room: &str) -> ServerMessage {
        let ServerMessage::Users {
            content: users,
            total,
            ..
        } = self.users_frame(room, None)
        else {
            unreachable!("users_frame builds users")
        };
        let history = self.rooms[room].latest_items();
        let joined = RoomJoined {
            room: room.to_owned(),
            users,
            history,
            total_users: total,
            read_only: self.rooms[room].read_only,
        };
        ServerMessage::RoomJoined {
            content: joined,
            timestamp: now_unix(),
        }
    }

    pub(super) fn leave_room(&mut self, user: UserId, room: String) {
        let member = self
            .members
            .get_mut(&user)
            .expect("caller checked membership");
        if !member.rooms.remove(&room) {
            let text = format!("You are not in room: {room}");
            return self.send_error(user, ErrorCode::NotInRoom, &text);
        }
        let name = member.name().to_owned();
        let r = self.rooms.get_mut(&room).expect("members' rooms exist");
        r.members.remove(&user);
        let leave = presence(Movement::Leave, &room, user, name, r.members.len(), None);
        self.announce_presence(&room, &leave, None);
        self.send_all(user, &room_left(&room));
        self.persist_session(user);
    }

    /// Answers from memory when it can; otherwise asks the caller to query the store.
    pub(super) fn history(
        &mut self,
        user: UserId,
        room: String,
        before_id: Option<MessageId>,
        after_id: Option<MessageId>,
        limit: u32,
    ) -> Option<Followup> {
        let range = match (before_id, after_id) {
            (Some(before), _) => Range::Before(before),
            (None, Some(after)) => Range::After(after),
            (None, None) => Range::Latest,
        };
        let Some(r) = self.rooms.get_mut(&room) else {
            self.no_such_room(user, &room);
            return None;
        };
        if range == Range::Latest && limit >= MAX_HISTORY {
            // The page every newcomer gets: encoded once, shared.
            let frame = r.latest_frame(&room);
            self.push(user, frame);
            return None;
        }
        match r.history_frame(&room, range, limit) {
            Some(frame) => {
                self.send(user, &frame);
                None
            }
            None => Some(Followup::History {
                user,
                room,
                range,
                limit,
            }),
        }
    }

    /// Archives rooms that have been empty and silent for the configured time
    /// (never the tutorial's three rooms), so abandoned rooms leave the list and
    /// stop counting toward `--max-rooms`.
    pub(super) fn archive_idle_rooms(&mut self, now: Instant) {
        self.directory.forget_idle_creators();
        let Some(after) = self.settings.room_archive_after else {
            return;
        };
        let idle: Vec<String> = self
            .rooms
            .iter()
            .filter(|(name, r)| {
                r.members.is_empty()
                    && now.saturating_duration_since(r.quiet_since) >= after
                    && !SEED_ROOMS.contains(&name.as_str())
            })
            .map(|(name, _)| name.clone())
            .collect();
        for name in idle {
            let write = Write::ArchiveRoom {
                name: name.clone(),
                at: now_unix(),
            };
            if self.persist.try_send(write).is_err() {
                return; // Storage is busy: try again at the next tick.
            }
            let mut room = self.rooms.remove(&name).expect("listed above");
            let next_id = room.take_id();
            tracing::info!(room = %name, "archived an idle room");
            self.directory.archive(ArchivedRoom { name, next_id });
        }
    }
}

fn room_left(room: &str) -> ServerMessage {
    ServerMessage::RoomLeft {
        content: RoomRef {
            room: room.into(),
            read_only: false,
        },
        timestamp: now_unix(),
    }
}

//! Rooms: membership, creation, and the recent history each keeps in memory.

use super::hub::{Arrival, Hub, StoreQuery, presence};
use super::now_unix;
use crate::store::{Range, StoredMessage, Write};
use confab_shared::limits::MAX_HISTORY;
use confab_shared::server::{History, RoomInfo, RoomJoined, RoomRef, ServerMessage};
use confab_shared::{MessageId, UserId};
use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

/// One room. Its latest [`MAX_HISTORY`] messages stay in memory, so joining a room
/// or connecting sends history without touching the database.
pub struct Room {
    pub members: BTreeSet<UserId>,
    /// Big rooms: membership changed since the last `room_count`.
    pub count_changed: bool,
    recent: VecDeque<Arc<StoredMessage>>,
    next_id: MessageId,
}

impl Room {
    /// A room with its latest stored messages (oldest first).
    pub fn restore(recent: Vec<StoredMessage>) -> Self {
        let next_id = recent.last().map_or(1, |m| m.id + 1);
        Self {
            members: BTreeSet::new(),
            count_changed: false,
            recent: recent.into_iter().map(Arc::new).collect(),
            next_id,
        }
    }

    /// Hands out the next message id.
    pub fn take_id(&mut self) -> MessageId {
        self.next_id += 1;
        self.next_id - 1
    }

    /// Gives back an id that was never used (its message could not be queued).
    pub fn return_id(&mut self, id: MessageId) {
        if id + 1 == self.next_id {
            self.next_id = id;
        }
    }

    pub fn remember(&mut self, message: Arc<StoredMessage>) {
        self.recent.push_back(message);
        if self.recent.len() > MAX_HISTORY as usize {
            self.recent.pop_front();
        }
    }

    /// The `history` frame for `range`, or None when memory cannot answer it
    /// completely and the store must.
    pub fn history_frame(&self, room: &str, range: Range, limit: u32) -> Option<ServerMessage> {
        let limit = limit.min(MAX_HISTORY) as usize;
        let oldest_kept = self.recent.front().map(|m| m.id);
        let selected: Vec<_> = match range {
            Range::Latest => self.recent.iter().rev().take(limit).rev().collect(),
            // Memory holds every message after `after` if it holds the one after it.
            Range::After(after) if oldest_kept.is_none_or(|oldest| oldest <= after + 1) => self
                .recent
                .iter()
                .filter(|m| m.id > after)
                .take(limit)
                .collect(),
            Range::Before(before) => {
                let older: Vec<_> = self.recent.iter().filter(|m| m.id < before).collect();
                // Enough in memory, or memory reaches back to the room's first message.
                if older.len() < limit && oldest_kept.is_some_and(|oldest| oldest > 1) {
                    return None;
                }
                older.into_iter().rev().take(limit).rev().collect()
            }
            Range::After(_) => return None,
        };
        Some(history_message(room, selected.iter().map(|m| m.as_ref())))
    }
}

pub fn history_message<'a>(
    room: &str,
    messages: impl Iterator<Item = &'a StoredMessage>,
) -> ServerMessage {
    ServerMessage::History {
        content: History {
            room: room.into(),
            messages: messages.map(StoredMessage::to_item).collect(),
        },
        timestamp: now_unix(),
    }
}

impl Hub {
    pub(super) fn list_rooms(&mut self, user: UserId) {
        let rooms = self.rooms.iter().map(|(name, r)| RoomInfo {
            name: name.clone(),
            members: r.members.len(),
        });
        let frame = ServerMessage::Rooms {
            content: rooms.collect(),
            timestamp: now_unix(),
        };
        self.send(user, &frame);
    }

    pub(super) fn create_room(&mut self, user: UserId, room: String) {
        if self
            .rooms
            .keys()
            .any(|existing| existing.eq_ignore_ascii_case(&room))
        {
            return self.send_error(user, &format!("Room already exists: {room}"));
        }
        if self.rooms.len() >= self.settings.max_rooms {
            return self.send_error(user, "Too many rooms");
        }
        let write = Write::Room {
            name: room.clone(),
            created_at: now_unix(),
            by: user,
        };
        if self.persist.try_send(write).is_err() {
            return self.send_error(user, "Server busy: room not created, please retry");
        }
        // Usable at once; announced to everyone once stored (see `committed`).
        self.rooms.insert(room.clone(), Room::restore(Vec::new()));
        self.join_room(user, room);
    }

    /// Announces a stored room, or forgets one that could not be stored.
    pub(super) fn room_committed(&mut self, room: &str, by: UserId, stored: bool) {
        if stored {
            let created = ServerMessage::RoomCreated {
                content: RoomRef { room: room.into() },
                timestamp: now_unix(),
            };
            let frame = super::Frame::from(created.encode());
            let everyone: Vec<UserId> = self.members.keys().copied().collect();
            for id in everyone {
                self.push(id, frame.clone());
            }
            return;
        }
        self.send_error(by, &format!("Room not created (storage error): {room}"));
        if let Some(lost) = self.rooms.remove(room) {
            for id in lost.members {
                if let Some(member) = self.members.get_mut(&id) {
                    member.rooms.remove(room);
                }
                self.send(
                    id,
                    &ServerMessage::RoomLeft {
                        content: RoomRef { room: room.into() },
                        timestamp: now_unix(),
                    },
                );
            }
        }
    }

    /// Joins `room` (idempotent: joining again just refreshes members and history).
    pub(super) fn join_room(&mut self, user: UserId, room: String) {
        let Some(r) = self.rooms.get_mut(&room) else {
            return self.send_error(user, &format!("No such room: {room}"));
        };
        let newly = r.members.insert(user);
        let users_online = r.members.len();
        let member = self
            .members
            .get_mut(&user)
            .expect("caller checked membership");
        member.rooms.insert(room.clone());
        let name = member.name.clone();
        if newly {
            let join = presence(Arrival::Join, &room, user, name, users_online);
            self.announce_presence(&room, &join, Some(user));
        }
        let ServerMessage::Users {
            content: users,
            total,
            ..
        } = self.users_frame(&room, None)
        else {
            unreachable!("users_frame builds users")
        };
        let history = self.rooms[&room]
            .recent
            .iter()
            .map(|m| m.to_item())
            .collect();
        let joined = RoomJoined {
            room,
            users,
            history,
            total_users: total,
        };
        self.send(
            user,
            &ServerMessage::RoomJoined {
                content: joined,
                timestamp: now_unix(),
            },
        );
    }

    pub(super) fn leave_room(&mut self, user: UserId, room: String) {
        let member = self
            .members
            .get_mut(&user)
            .expect("caller checked membership");
        if !member.rooms.remove(&room) {
            return self.send_error(user, &format!("You are not in room: {room}"));
        }
        let name = member.name.clone();
        let r = self.rooms.get_mut(&room).expect("members' rooms exist");
        r.members.remove(&user);
        let leave = presence(Arrival::Leave, &room, user, name, r.members.len());
        self.announce_presence(&room, &leave, None);
        self.send(
            user,
            &ServerMessage::RoomLeft {
                content: RoomRef { room },
                timestamp: now_unix(),
            },
        );
    }

    /// Answers from memory when it can; otherwise asks the caller to query the store.
    pub(super) fn history(
        &mut self,
        user: UserId,
        room: String,
        range: Range,
        limit: u32,
    ) -> Option<StoreQuery> {
        let Some(r) = self.rooms.get(&room) else {
            self.send_error(user, &format!("No such room: {room}"));
            return None;
        };
        match r.history_frame(&room, range, limit) {
            Some(frame) => {
                self.send(user, &frame);
                None
            }
            None => Some(StoreQuery {
                user,
                room,
                range,
                limit,
            }),
        }
    }

    /// Delivers what the store returned for a [`StoreQuery`].
    pub fn deliver_history(
        &mut self,
        query: &StoreQuery,
        found: Result<Vec<StoredMessage>, String>,
    ) {
        match found {
            Ok(messages) => self.send(query.user, &history_message(&query.room, messages.iter())),
            Err(_) => self.send_error(query.user, "History is unavailable right now; please retry"),
        }
        self.settle();
    }
}

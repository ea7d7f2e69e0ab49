//! Read receipts. Each user has one marker per room: the last message it has
//! read. It only moves forward. Accounts' markers are stored, so unread counts
//! survive reloads and follow the account to other devices; a guest's lives as
//! long as the guest.
//!
//! Markers change often (a reader catching up may report every message it
//! scrolls past, and every reader in a busy room reports about once a second),
//! so the hub does not tell the room, nor write the store, per report:
//! [`Hub::announce_reads`] runs twice a second and tells each room once where
//! its readers got to: `read` when one reader moved, `reads` with all of them
//! when several did. Catching up on 500 messages is one event, and a room of
//! 200 active readers costs each member two frames a second, not 200: sent one
//! `read` per reader, the receipts of 200 clients reading once a second cost a
//! third more server CPU per delivered chat message than the chat itself
//! (BENCHMARKS.md, "Typing and read receipts"). One store write carries every
//! account's moved markers.

use super::hub::Hub;
use super::now_unix;
use super::ports::{RoomRead, Write};
use confab_shared::server::{ReadMarker, RoomReads, ServerMessage};
use confab_shared::{ErrorCode, MessageId, UserId};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Most markers in one store write: 3 bound values each, well under SQLite's
/// 32 766 per statement. More moved markers wait for the next tick.
pub const MAX_MARKS_PER_WRITE: usize = 4096;

/// Every user's marker in every room it has read, and which moved since the
/// last announcement.
#[derive(Debug, Default)]
pub struct ReadMarkers {
    marks: HashMap<UserId, HashMap<String, MessageId>>,
    /// Room → readers whose marker moved since the last announcement.
    moved: BTreeMap<String, BTreeSet<UserId>>,
}

impl ReadMarkers {
    pub fn restore(stored: Vec<RoomRead>) -> Self {
        let mut markers = Self::default();
        for read in stored {
            markers
                .marks
                .entry(read.user)
                .or_default()
                .insert(read.room, read.up_to);
        }
        markers
    }

    pub fn get(&self, user: UserId, room: &str) -> Option<MessageId> {
        self.marks.get(&user)?.get(room).copied()
    }

    /// Moves `user`'s marker in `room` to `id`; false if it was there or further.
    fn advance(&mut self, user: UserId, room: &str, id: MessageId) -> bool {
        let rooms = self.marks.entry(user).or_default();
        match rooms.get_mut(room) {
            Some(marker) if *marker >= id => return false,
            Some(marker) => *marker = id,
            None => {
                rooms.insert(room.to_owned(), id);
            }
        }
        self.moved.entry(room.to_owned()).or_default().insert(user);
        true
    }

    /// A guest is gone: its markers go with it.
    pub fn forget(&mut self, user: UserId) {
        self.marks.remove(&user);
    }
}

impl Hub {
    /// `read`: `user` has read `room` up to message `id`. A marker moved back (a
    /// second tab behind the first, say) is ignored; one past the room's newest
    /// message is an error.
    pub(super) fn read(&mut self, user: UserId, room: String, id: MessageId) {
        let Some(r) = self.rooms.get(&room) else {
            return self.no_such_room(user, &room);
        };
        if !self.members[&user].rooms.contains(&room) {
            let text = format!("You are not in room: {room}");
            return self.send_error(user, ErrorCode::NotInRoom, &text);
        }
        if id == 0 || id > r.last_id() {
            return self.send_error(user, ErrorCode::NotFound, "No such message");
        }
        self.reads.advance(user, &room, id);
    }

    /// Tells each room where its readers got to since last time (not in big
    /// rooms), and queues one write of the accounts' moved markers.
    pub fn announce_reads(&mut self) {
        let moved = std::mem::take(&mut self.reads.moved);
        let mut stored = Vec::new();
        for (room, readers) in moved {
            let small = self
                .rooms
                .get(&room)
                .is_some_and(|r| r.members.len() <= self.settings.big_room);
            let mut markers = Vec::new();
            for user in readers {
                let Some(id) = self.reads.get(user, &room) else {
                    continue;
                };
                let account = self.members.get(&user).is_none_or(|m| m.role.is_some());
                if account {
                    let room = room.clone();
                    stored.push(RoomRead {
                        user,
                        room,
                        up_to: id,
                    });
                }
                markers.push(ReadMarker { user_id: user, id });
            }
            if small && !markers.is_empty() {
                let moved = moved_frame(room.clone(), markers);
                self.broadcast_room(&room, &moved, None);
            }
        }
        self.store_reads(stored);
    }

    /// Queues the moved markers; if the queue is full they are kept in memory and
    /// tried again with the next ones (a marker is never more than a hint).
    fn store_reads(&mut self, mut stored: Vec<RoomRead>) {
        while !stored.is_empty() {
            let rest = stored.split_off(stored.len().min(MAX_MARKS_PER_WRITE));
            if let Err(full) = self.persist.try_send(Write::RoomReads(stored)) {
                let Write::RoomReads(unsent) = full.into_inner() else {
                    unreachable!("sent a RoomReads")
                };
                tracing::warn!(
                    markers = unsent.len(),
                    "storage queue full; read markers wait"
                );
                for read in unsent.into_iter().chain(rest) {
                    self.reads
                        .moved
                        .entry(read.room)
                        .or_default()
                        .insert(read.user);
                }
                return;
            }
            stored = rest;
        }
    }

    /// `reads` for `room` as `user` sees it: its own marker (where the room ends
    /// now, if it never read there: what is there on joining counts as read), and
    /// the markers of the others present (none in a big room).
    pub(super) fn reads_frame(&self, user: UserId, room: &str) -> ServerMessage {
        let r = &self.rooms[room];
        let markers = match r.members.len() <= self.settings.big_room {
            true => r
                .members
                .iter()
                .filter(|id| **id != user)
                .filter_map(|id| {
                    Some(ReadMarker {
                        user_id: *id,
                        id: self.reads.get(*id, room)?,
                    })
                })
                .collect(),
            false => Vec::new(),
        };
        ServerMessage::Reads {
            content: RoomReads {
                room: room.to_owned(),
                read_up_to: Some(self.reads.get(user, room).unwrap_or(r.last_id())),
                markers,
            },
            timestamp: now_unix(),
        }
    }
}

/// What a room hears of the readers that moved: `read` for one, `reads` for
/// several (with no `read_up_to`: it is nobody's own marker).
fn moved_frame(room: String, mut markers: Vec<ReadMarker>) -> ServerMessage {
    if let [only] = markers.as_slice() {
        return ServerMessage::Read {
            room: Some(room),
            user_id: only.user_id,
            id: only.id,
            timestamp: now_unix(),
        };
    }
    markers.sort_by_key(|m| m.user_id);
    ServerMessage::Reads {
        content: RoomReads {
            room,
            read_up_to: None,
            markers,
        },
        timestamp: now_unix(),
    }
}

//! Who is in a room: member lists, `join` and `leave`, and big rooms' counts.

use super::hub::Hub;
use super::now_unix;
use confab_shared::UserId;
use confab_shared::limits::USERS_PAGE;
use confab_shared::server::{self, ServerMessage, UserInfo};

impl Hub {
    /// The members of `room`: all of them, or in a big room one page (after `after`).
    pub(super) fn users_frame(&self, room: &str, after: Option<UserId>) -> ServerMessage {
        let members = &self.rooms[room].members;
        let big = members.len() > self.settings.big_room;
        let page = if big { USERS_PAGE } else { usize::MAX };
        // Ids beyond i64::MAX are refused by `decode`; saturating keeps this total.
        let start = after.map_or(0, |a| a.saturating_add(1));
        let users = members
            .range(start..)
            .filter_map(|id| self.members.get(id).map(|m| (id, m)))
            .take(page)
            .map(|(&id, m)| UserInfo {
                id,
                name: m.name().to_owned(),
                connected_at: m.connected_at,
                role: super::events::badge(m.role),
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
        r.touch();
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
    }
}

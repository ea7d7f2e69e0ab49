//! Typing indicators: `typing` goes to the room's others and is never stored.
//! Showing it, and letting it lapse after a few seconds or when its sender posts
//! or leaves, is the clients' part; the server only keeps the stream thin.
//!
//! It goes out at the next half-second tick ([`Hub::announce_typing`]), not at
//! once, and not at all if the sender's message got there first: the message
//! clears the line anyway. A client that says `typing` just before it sends (as
//! a quick typist's does) would otherwise double the frames of a busy room:
//! sent at once, `typing` before each of 200 messages a second to 200 readers
//! cost a third more server CPU per delivered message (BENCHMARKS.md, "Typing
//! and read receipts"). Half a second is nothing to someone watching a typing
//! line.

use super::hub::Hub;
use super::now_unix;
use confab_shared::limits::TYPING_EVERY_SECS;
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, UserId};
use std::time::{Duration, Instant};

/// Clients send `typing` at most every 3 s; a little less, so a client's timer
/// running fast does not lose every other one.
const THROTTLE: Duration = Duration::from_millis(TYPING_EVERY_SECS * 1000 - 500);

impl Hub {
    /// `user` is composing in `room`: its others hear so, unless the room is big
    /// (a typing line is meaningless among hundreds, and would cost a frame per
    /// member per keystroke burst), the user may not post there, or it said so
    /// less than [`THROTTLE`] ago.
    pub(super) fn typing(&mut self, user: UserId, room: String) {
        let Some(r) = self.rooms.get(&room) else {
            return self.no_such_room(user, &room);
        };
        let member = &self.members[&user];
        if !member.rooms.contains(&room) {
            let text = format!("You are not in room: {room}");
            return self.send_error(user, ErrorCode::NotInRoom, &text);
        }
        let staff = member.is_staff();
        let address = member.role.is_none().then_some(member.peer);
        let muted = self
            .sanctions
            .muted(user, address, Some(&room), now_unix())
            .is_some();
        if r.members.len() > self.settings.big_room || muted || (r.read_only && !staff) {
            return;
        }
        let now = Instant::now();
        let member = self.members.get_mut(&user).expect("checked above");
        let recent = member
            .last_typing
            .as_ref()
            .is_some_and(|(last_room, at)| *last_room == room && now - *at < THROTTLE);
        if recent {
            return;
        }
        member.last_typing = Some((room.clone(), now));
        let r = self.rooms.get_mut(&room).expect("checked above");
        r.typing.insert(user);
    }

    /// Tells each room who started typing since the last tick and has not posted
    /// since (and is still there).
    pub fn announce_typing(&mut self) {
        let pending: Vec<(String, Vec<UserId>)> = self
            .rooms
            .iter_mut()
            .filter(|(_, r)| !r.typing.is_empty())
            .map(|(name, r)| {
                (
                    name.clone(),
                    std::mem::take(&mut r.typing).into_iter().collect(),
                )
            })
            .collect();
        for (room, typists) in pending {
            for user in typists {
                let Some(member) = self.members.get(&user).filter(|m| m.rooms.contains(&room))
                else {
                    continue;
                };
                let typing = ServerMessage::Typing {
                    room: room.clone(),
                    user_id: user,
                    user_name: member.name().to_owned(),
                    timestamp: now_unix(),
                };
                self.broadcast_room(&room, &typing, Some(user));
            }
        }
    }
}

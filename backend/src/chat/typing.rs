//! Typing indicators: `typing` goes to the room's others at once and is never
//! stored. Showing it, and letting it lapse after a few seconds or when its
//! sender posts or leaves, is the clients' part; the server only keeps the
//! stream thin.

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
        let typing = ServerMessage::Typing {
            room: room.clone(),
            user_id: user,
            user_name: member.name().to_owned(),
            timestamp: now_unix(),
        };
        self.broadcast_room(&room, &typing, Some(user));
    }
}

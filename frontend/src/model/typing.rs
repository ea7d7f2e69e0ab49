//! Who is typing in each room, as `typing` frames tell it. A line lapses
//! [`TYPING_SHOWN_SECS`] after its last frame, or when its sender posts or leaves.

use super::Chat;
use confab_shared::client::ClientMessage;
use confab_shared::limits::{TYPING_EVERY_SECS, TYPING_SHOWN_SECS};
use confab_shared::{UnixSeconds, UserId};

/// Someone composing, shown until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typist {
    pub id: UserId,
    pub name: String,
    pub until: UnixSeconds,
}

impl Chat {
    pub(super) fn on_typing(&mut self, room: &str, id: UserId, name: String, at: UnixSeconds) {
        let Some(t) = self.rooms.get_mut(room) else {
            return;
        };
        t.typing.retain(|x| x.id != id);
        t.typing.push(Typist {
            id,
            name,
            until: at + TYPING_SHOWN_SECS,
        });
    }

    /// `id` posted or left `room`: it is no longer typing there.
    pub(super) fn typing_stopped(&mut self, room: &str, id: UserId) {
        if let Some(t) = self.rooms.get_mut(room) {
            t.typing.retain(|x| x.id != id);
        }
    }

    /// The line under the current room's messages at `now`, if anyone is typing.
    pub fn typing_line(&self, now: UnixSeconds) -> Option<String> {
        if self.conversation.is_some() {
            return None;
        }
        let names: Vec<&str> = (self.timeline().typing.iter())
            .filter(|x| x.until > now && Some(x.id) != self.my_id())
            .map(|x| x.name.as_str())
            .collect();
        match names.as_slice() {
            [] => None,
            [one] => Some(format!("{one} is typing…")),
            [one, two] => Some(format!("{one} and {two} are typing…")),
            _ => Some("Several people are typing…".into()),
        }
    }

    /// The `typing` to send as the user composes at `now_ms`: in a room (not a
    /// private message), at most every [`TYPING_EVERY_SECS`].
    pub fn typing_now(&mut self, now_ms: u64) -> Option<ClientMessage> {
        if self.private_to.is_some() || self.conversation.is_some() {
            return None;
        }
        let room = self.current.clone();
        let recent = self.last_typing.as_ref().is_some_and(|(last_room, at)| {
            *last_room == room && now_ms.saturating_sub(*at) < TYPING_EVERY_SECS * 1000
        });
        if recent {
            return None;
        }
        self.last_typing = Some((room.clone(), now_ms));
        Some(ClientMessage::Typing { room: Some(room) })
    }

    /// We sent a message: the next keystroke is news again.
    pub fn typing_done(&mut self) {
        self.last_typing = None;
    }
}

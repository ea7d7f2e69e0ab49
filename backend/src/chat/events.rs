//! Presence frames, built in one place: the tutorial's `join` and `leave`.

use super::now_unix;
use confab_shared::UserId;
use confab_shared::api::Role;
use confab_shared::server::{self, Presence, ServerMessage};

/// Whether someone came or went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Movement {
    Join,
    Leave,
}

/// The tutorial's `join` (sent as from the newcomer) or `leave` (sent as from the
/// system), for `room`, with its member count after the change and the
/// newcomer's badge.
pub(super) fn presence(
    movement: Movement,
    room: &str,
    user: UserId,
    name: String,
    users_online: usize,
    role: Option<Role>,
) -> ServerMessage {
    let content = Presence {
        user_id: user,
        user_name: name.clone(),
        users_online,
        role: badge(role),
    };
    let (timestamp, room) = (now_unix(), Some(room.to_owned()));
    match movement {
        Movement::Join => ServerMessage::Join {
            from_id: user,
            from_name: name,
            content,
            timestamp,
            room,
        },
        Movement::Leave => ServerMessage::Leave {
            from_id: server::SYSTEM_ID,
            from_name: server::SYSTEM_NAME.into(),
            content,
            timestamp,
            room,
        },
    }
}

/// The role shown beside a name: moderators and above wear one.
pub(super) fn badge(role: Option<Role>) -> Option<Role> {
    role.filter(|r| r.is_staff())
}

//! The checks [`super::decode`] makes once a frame has parsed: lengths, ranges
//! and names, so the server only ever sees valid requests.

use super::{ClientMessage, DecodeError, MAX_ID};
use crate::attachments::validate_attachments;
use crate::limits;
use crate::limits::MAX_TXN_ID_BYTES;
use crate::moderation::{self, MAX_BAN_SECONDS, MAX_MUTE_SECONDS};

pub(super) fn validate(message: ClientMessage) -> Result<ClientMessage, DecodeError> {
    Ok(match message {
        ClientMessage::SetName { name } => ClientMessage::SetName {
            name: limits::validate_name(&name)?,
        },
        ClientMessage::Message {
            content,
            txn_id,
            room,
            reply_to,
            attachments,
        } => {
            // An image needs no words: empty content is fine beside attachments.
            if attachments.is_empty() || !content.trim().is_empty() {
                limits::validate_content(&content)?;
            }
            validate_attachments(&attachments).map_err(|reason| DecodeError::InvalidField {
                kind: "message",
                reason,
            })?;
            if txn_id
                .as_ref()
                .is_some_and(|t| t.is_empty() || t.len() > MAX_TXN_ID_BYTES)
            {
                return Err(DecodeError::InvalidField {
                    kind: "message",
                    reason: "txn_id must be 1-64 bytes".into(),
                });
            }
            ClientMessage::Message {
                content,
                txn_id,
                room: room_name(room)?,
                reply_to: bounded_id("message", reply_to)?,
                attachments,
            }
        }
        ClientMessage::GetUsers { room, after_id } => ClientMessage::GetUsers {
            room: room_name(room)?,
            after_id: bounded_id("get_users", after_id)?,
        },
        ClientMessage::CreateRoom { room, read_only } => ClientMessage::CreateRoom {
            room: limits::validate_room(&room)?,
            read_only,
        },
        ClientMessage::JoinRoom { room } => ClientMessage::JoinRoom {
            room: limits::validate_room(&room)?,
        },
        ClientMessage::LeaveRoom { room } => ClientMessage::LeaveRoom {
            room: limits::validate_room(&room)?,
        },
        ClientMessage::GetHistory {
            room,
            before_id,
            after_id,
            limit,
        } => ClientMessage::GetHistory {
            room: limits::validate_room(&room)?,
            before_id: bounded_id("get_history", before_id)?,
            after_id: bounded_id("get_history", after_id)?,
            limit: Some(
                limit
                    .unwrap_or(limits::MAX_HISTORY)
                    .clamp(1, limits::MAX_HISTORY),
            ),
        },
        ClientMessage::PrivateMessage { to_id, content } => {
            limits::validate_content(&content)?;
            ClientMessage::PrivateMessage { to_id, content }
        }
        ClientMessage::GetPrivateHistory {
            with_id,
            before_id,
            limit,
        } => ClientMessage::GetPrivateHistory {
            with_id: bounded_id("get_private_history", Some(with_id))?.unwrap_or_default(),
            before_id: bounded_id("get_private_history", before_id)?,
            limit: Some(
                limit
                    .unwrap_or(limits::MAX_HISTORY)
                    .clamp(1, limits::MAX_HISTORY),
            ),
        },
        ClientMessage::MarkRead { with_id, id } => ClientMessage::MarkRead {
            with_id: bounded_id("mark_read", Some(with_id))?.unwrap_or_default(),
            id: bounded_id("mark_read", Some(id))?.unwrap_or_default(),
        },
        ClientMessage::Typing { room } => ClientMessage::Typing {
            room: room_name(room)?,
        },
        ClientMessage::EditMessage { room, id, content } => {
            limits::validate_content(&content)?;
            ClientMessage::EditMessage {
                room: limits::validate_room(&room)?,
                id: bounded_id("edit_message", Some(id))?.unwrap_or_default(),
                content,
            }
        }
        ClientMessage::React { room, id, emoji } => ClientMessage::React {
            room: limits::validate_room(&room)?,
            id: bounded_id("react", Some(id))?.unwrap_or_default(),
            emoji: crate::reactions::validate_reaction(&emoji).map_err(|reason| {
                DecodeError::InvalidField {
                    kind: "react",
                    reason,
                }
            })?,
        },
        ClientMessage::Read { room, id } => ClientMessage::Read {
            room: limits::validate_room(&room)?,
            id: bounded_id("read", Some(id))?.unwrap_or_default(),
        },
        ClientMessage::Search { query, room } => {
            crate::search::search_terms(&query).map_err(|reason| DecodeError::InvalidField {
                kind: "search",
                reason,
            })?;
            ClientMessage::Search {
                query,
                room: room_name(room)?,
            }
        }
        other => validate_moderation(other)?,
    })
}

/// Moderators' requests: a known user, a bounded reason and duration.
fn validate_moderation(message: ClientMessage) -> Result<ClientMessage, DecodeError> {
    let kind = message.tag();
    let field = |reason: String| DecodeError::InvalidField { kind, reason };
    let user = |id: u64| bounded_id(kind, Some(id)).map(Option::unwrap_or_default);
    Ok(match message {
        ClientMessage::Kick { user_id, reason } => ClientMessage::Kick {
            user_id: user(user_id)?,
            reason: moderation::validate_reason(&reason).map_err(field)?,
        },
        ClientMessage::Mute {
            user_id,
            seconds,
            room,
            reason,
        } => ClientMessage::Mute {
            user_id: user(user_id)?,
            seconds: moderation::validate_seconds(seconds, MAX_MUTE_SECONDS).map_err(field)?,
            room: room_name(room)?,
            reason: moderation::validate_reason(&reason).map_err(field)?,
        },
        ClientMessage::Unmute { user_id, room } => ClientMessage::Unmute {
            user_id: user(user_id)?,
            room: room_name(room)?,
        },
        ClientMessage::Ban {
            user_id,
            seconds,
            reason,
        } => ClientMessage::Ban {
            user_id: user(user_id)?,
            seconds: seconds
                .map(|s| moderation::validate_seconds(s, MAX_BAN_SECONDS))
                .transpose()
                .map_err(field)?,
            reason: moderation::validate_reason(&reason).map_err(field)?,
        },
        ClientMessage::Unban { user_id } => ClientMessage::Unban {
            user_id: user(user_id)?,
        },
        ClientMessage::DeleteMessage { room, id } => ClientMessage::DeleteMessage {
            room: limits::validate_room(&room)?,
            id: user(id)?,
        },
        ClientMessage::GrantRole { user_id, role } => ClientMessage::GrantRole {
            user_id: user(user_id)?,
            role,
        },
        ClientMessage::RevokeRole { user_id } => ClientMessage::RevokeRole {
            user_id: user(user_id)?,
        },
        ClientMessage::GetAudit { before_id, limit } => ClientMessage::GetAudit {
            before_id: bounded_id(kind, before_id)?,
            limit: Some(
                limit
                    .unwrap_or(moderation::MAX_AUDIT_PAGE)
                    .clamp(1, moderation::MAX_AUDIT_PAGE),
            ),
        },
        other => other,
    })
}

fn room_name(room: Option<String>) -> Result<Option<String>, DecodeError> {
    Ok(match room {
        Some(room) => Some(limits::validate_room(&room)?),
        None => None,
    })
}

fn bounded_id(kind: &'static str, id: Option<u64>) -> Result<Option<u64>, DecodeError> {
    match id {
        Some(id) if id > MAX_ID => Err(DecodeError::InvalidField {
            kind,
            reason: format!("ids are at most {MAX_ID}"),
        }),
        id => Ok(id),
    }
}

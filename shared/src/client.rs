//! Frames a client sends to the server.
//!
//! [`decode`] is the only way the server reads a client frame. It never panics and
//! never gives up on a connection: every bad frame maps to a [`DecodeError`] whose
//! text is sent back in an `error` frame, and the connection carries on.

use crate::ErrorCode;
use crate::limits::{self, MAX_TXN_ID_BYTES};
use crate::{MessageId, UserId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use thiserror::Error;

/// A client→server frame. The `type` field selects the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// `{"type":"message","content":"Hello"}`: a public message.
    ///
    /// `txn_id` (Confab extension) is chosen by the client and echoed back on the
    /// sender's copy, so a client can match the echo to the message it sent.
    Message {
        content: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        txn_id: Option<String>,
        /// Confab extension: the room to post in; `general` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
    },
    /// `{"type":"set_name","name":"Ann"}`
    SetName { name: String },
    /// `{"type":"private_message","to_id":2,"content":"hi"}`; `to_id` may also be `"2"`.
    PrivateMessage {
        #[serde(deserialize_with = "user_id_lenient")]
        to_id: UserId,
        content: String,
    },
    /// `{"type":"get_users"}`: the members of `room` (`general` when absent).
    GetUsers {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        /// Big rooms: the next page, after this user id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after_id: Option<UserId>,
    },
    /// `{"type":"get_stats"}`
    GetStats {},
    /// `{"type":"list_rooms"}`: every room, with its member count.
    ListRooms {},
    /// `{"type":"create_room","room":"books"}`
    CreateRoom { room: String },
    /// `{"type":"join_room","room":"random"}`: answered by `room_joined`.
    JoinRoom { room: String },
    /// `{"type":"leave_room","room":"random"}`: answered by `room_left`.
    LeaveRoom { room: String },
    /// Scrollback or catch-up: messages before `before_id`, or after `after_id`, or
    /// the latest when neither is given; at most `limit` (default and cap 100).
    GetHistory {
        room: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after_id: Option<MessageId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
}

impl ClientMessage {
    /// The `type` this message goes by on the wire. Exhaustive on purpose: a new
    /// variant must name its tag here, and a test checks that every tag is in
    /// `KNOWN_TYPES` and agrees with serde's.
    pub fn tag(&self) -> &'static str {
        match self {
            ClientMessage::Message { .. } => "message",
            ClientMessage::SetName { .. } => "set_name",
            ClientMessage::PrivateMessage { .. } => "private_message",
            ClientMessage::GetUsers { .. } => "get_users",
            ClientMessage::GetStats {} => "get_stats",
            ClientMessage::ListRooms {} => "list_rooms",
            ClientMessage::CreateRoom { .. } => "create_room",
            ClientMessage::JoinRoom { .. } => "join_room",
            ClientMessage::LeaveRoom { .. } => "leave_room",
            ClientMessage::GetHistory { .. } => "get_history",
        }
    }

    /// The frame's JSON text.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("client messages always serialize")
    }
}

/// Why a client frame was refused. `Display` is the text for the `error` reply.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not JSON, not an object, or `type` missing or not a string.
    #[error("Invalid message format")]
    InvalidFormat,
    #[error("Unknown message type: {0}")]
    UnknownType(String),
    #[error(transparent)]
    Name(#[from] limits::NameError),
    #[error(transparent)]
    Content(#[from] limits::ContentError),
    #[error(transparent)]
    Room(#[from] limits::RoomError),
    /// `to_id` missing, malformed, or (reported later by the server) not online.
    #[error("User not found or offline")]
    UnknownRecipient,
    #[error("Invalid {kind}: {reason}")]
    InvalidField { kind: &'static str, reason: String },
}

impl DecodeError {
    /// The machine-readable code sent with this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            DecodeError::InvalidFormat => ErrorCode::InvalidFormat,
            DecodeError::UnknownType(_) => ErrorCode::UnknownType,
            DecodeError::Name(_) => ErrorCode::InvalidName,
            DecodeError::Content(limits::ContentError::TooLarge) => ErrorCode::TooLarge,
            DecodeError::Content(_) => ErrorCode::InvalidContent,
            DecodeError::Room(_) => ErrorCode::InvalidRoom,
            DecodeError::UnknownRecipient => ErrorCode::NotFound,
            DecodeError::InvalidField { .. } => ErrorCode::InvalidField,
        }
    }
}

/// Largest message or user id a client may name: ids are stored as SQLite's signed
/// 64-bit integers, and paging computes `id + 1`.
pub const MAX_ID: u64 = i64::MAX as u64;

const KNOWN_TYPES: [&str; 10] = [
    "message",
    "set_name",
    "private_message",
    "get_users",
    "get_stats",
    "list_rooms",
    "create_room",
    "join_room",
    "leave_room",
    "get_history",
];

/// Parses and validates one text frame from a client.
///
/// Names come back trimmed; content comes back exactly as sent.
pub fn decode(text: &str) -> Result<ClientMessage, DecodeError> {
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
        return Err(DecodeError::InvalidFormat);
    };
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        _ => return Err(DecodeError::InvalidFormat),
    };
    let Some(&kind) = KNOWN_TYPES.iter().find(|known| **known == kind) else {
        return Err(DecodeError::UnknownType(truncate(&kind, 64)));
    };
    // The tutorial answers any `to_id` that names nobody (missing, malformed) with
    // "User not found or offline": check it on its own rather than read it out of
    // serde's error text.
    if kind == "private_message" && object.get("to_id").and_then(lenient_user_id).is_none() {
        return Err(DecodeError::UnknownRecipient);
    }
    let message = serde_json::from_value::<ClientMessage>(Value::Object(object))
        .map_err(|e| field_error(kind, &e))?;
    validate(message)
}

fn field_error(kind: &'static str, error: &serde_json::Error) -> DecodeError {
    match kind {
        // The tutorial answers a missing or non-string name with its length error.
        "set_name" => limits::NameError::Length.into(),
        _ => DecodeError::InvalidField {
            kind,
            reason: truncate(&error.to_string(), 120),
        },
    }
}

fn validate(message: ClientMessage) -> Result<ClientMessage, DecodeError> {
    Ok(match message {
        ClientMessage::SetName { name } => ClientMessage::SetName {
            name: limits::validate_name(&name)?,
        },
        ClientMessage::Message {
            content,
            txn_id,
            room,
        } => {
            limits::validate_content(&content)?;
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
            }
        }
        ClientMessage::GetUsers { room, after_id } => ClientMessage::GetUsers {
            room: room_name(room)?,
            after_id: bounded_id("get_users", after_id)?,
        },
        ClientMessage::CreateRoom { room } => ClientMessage::CreateRoom {
            room: limits::validate_room(&room)?,
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

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// Accepts `2`, `2.0` or `"2"`, as the tutorial's `tonumber(msg.to_id)` does.
fn user_id_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<UserId, D::Error> {
    use serde::de::Error;
    let value = Value::deserialize(deserializer)?;
    lenient_user_id(&value).ok_or_else(|| D::Error::custom("to_id must be a user id"))
}

fn lenient_user_id(value: &Value) -> Option<UserId> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse::<UserId>().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact texts the tutorial's HTML client and its websocat session send.
    #[test]
    fn decodes_what_the_tutorial_sends() {
        assert_eq!(
            decode(r#"{"type":"message","content":"Hello from terminal!"}"#),
            Ok(ClientMessage::Message {
                content: "Hello from terminal!".into(),
                txn_id: None,
                room: None,
            })
        );
        assert_eq!(
            decode(r#"{"type":"set_name","name":"Terminal User"}"#),
            Ok(ClientMessage::SetName {
                name: "Terminal User".into()
            })
        );
        assert_eq!(
            decode(r#"{"type":"private_message","to_id":2,"content":"psst"}"#),
            Ok(ClientMessage::PrivateMessage {
                to_id: 2,
                content: "psst".into()
            })
        );
        assert_eq!(
            decode(r#"{"type":"get_users"}"#),
            Ok(ClientMessage::GetUsers {
                room: None,
                after_id: None
            })
        );
        assert_eq!(
            decode(r#"{"type":"get_stats"}"#),
            Ok(ClientMessage::GetStats {})
        );
    }

    #[test]
    fn to_id_may_be_a_numeric_string() {
        assert_eq!(
            decode(r#"{"type":"private_message","to_id":"7","content":"x"}"#),
            Ok(ClientMessage::PrivateMessage {
                to_id: 7,
                content: "x".into()
            })
        );
        for bad in [r#""abc""#, "-1", "1.5", "null", "[1]"] {
            let frame = format!(r#"{{"type":"private_message","to_id":{bad},"content":"x"}}"#);
            assert_eq!(
                decode(&frame),
                Err(DecodeError::UnknownRecipient),
                "{frame}"
            );
        }
    }

    #[test]
    fn non_objects_and_bad_types_are_invalid_format() {
        for frame in [
            "123",
            "true",
            "null",
            "\"hi\"",
            "[1,2]",
            "{",
            "",
            "{\"type\":null}",
            "{\"type\":5}",
            "{\"content\":\"no type\"}",
        ] {
            assert_eq!(decode(frame), Err(DecodeError::InvalidFormat), "{frame}");
            assert_eq!(
                DecodeError::InvalidFormat.to_string(),
                "Invalid message format"
            );
        }
    }

    #[test]
    fn unknown_type_is_named_in_the_error() {
        let err = decode(r#"{"type":"dance"}"#).unwrap_err();
        assert_eq!(err.to_string(), "Unknown message type: dance");
    }

    #[test]
    fn bad_names_get_the_tutorial_error_text() {
        for frame in [
            r#"{"type":"set_name","name":123}"#,
            r#"{"type":"set_name"}"#,
            r#"{"type":"set_name","name":""}"#,
            r#"{"type":"set_name","name":"123456789012345678901"}"#,
        ] {
            let err = decode(frame).unwrap_err();
            assert_eq!(
                err.to_string(),
                "Invalid name (1-20 characters required)",
                "{frame}"
            );
        }
        assert_eq!(
            decode(r#"{"type":"set_name","name":"  Bo  "}"#),
            Ok(ClientMessage::SetName { name: "Bo".into() })
        );
    }

    #[test]
    fn content_must_be_a_non_empty_string_within_the_limit() {
        assert_eq!(
            decode(r#"{"type":"message","content":""}"#),
            Err(DecodeError::Content(limits::ContentError::Empty))
        );
        assert!(matches!(
            decode(r#"{"type":"message","content":42}"#),
            Err(DecodeError::InvalidField {
                kind: "message",
                ..
            })
        ));
        let big = format!(r#"{{"type":"message","content":"{}"}}"#, "x".repeat(10_241));
        assert_eq!(
            decode(&big),
            Err(DecodeError::Content(limits::ContentError::TooLarge))
        );
    }

    #[test]
    fn txn_id_round_trips() {
        let sent = ClientMessage::Message {
            content: "hi".into(),
            txn_id: Some("t-1".into()),
            room: None,
        };
        assert_eq!(
            sent.encode(),
            r#"{"type":"message","content":"hi","txn_id":"t-1"}"#
        );
        assert_eq!(decode(&sent.encode()), Ok(sent));
    }

    #[test]
    fn room_commands_validate_names_and_history_limits() {
        assert_eq!(
            decode(r#"{"type":"join_room","room":" random "}"#),
            Ok(ClientMessage::JoinRoom {
                room: "random".into()
            })
        );
        let long = format!(r#"{{"type":"create_room","room":"{}"}}"#, "r".repeat(33));
        assert_eq!(
            decode(&long).unwrap_err().to_string(),
            "Invalid room name (1-32 characters required)"
        );
        assert_eq!(
            decode(r#"{"type":"get_history","room":"general","before_id":10,"limit":1000}"#),
            Ok(ClientMessage::GetHistory {
                room: "general".into(),
                before_id: Some(10),
                after_id: None,
                limit: Some(100),
            })
        );
        assert_eq!(
            decode(r#"{"type":"message","content":"x","room":"gaming"}"#),
            Ok(ClientMessage::Message {
                content: "x".into(),
                txn_id: None,
                room: Some("gaming".into())
            })
        );
    }

    #[test]
    fn ids_beyond_i64_are_refused_before_any_arithmetic() {
        for frame in [
            r#"{"type":"get_history","room":"general","after_id":18446744073709551615}"#,
            r#"{"type":"get_history","room":"general","before_id":9223372036854775808}"#,
            r#"{"type":"get_users","after_id":18446744073709551615}"#,
        ] {
            let error = decode(frame).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidField, "{frame}");
        }
        assert!(decode(r#"{"type":"get_users","after_id":9223372036854775807}"#).is_ok());
    }

    #[test]
    fn names_and_rooms_come_back_normalized() {
        assert_eq!(
            decode(r#"{"type":"set_name","name":"Ｕｓｅｒ１"}"#),
            Ok(ClientMessage::SetName {
                name: "User1".into()
            })
        );
        let markup = decode(r#"{"type":"set_name","name":"<svg onload=alert()>"}"#);
        assert_eq!(markup.unwrap_err().code(), ErrorCode::InvalidName);
        let spoof = decode(r#"{"type":"create_room","room":"general\u200b"}"#);
        assert_eq!(spoof.unwrap_err().code(), ErrorCode::InvalidRoom);
    }

    /// One message of every variant. The match in the loop below has no `_` arm,
    /// so a new variant fails to compile until it is added here too.
    fn every_variant() -> Vec<ClientMessage> {
        let room = || "general".to_string();
        vec![
            ClientMessage::Message {
                content: "x".into(),
                txn_id: None,
                room: None,
            },
            ClientMessage::SetName { name: "Ann".into() },
            ClientMessage::PrivateMessage {
                to_id: 1,
                content: "x".into(),
            },
            ClientMessage::GetUsers {
                room: None,
                after_id: None,
            },
            ClientMessage::GetStats {},
            ClientMessage::ListRooms {},
            ClientMessage::CreateRoom { room: room() },
            ClientMessage::JoinRoom { room: room() },
            ClientMessage::LeaveRoom { room: room() },
            ClientMessage::GetHistory {
                room: room(),
                before_id: None,
                after_id: None,
                limit: None,
            },
        ]
    }

    #[test]
    fn known_types_are_exactly_the_enums_tags() {
        let samples = every_variant();
        let mut seen = std::collections::HashSet::new();
        for message in &samples {
            // Exhaustive: naming every variant here is what keeps the list whole.
            seen.insert(std::mem::discriminant(match message {
                ClientMessage::Message { .. }
                | ClientMessage::SetName { .. }
                | ClientMessage::PrivateMessage { .. }
                | ClientMessage::GetUsers { .. }
                | ClientMessage::GetStats {}
                | ClientMessage::ListRooms {}
                | ClientMessage::CreateRoom { .. }
                | ClientMessage::JoinRoom { .. }
                | ClientMessage::LeaveRoom { .. }
                | ClientMessage::GetHistory { .. } => message,
            }));
            let wire: Value = serde_json::from_str(&message.encode()).unwrap();
            assert_eq!(wire["type"], message.tag());
            assert!(decode(&message.encode()).is_ok(), "{}", message.tag());
        }
        assert_eq!(seen.len(), samples.len(), "one sample per variant");
        let tags: Vec<&str> = samples.iter().map(ClientMessage::tag).collect();
        assert_eq!(tags, KNOWN_TYPES);
    }

    #[test]
    fn encode_matches_the_tutorial_shapes() {
        assert_eq!(
            ClientMessage::GetUsers {
                room: None,
                after_id: None
            }
            .encode(),
            r#"{"type":"get_users"}"#
        );
        assert_eq!(
            ClientMessage::SetName { name: "Ann".into() }.encode(),
            r#"{"type":"set_name","name":"Ann"}"#
        );
    }
}

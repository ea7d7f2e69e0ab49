//! Tests of `client.rs`.
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
            reply_to: None,
            attachments: Vec::new(),
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
        reply_to: None,
        attachments: Vec::new(),
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
            room: Some("gaming".into()),
            reply_to: None,
            attachments: Vec::new(),
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
            reply_to: None,
            attachments: Vec::new(),
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
        ClientMessage::CreateRoom {
            room: room(),
            read_only: false,
        },
        ClientMessage::JoinRoom { room: room() },
        ClientMessage::LeaveRoom { room: room() },
        ClientMessage::GetHistory {
            room: room(),
            before_id: None,
            after_id: None,
            limit: None,
        },
        ClientMessage::GetPrivateHistory {
            with_id: 7,
            before_id: Some(9),
            limit: Some(50),
        },
        ClientMessage::GetConversations {},
        ClientMessage::MarkRead { with_id: 7, id: 9 },
        ClientMessage::Kick {
            user_id: 2,
            reason: "spam".into(),
        },
        ClientMessage::Mute {
            user_id: 2,
            seconds: 60,
            room: Some(room()),
            reason: String::new(),
        },
        ClientMessage::Unmute {
            user_id: 2,
            room: None,
        },
        ClientMessage::Ban {
            user_id: 2,
            seconds: None,
            reason: "spam".into(),
        },
        ClientMessage::Unban { user_id: 2 },
        ClientMessage::DeleteMessage {
            room: room(),
            id: 3,
        },
        ClientMessage::GrantRole {
            user_id: 2,
            role: crate::api::Role::Moderator,
        },
        ClientMessage::RevokeRole { user_id: 2 },
        ClientMessage::GetAudit {
            before_id: None,
            limit: Some(10),
        },
        ClientMessage::Typing { room: None },
        ClientMessage::Read {
            room: room(),
            id: 4,
        },
        ClientMessage::EditMessage {
            room: room(),
            id: 4,
            content: "fixed".into(),
        },
        ClientMessage::React {
            room: room(),
            id: 4,
            emoji: "👍".into(),
        },
        ClientMessage::Search {
            query: "lunch".into(),
            room: None,
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
            | ClientMessage::GetHistory { .. }
            | ClientMessage::GetPrivateHistory { .. }
            | ClientMessage::GetConversations {}
            | ClientMessage::MarkRead { .. }
            | ClientMessage::Kick { .. }
            | ClientMessage::Mute { .. }
            | ClientMessage::Unmute { .. }
            | ClientMessage::Ban { .. }
            | ClientMessage::Unban { .. }
            | ClientMessage::DeleteMessage { .. }
            | ClientMessage::GrantRole { .. }
            | ClientMessage::RevokeRole { .. }
            | ClientMessage::GetAudit { .. }
            | ClientMessage::Typing { .. }
            | ClientMessage::Read { .. }
            | ClientMessage::EditMessage { .. }
            | ClientMessage::React { .. }
            | ClientMessage::Search { .. } => message,
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

#[test]
fn moderation_requests_are_bounded() {
    let long = "x".repeat(crate::moderation::MAX_REASON_CHARS + 1);
    let kick = format!(r#"{{"type":"kick","user_id":2,"reason":"{long}"}}"#);
    assert_eq!(decode(&kick).unwrap_err().code(), ErrorCode::InvalidField);
    let kick = decode(r#"{"type":"kick","user_id":2,"reason":"  spam  "}"#).unwrap();
    assert_eq!(
        kick,
        ClientMessage::Kick {
            user_id: 2,
            reason: "spam".into()
        }
    );
    for seconds in ["0", "2592001", "-1", "\"x\""] {
        let mute = format!(r#"{{"type":"mute","user_id":2,"seconds":{seconds}}}"#);
        assert_eq!(decode(&mute).unwrap_err().code(), ErrorCode::InvalidField);
    }
    let ban = decode(r#"{"type":"ban","user_id":2}"#).unwrap();
    assert!(matches!(ban, ClientMessage::Ban { seconds: None, .. }));
    let grant = r#"{"type":"grant_role","user_id":2,"role":"emperor"}"#;
    assert_eq!(decode(grant).unwrap_err().code(), ErrorCode::InvalidField);
    let reason = r#"{"type":"kick","user_id":2,"reason":"a\nb"}"#;
    assert_eq!(decode(reason).unwrap_err().code(), ErrorCode::InvalidField);
}

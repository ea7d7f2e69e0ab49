//! Tests of `server.rs`.
use super::*;
use serde_json::{Value, json};

fn wire(message: &ServerMessage) -> Value {
    serde_json::from_str(&message.encode()).unwrap()
}

/// The paths the tutorial's client reads (`msg.content.user_id`, `msg.from_name`, …).
#[test]
fn welcome_has_the_tutorial_shape() {
    let frame = ServerMessage::Welcome {
        content: Welcome {
            user_id: 1,
            user_name: "User1".into(),
            message: "Welcome to the chat room!".into(),
            server_stats: Stats {
                users_online: 1,
                uptime_seconds: 5,
                server_time: "2026-11-21 10:00:00".into(),
            },
            resume_token: None,
            resumed: false,
            account: None,
        },
        timestamp: 1_700_000_000,
    };
    assert_eq!(
        wire(&frame),
        json!({"type":"welcome","timestamp":1_700_000_000,"content":{
            "user_id":1,"user_name":"User1","message":"Welcome to the chat room!",
            "server_stats":{"users_online":1,"uptime_seconds":5,
                "server_time":"2026-11-21 10:00:00"}}})
    );
}

#[test]
fn broadcasts_carry_sender_at_top_level() {
    let frame = ServerMessage::Message {
        from_id: 2,
        from_name: "Ann".into(),
        content: "hi".into(),
        timestamp: 9,
        txn_id: None,
        id: None,
        room: None,
        reply_to: None,
        attachments: Vec::new(),
    };
    assert_eq!(
        wire(&frame),
        json!({"type":"message","from_id":2,"from_name":"Ann","content":"hi","timestamp":9})
    );
    let leave = ServerMessage::Leave {
        from_id: SYSTEM_ID,
        from_name: SYSTEM_NAME.into(),
        content: Presence {
            user_id: 3,
            user_name: "Bo".into(),
            users_online: 1,
            role: None,
        },
        timestamp: 9,
        room: None,
    };
    assert_eq!(
        wire(&leave),
        json!({"type":"leave","from_id":0,"from_name":"System","timestamp":9,
            "content":{"user_id":3,"user_name":"Bo","users_online":1}})
    );
}

#[test]
fn users_content_is_a_bare_array() {
    let frame = ServerMessage::Users {
        content: vec![UserInfo {
            id: 1,
            name: "A".into(),
            connected_at: 3,
            role: None,
        }],
        timestamp: 4,
        room: None,
        total: None,
    };
    assert_eq!(
        wire(&frame),
        json!({"type":"users","timestamp":4,"content":[{"id":1,"name":"A","connected_at":3}]})
    );
}

#[test]
fn private_shapes() {
    let sent = ServerMessage::PrivateMessageSent {
        to_id: 4,
        to_name: "Cy".into(),
        content: "x".into(),
        timestamp: 1,
        id: None,
    };
    assert_eq!(
        wire(&sent),
        json!({"type":"private_message_sent","to_id":4,"to_name":"Cy","content":"x","timestamp":1})
    );
    assert_eq!(
        wire(&ServerMessage::error(
            ErrorCode::InvalidFormat,
            "Invalid message format",
            1
        )),
        json!({"type":"error","content":{"message":"Invalid message format","code":"invalid_format"},"timestamp":1})
    );
    // A code from a newer server still parses.
    let newer = r#"{"type":"error","content":{"message":"x","code":"brand_new"},"timestamp":1}"#;
    assert!(matches!(
        serde_json::from_str::<ServerMessage>(newer),
        Ok(ServerMessage::Error {
            content: ErrorBody {
                code: Some(ErrorCode::Unknown),
                ..
            },
            ..
        })
    ));
}

#[test]
fn history_items_look_like_message_events_plus_id() {
    let item = HistoryItem {
        kind: MessageKind::Message,
        id: 7,
        room: "general".into(),
        from_id: 1,
        from_name: "Ann".into(),
        content: "hi".into(),
        timestamp: 5,
        deleted: false,
        edited_at: None,
        rev: None,
        reply_to: None,
        attachments: Vec::new(),
        reactions: vec![],
    };
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        json!({"type":"message","id":7,"room":"general","from_id":1,"from_name":"Ann",
            "content":"hi","timestamp":5})
    );
}

#[test]
fn every_frame_round_trips() {
    let frames = [
        ServerMessage::NameChanged {
            content: NameChanged {
                old_name: "a".into(),
                new_name: "b".into(),
            },
            timestamp: 1,
        },
        ServerMessage::UserRenamed {
            from_id: 1,
            from_name: "b".into(),
            content: UserRenamed {
                user_id: 1,
                old_name: "a".into(),
                new_name: "b".into(),
            },
            timestamp: 1,
        },
        ServerMessage::Message {
            from_id: 1,
            from_name: "b".into(),
            content: "<img src=x onerror=alert(1)>".into(),
            timestamp: 1,
            txn_id: Some("t".into()),
            id: Some(7),
            room: Some("general".into()),
            reply_to: None,
            attachments: Vec::new(),
        },
        ServerMessage::History {
            content: History {
                room: "general".into(),
                truncated: false,
                messages: vec![HistoryItem {
                    kind: MessageKind::Message,
                    id: 7,
                    room: "general".into(),
                    from_id: 1,
                    from_name: "b".into(),
                    content: "hi".into(),
                    timestamp: 1,
                    deleted: false,
                    edited_at: None,
                    rev: None,
                    reply_to: None,
                    attachments: Vec::new(),
                    reactions: vec![],
                }],
            },
            timestamp: 1,
        },
    ];
    for frame in frames {
        let back: ServerMessage = serde_json::from_str(&frame.encode()).unwrap();
        assert_eq!(back, frame);
    }
}

#[test]
fn read_events_name_the_room_or_the_conversation() {
    let in_room = ServerMessage::Read {
        room: Some("general".into()),
        user_id: 2,
        id: 40,
        timestamp: 9,
    };
    assert_eq!(
        wire(&in_room),
        json!({"type":"read","room":"general","user_id":2,"id":40,"timestamp":9})
    );
    let seen = ServerMessage::Read {
        room: None,
        user_id: 2,
        id: 7,
        timestamp: 9,
    };
    assert_eq!(
        wire(&seen),
        json!({"type":"read","user_id":2,"id":7,"timestamp":9})
    );
    let reads = ServerMessage::Reads {
        content: RoomReads {
            room: "general".into(),
            read_up_to: None,
            markers: vec![ReadMarker { user_id: 3, id: 5 }],
        },
        timestamp: 9,
    };
    assert_eq!(
        wire(&reads),
        json!({"type":"reads","timestamp":9,
            "content":{"room":"general","markers":[{"user_id":3,"id":5}]}})
    );
}

//! The written-out reader of server frames against the derived writer: every
//! variant, with every field it can carry, reads back as it was written.

use super::ServerMessage;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Which variant a frame is. Exhaustive on purpose: a new variant does not
/// compile until it is listed here, and then the test below wants a sample.
fn variant(message: &ServerMessage) -> usize {
    use ServerMessage::*;
    match message {
        Welcome { .. } => 0,
        Users { .. } => 1,
        Join { .. } => 2,
        Leave { .. } => 3,
        Message { .. } => 4,
        History { .. } => 5,
        Rooms { .. } => 6,
        RoomCreated { .. } => 7,
        RoomJoined { .. } => 8,
        RoomCount { .. } => 9,
        RoomLeft { .. } => 10,
        NameChanged { .. } => 11,
        UserRenamed { .. } => 12,
        PrivateMessage { .. } => 13,
        PrivateMessageSent { .. } => 14,
        PrivateHistory { .. } => 15,
        Conversations { .. } => 16,
        Stats { .. } => 17,
        Kicked { .. } => 18,
        Banned { .. } => 19,
        Muted { .. } => 20,
        Unmuted { .. } => 21,
        Typing { .. } => 22,
        Read { .. } => 23,
        Reads { .. } => 24,
        MessageDeleted { .. } => 25,
        MessageEdited { .. } => 26,
        Reaction { .. } => 27,
        RoleChanged { .. } => 28,
        Moderation { .. } => 29,
        SearchResults { .. } => 30,
        Audit { .. } => 31,
        Error { .. } => 32,
    }
}
const VARIANTS: usize = 33;

fn item() -> Value {
    json!({"type": "message", "id": 7, "room": "general", "from_id": 1, "from_name": "Ann",
        "content": "hi", "timestamp": 5, "deleted": true, "edited_at": 6, "rev": 9,
        "reply_to": 3, "reactions": [{"emoji": "🎉", "count": 2, "user_ids": [1, 2]}],
        "attachments": [{"url": "/uploads/0123456789abcdef0123456789abcdef.png", "width": 3, "height": 2}]})
}

fn samples() -> Vec<Value> {
    let stats = json!({"users_online": 2, "uptime_seconds": 9, "server_time": "now"});
    let user = json!({"id": 1, "name": "Ann", "connected_at": 4, "role": "admin"});
    let presence = json!({"user_id": 1, "user_name": "Ann", "users_online": 2, "role": "member"});
    let private = json!({"id": 1, "from_id": 1, "from_name": "Ann", "to_id": 2, "content": "x", "timestamp": 3});
    let entry = json!({"id": 4, "at": 5, "action": "mute", "by_id": 1, "by_name": "Mona",
        "target_id": 2, "target_name": "Bob", "room": "general", "message_id": 8, "reason": "spam",
        "until": 99, "role": "moderator", "automatic": true});
    vec![
        json!({"type": "welcome", "content": {"user_id": 1, "user_name": "Ann", "message": "hi",
            "server_stats": stats, "resume_token": "t", "resumed": true,
            "account": {"username": "Ann", "role": "owner"}}, "timestamp": 1}),
        json!({"type": "users", "content": [user], "timestamp": 1, "room": "books", "total": 120}),
        json!({"type": "join", "from_id": 1, "from_name": "Ann", "content": presence, "timestamp": 1, "room": "books"}),
        json!({"type": "leave", "from_id": 0, "from_name": "System", "content": presence, "timestamp": 1}),
        json!({"type": "message", "from_id": 1, "from_name": "Ann", "content": "", "timestamp": 1,
            "txn_id": "t1", "id": 7, "room": "general", "reply_to": 3,
            "attachments": [{"url": "/uploads/0123456789abcdef0123456789abcdef.gif", "width": 1, "height": 1}]}),
        json!({"type": "history", "content": {"room": "general", "messages": [item()], "truncated": true}, "timestamp": 1}),
        json!({"type": "rooms", "content": [{"name": "news", "members": 3, "read_only": true}], "timestamp": 1}),
        json!({"type": "room_created", "content": {"room": "news", "read_only": true}, "timestamp": 1}),
        json!({"type": "room_joined", "content": {"room": "news", "users": [user], "history": [item()],
            "total_users": 300, "read_only": true}, "timestamp": 1}),
        json!({"type": "room_count", "content": {"room": "news", "users_online": 300}, "timestamp": 1}),
        json!({"type": "room_left", "content": {"room": "news"}, "timestamp": 1}),
        json!({"type": "name_changed", "content": {"old_name": "a", "new_name": "b"}, "timestamp": 1}),
        json!({"type": "user_renamed", "from_id": 1, "from_name": "b",
            "content": {"user_id": 1, "old_name": "a", "new_name": "b"}, "timestamp": 1}),
        json!({"type": "private_message", "from_id": 1, "from_name": "Ann", "content": "x", "timestamp": 1, "id": 4}),
        json!({"type": "private_message_sent", "to_id": 2, "to_name": "Bob", "content": "x", "timestamp": 1, "id": 4}),
        json!({"type": "private_history", "content": {"with_id": 2, "messages": [private]}, "timestamp": 1}),
        json!({"type": "conversations", "content": [{"with_id": 2, "with_name": "Bob", "last": private,
            "unread": 3, "seen_up_to": 1}], "timestamp": 1}),
        json!({"type": "stats", "content": stats, "timestamp": 1}),
        json!({"type": "kicked", "by": "Mona", "reason": "calm down", "timestamp": 1}),
        json!({"type": "banned", "by": "Mona", "reason": "spam", "until": 50, "timestamp": 1}),
        json!({"type": "muted", "by": "Mona", "reason": "spam", "until": 50, "room": "general", "timestamp": 1}),
        json!({"type": "unmuted", "room": "general", "timestamp": 1}),
        json!({"type": "typing", "room": "general", "user_id": 1, "user_name": "Ann", "timestamp": 1}),
        json!({"type": "read", "room": "general", "user_id": 1, "id": 9, "timestamp": 1}),
        json!({"type": "reads", "content": {"room": "general", "read_up_to": 4,
            "markers": [{"user_id": 2, "id": 3}]}, "timestamp": 1}),
        json!({"type": "message_deleted", "room": "general", "id": 3, "rev": 9, "timestamp": 1}),
        json!({"type": "message_edited", "room": "general", "id": 3, "content": "y", "edited_at": 2,
            "rev": 9, "timestamp": 1}),
        json!({"type": "reaction", "room": "general", "id": 3, "emoji": "👍", "user_id": 2, "on": true,
            "count": 1, "rev": 10, "timestamp": 1}),
        json!({"type": "role_changed", "user_id": 2, "user_name": "Bob", "role": "moderator", "by": "Olive", "timestamp": 1}),
        json!({"type": "moderation", "content": entry, "timestamp": 1}),
        json!({"type": "search_results", "content": {"query": "hi", "room": "general",
            "messages": [item()], "truncated": true}, "timestamp": 1}),
        json!({"type": "audit", "content": {"entries": [entry]}, "timestamp": 1}),
        json!({"type": "error", "content": {"message": "Muted", "code": "muted", "txn_id": "t",
            "until": 9, "seconds_left": 8}, "timestamp": 1}),
    ]
}

#[test]
fn every_variant_reads_back_as_written() {
    let mut seen = BTreeSet::new();
    for sample in samples() {
        let frame: ServerMessage =
            serde_json::from_value(sample.clone()).unwrap_or_else(|e| panic!("{sample}: {e}"));
        seen.insert(variant(&frame));
        let written: Value = serde_json::from_str(&frame.encode()).unwrap();
        assert_eq!(written, sample, "read, then written again");
    }
    assert_eq!(seen, (0..VARIANTS).collect(), "a sample of every variant");
}

#[test]
fn fields_left_out_are_defaults_and_strays_are_ignored() {
    let text =
        r#"{"type":"message","from_id":1,"from_name":"A","content":"x","timestamp":1,"extra":[1]}"#;
    let frame: ServerMessage = serde_json::from_str(text).unwrap();
    assert!(
        matches!(frame, ServerMessage::Message { id: None, ref attachments, .. } if attachments.is_empty())
    );
}

#[test]
fn what_is_no_frame_is_an_error() {
    for bad in [
        r#"[1,2]"#,
        r#"{"content":"no type"}"#,
        r#"{"type":"brand_new","timestamp":1}"#,
        r#"{"type":"message","from_name":"A","content":"x","timestamp":1}"#,
        r#"{"type":"typing","room":5,"user_id":1,"user_name":"A","timestamp":1}"#,
    ] {
        assert!(serde_json::from_str::<ServerMessage>(bad).is_err(), "{bad}");
    }
}

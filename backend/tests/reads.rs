//! Read receipts over real sockets: markers that only move forward, survive a
//! reconnect and a restart, reach the room coalesced, and "seen" in private.

mod support;

use serde_json::Value;
use support::cast::{account, connect};
use support::{Client, Server};

/// Connects with `token` and reads up to `general`'s `reads`.
async fn signed_in(server: &Server, token: &str) -> (Client, Value) {
    let (mut client, _) = connect(server, token).await;
    let reads = client.expect("reads").await;
    (client, reads)
}

#[tokio::test]
async fn a_marker_moves_forward_only_reaches_the_room_once_and_survives_a_restart() {
    let mut server = Server::start(&[]);
    let (ann_id, ann_token) = account(&server, "Ann").await;
    let (bob_id, bob_token) = account(&server, "Bob").await;
    let (mut ann, _) = signed_in(&server, &ann_token).await;
    let (mut bob, reads) = signed_in(&server, &bob_token).await;
    assert_eq!(reads["content"]["room"], "general");
    assert_eq!(reads["content"]["read_up_to"], 0, "an empty room: all read");
    for n in 1..=3 {
        ann.send(&format!(r#"{{"type":"message","content":"m{n}"}}"#))
            .await;
        bob.expect("message").await;
    }
    // Catching up message by message is one event for the room.
    for id in 1..=3 {
        bob.send(&format!(r#"{{"type":"read","room":"general","id":{id}}}"#))
            .await;
    }
    let read = ann.expect("read").await;
    assert_eq!(
        (&read["room"], &read["user_id"], &read["id"]),
        (
            &Value::from("general"),
            &Value::from(bob_id),
            &Value::from(3)
        )
    );
    // Backwards is ignored; past the newest message is an error with a code.
    bob.send(r#"{"type":"read","room":"general","id":1}"#).await;
    bob.send(r#"{"type":"read","room":"general","id":99}"#)
        .await;
    assert_eq!(bob.expect("error").await["content"]["code"], "not_found");
    for (frame, code) in [
        (
            r#"{"type":"read","room":"general","id":-1}"#,
            "invalid_field",
        ),
        (r#"{"type":"read","room":"general"}"#, "invalid_field"),
        (r#"{"type":"read","room":"random","id":1}"#, "not_in_room"),
    ] {
        bob.send(frame).await;
        assert_eq!(
            bob.expect("error").await["content"]["code"],
            code,
            "{frame}"
        );
    }
    ann.send(r#"{"type":"message","content":"after"}"#).await;
    let next = ann.expect("message").await;
    assert_eq!(
        next["content"], "after",
        "no read event for a marker moved back"
    );

    // Another device of Bob's sees where he got to, and so does a restart.
    let (_, reads) = signed_in(&server, &bob_token).await;
    assert_eq!(reads["content"]["read_up_to"], 3);
    let (_, reads) = signed_in(&server, &ann_token).await;
    let markers = &reads["content"]["markers"];
    assert!(
        markers
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["user_id"] == bob_id && m["id"] == 3),
        "Ann sees Bob's marker: {markers}"
    );
    let _ = ann_id;
    server.terminate();
    let db = server.release_db();
    let server = Server::start_with("127.0.0.1:0", &db, &[]);
    let (_, reads) = signed_in(&server, &bob_token).await;
    assert_eq!(reads["content"]["read_up_to"], 3, "stored");
}

#[tokio::test]
async fn a_private_message_read_shows_as_seen_to_its_sender() {
    let server = Server::start(&[]);
    let (ann_id, ann_token) = account(&server, "Ann").await;
    let (bob_id, bob_token) = account(&server, "Bob").await;
    let (mut ann, _) = signed_in(&server, &ann_token).await;
    let (mut bob, _) = signed_in(&server, &bob_token).await;
    ann.send(&format!(
        r#"{{"type":"private_message","to_id":{bob_id},"content":"psst"}}"#
    ))
    .await;
    let id = bob.expect("private_message").await["id"].as_u64().unwrap();
    bob.send(&format!(
        r#"{{"type":"mark_read","with_id":{ann_id},"id":{id}}}"#
    ))
    .await;
    let seen = ann.expect("read").await;
    assert!(seen["room"].is_null(), "a conversation, not a room: {seen}");
    assert_eq!(
        (seen["user_id"].as_u64(), seen["id"].as_u64()),
        (Some(bob_id), Some(id))
    );
    // After a reload, the conversation list says so too.
    ann.send(r#"{"type":"get_conversations"}"#).await;
    let listed = ann.expect("conversations").await;
    assert_eq!(listed["content"][0]["seen_up_to"], id);
}

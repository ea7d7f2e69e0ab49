//! The tutorial's protocol, end to end through real sockets.

mod support;
use futures_util::SinkExt;
use support::{Server, close_code};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn welcome_users_and_join_have_true_counts() {
    let server = Server::start(&[]);
    let mut ann = server.connect().await;
    let welcome = ann.expect("welcome").await;
    assert_eq!(welcome["content"]["message"], "Welcome to the chat room!");
    assert_eq!(
        welcome["content"]["user_name"],
        format!("User{}", welcome["content"]["user_id"])
    );
    let stats = &welcome["content"]["server_stats"];
    assert_eq!(stats["users_online"], 1);
    let time = stats["server_time"].as_str().unwrap();
    assert_eq!(time.len(), 19, "YYYY-MM-DD HH:MM:SS, got {time}");
    let users = ann.expect("users").await;
    assert_eq!(users["content"].as_array().unwrap().len(), 1);

    let bob = server.join().await;
    let join = ann.expect("join").await;
    assert_eq!(join["content"]["user_id"], bob.id);
    assert_eq!(join["content"]["users_online"], 2);
    assert_eq!(join["from_id"], bob.id);
}

#[tokio::test]
async fn public_messages_reach_everyone_once_including_the_sender() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.expect("join").await;
    ann.send(r#"{"type":"message","content":"Hello from terminal!"}"#)
        .await;
    for client in [&mut ann, &mut bob] {
        let message = client.expect("message").await;
        assert_eq!(message["content"], "Hello from terminal!");
        assert_eq!(message["from_name"], format!("User{}", message["from_id"]));
        assert!(message["timestamp"].as_i64().unwrap() > 1_700_000_000);
    }
    // Nothing more: the sender got exactly one copy.
    ann.send(r#"{"type":"get_stats"}"#).await;
    assert_eq!(ann.recv().await["type"], "stats");
}

#[tokio::test]
async fn the_websocket_is_also_at_slash_ws() {
    let server = Server::start(&[]);
    let mut client = support::Client::connect(&server.url("/ws"), None)
        .await
        .unwrap();
    assert_eq!(client.recv().await["type"], "welcome");
}

#[tokio::test]
async fn renames_are_checked_in_characters_and_announced() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.expect("join").await;
    ann.send(r#"{"type":"set_name","name":"Terminal User"}"#)
        .await;
    let changed = ann.expect("name_changed").await;
    assert_eq!(changed["content"]["new_name"], "Terminal User");
    let renamed = bob.expect("user_renamed").await;
    assert_eq!(renamed["content"]["user_id"], ann.id);
    assert_eq!(renamed["content"]["old_name"], format!("User{}", ann.id));

    ann.send(r#"{"type":"set_name","name":"二十个字符的名字二十个字符的名字二十个字"}"#)
        .await;
    assert_eq!(
        ann.expect("name_changed").await["content"]["new_name"]
            .as_str()
            .unwrap()
            .chars()
            .count(),
        20
    );
    ann.send(r#"{"type":"set_name","name":"abcdefghijklmnopqrstu"}"#)
        .await;
    assert_eq!(
        ann.expect_error().await,
        "Invalid name (1-20 characters required)"
    );
    ann.send(r#"{"type":"set_name","name":42}"#).await;
    assert_eq!(
        ann.expect_error().await,
        "Invalid name (1-20 characters required)"
    );
}

#[tokio::test]
async fn private_messages_reach_only_the_target() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    let mut cy = server.join().await;
    ann.send(&format!(
        r#"{{"type":"private_message","to_id":"{}","content":"psst"}}"#,
        bob.id
    ))
    .await;
    let got = bob.expect("private_message").await;
    assert_eq!(
        (got["from_id"].as_u64(), got["content"].as_str()),
        (Some(ann.id), Some("psst"))
    );
    let sent = ann.expect("private_message_sent").await;
    assert_eq!(sent["to_id"], bob.id);
    assert_eq!(sent["to_name"], format!("User{}", bob.id));
    // Cy saw nothing private: the next thing it gets is the reply to its own request.
    cy.send(r#"{"type":"get_users"}"#).await;
    let mut next = cy.recv().await;
    while next["type"] == "join" {
        next = cy.recv().await;
    }
    assert_eq!(next["type"], "users");

    for bad in ["999", r#""abc""#, "null"] {
        ann.send(&format!(
            r#"{{"type":"private_message","to_id":{bad},"content":"x"}}"#
        ))
        .await;
        assert_eq!(ann.expect_error().await, "User not found or offline");
    }
}

#[tokio::test]
async fn get_users_and_get_stats_answer() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let _bob = server.join().await;
    ann.send(r#"{"type":"get_users"}"#).await;
    let users = ann.expect("users").await;
    let names: Vec<_> = users["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].clone())
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(ann.users_online().await, 2);
}

#[tokio::test]
async fn bad_input_gets_errors_and_the_connection_stays_usable() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    for frame in [
        "123",
        "true",
        r#"{"type":null}"#,
        "[1,2,3]",
        "not json at all",
        r#"{"content":"x"}"#,
    ] {
        ann.send(frame).await;
        assert_eq!(
            ann.expect_error().await,
            "Invalid message format",
            "for {frame}"
        );
    }
    ann.send(r#"{"type":"moonwalk"}"#).await;
    assert_eq!(ann.expect_error().await, "Unknown message type: moonwalk");
    ann.ws.send(Message::binary(vec![1, 2, 3])).await.unwrap();
    assert!(
        ann.expect_error()
            .await
            .starts_with("Binary frames are not supported")
    );
    let big = format!(r#"{{"type":"message","content":"{}"}}"#, "x".repeat(10_241));
    ann.send(&big).await;
    assert_eq!(
        ann.expect_error().await,
        "Message too large (max 10240 bytes)"
    );
    ann.send(r#"{"type":"message","content":""}"#).await;
    assert_eq!(ann.expect_error().await, "Message is empty");
    // Still online, still chatting, and nobody became a ghost.
    assert_eq!(ann.users_online().await, 1);
    ann.send(r#"{"type":"message","content":"still here"}"#)
        .await;
    assert_eq!(ann.expect("message").await["content"], "still here");
}

#[tokio::test]
async fn close_and_dropped_tcp_both_announce_leave() {
    // A dropped connection may resume for a grace period; here it is one second.
    let server = Server::start(&["--resume-grace", "1"]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    let cy = server.join().await;
    ann.expect("join").await;
    ann.expect("join").await;
    bob.ws.close(None).await.unwrap();
    let leave = ann.expect("leave").await;
    assert_eq!(
        (
            leave["content"]["user_id"].as_u64(),
            leave["from_id"].as_u64()
        ),
        (Some(bob.id), Some(0))
    );
    assert_eq!(leave["content"]["users_online"], 2);
    drop(cy); // no close frame: the TCP connection just goes away
    let leave = ann.expect("leave").await;
    assert_eq!(leave["content"]["users_online"], 1);
    assert_eq!(ann.users_online().await, 1);
}

#[tokio::test]
async fn sigterm_tells_every_client_to_resume_with_1012_and_exits_cleanly() {
    let mut server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    server.signal("TERM");
    assert_eq!(close_code(ann.expect_close().await), 1012);
    assert_eq!(close_code(bob.expect_close().await), 1012);
    let status = server.wait_exit();
    assert!(status.success(), "{status:?}");
}

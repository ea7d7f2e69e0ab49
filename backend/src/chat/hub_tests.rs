//! The hub driven directly, with channels standing in for sockets.

use super::*;
use tokio::sync::{mpsc, oneshot};

struct TestClient {
    id: UserId,
    frames: mpsc::Receiver<Frame>,
    evicted: oneshot::Receiver<Eviction>,
}

impl TestClient {
    fn join(hub: &mut Hub) -> Self {
        Self::join_with_queue(hub, 64)
    }

    fn join_with_queue(hub: &mut Hub, capacity: usize) -> Self {
        let (tx, frames) = mpsc::channel(capacity);
        let (evict_tx, evicted) = oneshot::channel();
        let id = hub.connect(Outbox::new(tx, evict_tx));
        Self {
            id,
            frames,
            evicted,
        }
    }

    /// Everything queued so far, decoded.
    fn drain(&mut self) -> Vec<ServerMessage> {
        let mut out = Vec::new();
        while let Ok(frame) = self.frames.try_recv() {
            out.push(serde_json::from_str(frame.as_str()).expect("server frames decode"));
        }
        out
    }
}

fn send(hub: &mut Hub, client: &TestClient, text: &str) {
    hub.handle_text(client.id, text);
}

fn only_error(frames: Vec<ServerMessage>) -> String {
    match frames.as_slice() {
        [ServerMessage::Error { content, .. }] => content.message.clone(),
        other => panic!("expected one error, got {other:?}"),
    }
}

#[test]
fn connect_sends_welcome_then_users_and_announces_join() {
    let mut hub = Hub::new();
    let mut ann = TestClient::join(&mut hub);
    let frames = ann.drain();
    assert!(matches!(&frames[0], ServerMessage::Welcome { content, .. }
        if content.user_id == ann.id && content.user_name == "User1"
            && content.server_stats.users_online == 1));
    assert!(matches!(&frames[1], ServerMessage::Users { content, .. } if content.len() == 1));

    let mut bob = TestClient::join(&mut hub);
    let join = ann.drain();
    assert!(
        matches!(join.as_slice(), [ServerMessage::Join { from_id, content, .. }]
        if *from_id == bob.id && content.user_name == "User2" && content.users_online == 2)
    );
    assert!(
        matches!(&bob.drain()[1], ServerMessage::Users { content, .. }
        if content.iter().map(|u| u.id).collect::<Vec<_>>() == vec![ann.id, bob.id])
    );
}

#[test]
fn public_messages_reach_everyone_including_the_sender_in_one_order() {
    let mut hub = Hub::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    ann.drain();
    bob.drain();
    send(&mut hub, &ann, r#"{"type":"message","content":"one"}"#);
    send(
        &mut hub,
        &bob,
        r#"{"type":"message","content":"two","txn_id":"b1"}"#,
    );
    send(&mut hub, &ann, r#"{"type":"message","content":"three"}"#);

    let texts = |frames: Vec<ServerMessage>| -> Vec<(String, Option<String>)> {
        frames
            .into_iter()
            .map(|f| match f {
                ServerMessage::Message {
                    content, txn_id, ..
                } => (content, txn_id),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    };
    let seen_by_ann = texts(ann.drain());
    let seen_by_bob = texts(bob.drain());
    let order =
        |seen: &[(String, Option<String>)]| seen.iter().map(|s| s.0.clone()).collect::<Vec<_>>();
    assert_eq!(order(&seen_by_ann), ["one", "two", "three"]);
    assert_eq!(order(&seen_by_bob), ["one", "two", "three"]);
    // Only the sender's own copy carries its txn_id.
    assert_eq!(seen_by_bob[1].1.as_deref(), Some("b1"));
    assert_eq!(seen_by_ann[1].1, None);
}

#[test]
fn rename_tells_self_and_others() {
    let mut hub = Hub::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    ann.drain();
    bob.drain();
    send(&mut hub, &ann, r#"{"type":"set_name","name":"  Ann  "}"#);
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::NameChanged { content, .. }]
        if content.old_name == "User1" && content.new_name == "Ann")
    );
    assert!(
        matches!(bob.drain().as_slice(), [ServerMessage::UserRenamed { from_id, from_name, content, .. }]
        if *from_id == ann.id && from_name == "Ann" && content.old_name == "User1")
    );

    send(
        &mut hub,
        &ann,
        r#"{"type":"set_name","name":"123456789012345678901"}"#,
    );
    assert_eq!(
        only_error(ann.drain()),
        "Invalid name (1-20 characters required)"
    );
    assert!(bob.drain().is_empty());
}

#[test]
fn private_messages_reach_only_their_target() {
    let mut hub = Hub::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    let mut cy = TestClient::join(&mut hub);
    for c in [&mut ann, &mut bob, &mut cy] {
        c.drain();
    }
    let frame = format!(
        r#"{{"type":"private_message","to_id":"{}","content":"psst"}}"#,
        bob.id
    );
    send(&mut hub, &ann, &frame);
    assert!(
        matches!(bob.drain().as_slice(), [ServerMessage::PrivateMessage { from_id, content, .. }]
        if *from_id == ann.id && content == "psst")
    );
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::PrivateMessageSent { to_id, to_name, .. }]
        if *to_id == bob.id && to_name == "User2")
    );
    assert!(cy.drain().is_empty());

    send(
        &mut hub,
        &ann,
        r#"{"type":"private_message","to_id":999,"content":"x"}"#,
    );
    assert_eq!(only_error(ann.drain()), "User not found or offline");
}

#[test]
fn bad_frames_get_errors_and_the_user_stays_online() {
    let mut hub = Hub::new();
    let mut ann = TestClient::join(&mut hub);
    ann.drain();
    for frame in ["123", "true", r#"{"type":null}"#, "not json"] {
        send(&mut hub, &ann, frame);
        assert_eq!(only_error(ann.drain()), "Invalid message format");
    }
    send(&mut hub, &ann, r#"{"type":"fly"}"#);
    assert_eq!(only_error(ann.drain()), "Unknown message type: fly");
    assert_eq!(hub.online(), 1);
    send(&mut hub, &ann, r#"{"type":"get_stats"}"#);
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::Stats { content, .. }] if content.users_online == 1)
    );
}

#[test]
fn disconnect_announces_leave_with_true_count() {
    let mut hub = Hub::new();
    let mut ann = TestClient::join(&mut hub);
    let bob = TestClient::join(&mut hub);
    ann.drain();
    hub.disconnect(bob.id);
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::Leave { from_id: 0, content, .. }]
        if content.user_id == bob.id && content.users_online == 1)
    );
    hub.disconnect(bob.id); // twice is harmless
    assert!(ann.drain().is_empty());
    assert_eq!(hub.online(), 1);
}

#[test]
fn a_client_whose_queue_overflows_is_evicted_and_others_carry_on() {
    let mut hub = Hub::new();
    let mut reader = TestClient::join(&mut hub);
    // Room for the welcome, the online list, and one more frame.
    let mut stalled = TestClient::join_with_queue(&mut hub, 3);
    reader.drain();
    for i in 0..5 {
        send(
            &mut hub,
            &reader,
            &format!(r#"{{"type":"message","content":"m{i}"}}"#),
        );
    }
    assert_eq!(stalled.evicted.try_recv(), Ok(Eviction::QueueFull));
    assert_eq!(hub.online(), 1);
    let seen = reader.drain();
    assert_eq!(
        seen.iter()
            .filter(|f| matches!(f, ServerMessage::Message { .. }))
            .count(),
        5
    );
    assert!(
        seen.iter()
            .any(|f| matches!(f, ServerMessage::Leave { content, .. }
        if content.user_id == stalled.id && content.users_online == 1))
    );
}

#[test]
fn a_normal_leave_is_not_an_eviction() {
    let mut hub = Hub::new();
    let mut ann = TestClient::join(&mut hub);
    hub.disconnect(ann.id);
    assert!(ann.evicted.try_recv().is_err());
}

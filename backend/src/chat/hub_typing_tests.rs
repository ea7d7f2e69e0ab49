//! Typing indicators in the hub.

use super::*;

fn typing_from(frames: &[ServerMessage]) -> Vec<UserId> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerMessage::Typing { user_id, .. } => Some(*user_id),
            _ => None,
        })
        .collect()
}

#[test]
fn typing_reaches_the_rooms_others_once_per_burst_and_again_after_a_send() {
    let mut hub = Harness::new();
    let ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    let mut ann = ann;
    ann.drain();
    bob.drain();
    for _ in 0..3 {
        send(&mut hub, &ann, r#"{"type":"typing","room":"general"}"#);
    }
    assert!(typing_from(&bob.drain()).is_empty(), "at the next tick");
    hub.apply(Hub::announce_typing);
    assert_eq!(typing_from(&bob.drain()), [ann.user()], "once per burst");
    assert!(typing_from(&ann.drain()).is_empty(), "not to its sender");
    send(&mut hub, &ann, r#"{"type":"message","content":"hi"}"#);
    hub.commit(true);
    send(&mut hub, &ann, r#"{"type":"typing"}"#);
    hub.apply(Hub::announce_typing);
    assert_eq!(
        typing_from(&bob.drain()),
        [ann.user()],
        "after a send, news again"
    );
    // Not in the room: an error, and nobody hears it.
    send(&mut hub, &ann, r#"{"type":"typing","room":"random"}"#);
    assert!(ann.drain().iter().any(|f| matches!(f, ServerMessage::Error { content, .. } if content.code == Some(ErrorCode::NotInRoom))));
}

#[test]
fn big_rooms_get_no_typing() {
    // The harness's big-room threshold is 3 members.
    let mut hub = Harness::new();
    let clients: Vec<TestClient> = (0..4).map(|_| TestClient::join(&mut hub)).collect();
    let mut clients = clients;
    for c in &mut clients {
        c.drain();
    }
    send(&mut hub, &clients[0], r#"{"type":"typing"}"#);
    hub.apply(Hub::announce_typing);
    for c in &mut clients[1..] {
        assert!(typing_from(&c.drain()).is_empty());
    }
}

#[test]
fn a_typing_overtaken_by_its_message_is_never_announced() {
    let mut hub = Harness::new();
    let ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    bob.drain();
    send(&mut hub, &ann, r#"{"type":"typing"}"#);
    send(&mut hub, &ann, r#"{"type":"message","content":"quick"}"#);
    hub.commit(true);
    hub.apply(Hub::announce_typing);
    let frames = bob.drain();
    assert!(typing_from(&frames).is_empty(), "{frames:?}");
    assert_eq!(frames.len(), 1, "only the message: {frames:?}");
}

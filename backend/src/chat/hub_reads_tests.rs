//! Read receipts in the hub: markers move forward only, are announced coalesced,
//! stored for accounts, and come back after a restart.

use super::*;
use crate::chat::ports::RoomRead;
use confab_shared::server::ReadMarker;

fn reads_of(frames: &[ServerMessage]) -> Vec<(Option<String>, UserId, MessageId)> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerMessage::Read {
                room, user_id, id, ..
            } => Some((room.clone(), *user_id, *id)),
            _ => None,
        })
        .collect()
}

fn room_reads(frames: &[ServerMessage]) -> Vec<confab_shared::server::RoomReads> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerMessage::Reads { content, .. } => Some(content.clone()),
            _ => None,
        })
        .collect()
}

fn post(hub: &mut Harness, client: &TestClient, count: usize) {
    for n in 0..count {
        send(
            hub,
            client,
            &format!(r#"{{"type":"message","content":"m{n}"}}"#),
        );
    }
    hub.commit(true);
}

/// The markers the hub queued for storage.
fn stored_reads(hub: &mut Harness) -> Vec<RoomRead> {
    let mut found = Vec::new();
    while let Ok(write) = hub.stored.try_recv() {
        if let Write::RoomReads(reads) = write {
            found.extend(reads);
        }
    }
    found
}

fn account(hub: &mut Harness, user_id: UserId, name: &str) -> TestClient {
    super::accounts::signed_in(hub, user_id, name)
}

#[test]
fn catching_up_is_one_read_event_and_a_marker_never_moves_back() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    post(&mut hub, &ann, 5);
    ann.drain();
    bob.drain();
    for id in 1..=5 {
        send(
            &mut hub,
            &bob,
            &format!(r#"{{"type":"read","room":"general","id":{id}}}"#),
        );
    }
    hub.apply(Hub::announce_reads);
    let general = Some("general".to_owned());
    assert_eq!(reads_of(&ann.drain()), [(general.clone(), bob.user(), 5)]);
    assert_eq!(
        reads_of(&bob.drain()),
        [(general, bob.user(), 5)],
        "the reader's other tabs hear it too"
    );

    send(&mut hub, &bob, r#"{"type":"read","room":"general","id":2}"#);
    hub.apply(Hub::announce_reads);
    assert!(reads_of(&ann.drain()).is_empty(), "backwards is ignored");
    assert!(
        bob.drain().is_empty(),
        "and is no error: a tab behind another"
    );
    assert_eq!(hub.reads.get(bob.user(), "general"), Some(5));

    send(&mut hub, &bob, r#"{"type":"read","room":"general","id":6}"#);
    assert_eq!(
        error_code(bob.drain()),
        Some(ErrorCode::NotFound),
        "past the newest"
    );
    send(&mut hub, &bob, r#"{"type":"read","room":"random","id":1}"#);
    assert_eq!(error_code(bob.drain()), Some(ErrorCode::NotInRoom));
    send(&mut hub, &bob, r#"{"type":"read","room":"nowhere","id":1}"#);
    assert_eq!(error_code(bob.drain()), Some(ErrorCode::NotFound));
}

#[test]
fn readers_who_moved_together_are_one_frame() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let bob = TestClient::join(&mut hub);
    let cy = TestClient::join(&mut hub);
    post(&mut hub, &ann, 2);
    send(&mut hub, &bob, r#"{"type":"read","room":"general","id":2}"#);
    send(&mut hub, &cy, r#"{"type":"read","room":"general","id":1}"#);
    ann.drain();
    hub.apply(Hub::announce_reads);
    let frames = ann.drain();
    assert_eq!(frames.len(), 1, "{frames:?}");
    let moved = room_reads(&frames);
    assert_eq!(moved[0].read_up_to, None, "nobody's own marker");
    assert_eq!(
        moved[0].markers,
        [
            ReadMarker {
                user_id: bob.user(),
                id: 2
            },
            ReadMarker {
                user_id: cy.user(),
                id: 1
            }
        ]
    );
}

#[test]
fn accounts_markers_are_stored_and_restored_guests_are_not() {
    let mut hub = Harness::new();
    let ann_id = hub.apply(|hub| hub.reserve_user_id());
    let mut ann = account(&mut hub, ann_id, "Ann");
    let mut guest = TestClient::join(&mut hub);
    post(&mut hub, &guest, 3);
    send(&mut hub, &ann, r#"{"type":"read","room":"general","id":2}"#);
    send(
        &mut hub,
        &guest,
        r#"{"type":"read","room":"general","id":3}"#,
    );
    hub.apply(Hub::announce_reads);
    let expected = RoomRead {
        user: ann_id,
        room: "general".into(),
        up_to: 2,
    };
    assert_eq!(stored_reads(&mut hub), std::slice::from_ref(&expected));
    ann.drain();
    guest.drain();

    // After a restart, the account's marker is where it was.
    let mut restarted = Harness::new();
    restarted.hub.reads = reads::ReadMarkers::restore(vec![expected]);
    let mut again = account(&mut restarted, ann_id, "Ann");
    let reads = room_reads(&again.drain());
    assert_eq!(reads.len(), 1, "one `reads` for general on connect");
    assert_eq!(reads[0].read_up_to, Some(2));
}

#[test]
fn joining_tells_where_everyone_present_has_read() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"join_room","room":"random"}"#);
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"hi","room":"random"}"#,
    );
    hub.commit(true);
    send(&mut hub, &ann, r#"{"type":"read","room":"random","id":1}"#);
    ann.drain();
    bob.drain();
    send(&mut hub, &bob, r#"{"type":"join_room","room":"random"}"#);
    let reads = room_reads(&bob.drain());
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].room, "random");
    assert_eq!(
        reads[0].read_up_to,
        Some(1),
        "never read there: what is there on joining counts as read"
    );
    assert_eq!(
        reads[0].markers,
        [ReadMarker {
            user_id: ann.user(),
            id: 1
        }]
    );
}

#[test]
fn big_rooms_get_no_read_events_but_keep_markers() {
    // The harness's big-room threshold is 3 members.
    let mut hub = Harness::new();
    let mut clients: Vec<TestClient> = (0..4).map(|_| TestClient::join(&mut hub)).collect();
    post(&mut hub, &clients[0], 1);
    for c in &mut clients {
        c.drain();
    }
    send(
        &mut hub,
        &clients[1],
        r#"{"type":"read","room":"general","id":1}"#,
    );
    hub.apply(Hub::announce_reads);
    for c in &mut clients {
        assert!(reads_of(&c.drain()).is_empty());
    }
    assert_eq!(hub.reads.get(clients[1].user(), "general"), Some(1));
    let frame = hub.reads_frame(clients[1].user(), "general");
    let ServerMessage::Reads { content, .. } = frame else {
        panic!("a reads frame")
    };
    assert_eq!(content.read_up_to, Some(1));
    assert!(content.markers.is_empty(), "no one's markers in a big room");
}

#[test]
fn marking_a_conversation_read_tells_the_other_side() {
    let mut hub = Harness::new();
    let ann_id = hub.apply(|hub| hub.reserve_user_id());
    let bob_id = hub.apply(|hub| hub.reserve_user_id());
    let mut ann = account(&mut hub, ann_id, "Ann");
    let mut bob = account(&mut hub, bob_id, "Bob");
    ann.drain();
    bob.drain();
    send(
        &mut hub,
        &bob,
        &format!(r#"{{"type":"mark_read","with_id":{ann_id},"id":7}}"#),
    );
    assert!(reads_of(&ann.drain()).is_empty(), "not before it is stored");
    hub.commit(true);
    assert_eq!(reads_of(&ann.drain()), [(None, bob_id, 7)], "seen");
    assert!(reads_of(&bob.drain()).is_empty());
}

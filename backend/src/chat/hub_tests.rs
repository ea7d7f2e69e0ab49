//! The hub driven directly, with channels standing in for sockets and storage.

use super::*;
use crate::chat::outbox::{self, Inbox, Received};
use crate::chat::ports::{Snapshot, Write};
use crate::chat::tokens;
use crate::chat::{Answer, Followup};
use crate::chat::{Arrival, EarlierSession, Eviction};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// A hub plus the storage queue it writes to; `commit` plays the group commit.
struct Harness {
    hub: Hub,
    stored: mpsc::Receiver<Write>,
}

impl std::ops::Deref for Harness {
    type Target = Hub;
    fn deref(&self) -> &Hub {
        &self.hub
    }
}
impl std::ops::DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut Hub {
        &mut self.hub
    }
}

impl Harness {
    fn new() -> Self {
        Self::with_grace(Duration::ZERO)
    }

    fn with_grace(resume_grace: Duration) -> Self {
        Self::with(|s| s.resume_grace = resume_grace)
    }

    fn with(adjust: impl FnOnce(&mut HubSettings)) -> Self {
        let (tx, stored) = mpsc::channel(64);
        let mut settings = HubSettings {
            resume_grace: Duration::ZERO,
            max_rooms: 10,
            big_room: 3,
            room_create_per_hour: 100,
            room_archive_after: Some(Duration::from_secs(60)),
            flood_repeats: 5,
            flood_strikes: 3,
            flood_mute: Duration::from_secs(300),
        };
        adjust(&mut settings);
        let snapshot = Snapshot {
            rooms: ["general", "random", "gaming"]
                .map(|name| crate::chat::ports::StoredRoom {
                    name: name.into(),
                    read_only: false,
                    recent: vec![],
                    last_position: 0,
                })
                .into(),
            max_user_id: 0,
            archived: vec![],
            secret: [3; 32],
            accounts: vec![],
            max_private_id: 0,
            ..Snapshot::default()
        };
        Self {
            hub: Hub::new(settings, tx, snapshot),
            stored,
        }
    }

    /// Stores (or, with `ok == false`, fails to store) everything queued; returns
    /// how many rooms and messages that was (sessions are saved too, uncounted).
    fn commit(&mut self, ok: bool) -> usize {
        let mut batch = Vec::new();
        while let Ok(write) = self.stored.try_recv() {
            batch.push(write);
        }
        self.hub.apply(|hub| hub.committed(&batch, ok));
        batch
            .iter()
            .filter(|w| !matches!(w, Write::Session(_)))
            .count()
    }
}

struct TestClient {
    id: SessionId,
    inbox: Inbox,
}

impl TestClient {
    fn join(hub: &mut Hub) -> Self {
        Self::join_with_queue(hub, 64)
    }

    fn join_with_queue(hub: &mut Hub, capacity: usize) -> Self {
        Self::connect(hub, capacity, None)
    }

    fn connect(hub: &mut Hub, capacity: usize, resume: Option<&str>) -> Self {
        let (outbox, inbox) = outbox::channel(capacity);
        let arrival = Arrival {
            resume: resume.map(str::to_owned),
            ..Arrival::default()
        };
        let id = hub.apply(|hub| hub.connect(outbox, arrival));
        Self { id, inbox }
    }

    fn user(&self) -> UserId {
        self.id.user
    }

    /// Everything queued so far, decoded.
    fn drain(&mut self) -> Vec<ServerMessage> {
        let mut out = Vec::new();
        while let Some(Received::Frames(frames)) = self.inbox.try_recv(usize::MAX) {
            for frame in frames {
                out.push(serde_json::from_str(frame.as_str()).expect("server frames decode"));
            }
        }
        out
    }

    /// Why the hub let go of this client, once its queued frames are drained:
    /// `None` while it is still connected.
    fn eviction(&mut self) -> Option<Option<Eviction>> {
        self.drain();
        match self.inbox.try_recv(usize::MAX) {
            Some(Received::Closed(why)) => Some(why),
            _ => None,
        }
    }

    fn contents(&mut self) -> Vec<String> {
        self.drain()
            .into_iter()
            .filter_map(|f| match f {
                ServerMessage::Message { content, .. } => Some(content),
                _ => None,
            })
            .collect()
    }
}

/// Drives the hub as `SharedHub::with` does: the operation, then settling.
fn send(hub: &mut Hub, client: &TestClient, text: &str) {
    assert_eq!(hub.apply(|hub| hub.handle_text(client.id, text)), None);
}

fn only_error(frames: Vec<ServerMessage>) -> String {
    match frames.as_slice() {
        [ServerMessage::Error { content, .. }] => content.message.clone(),
        other => panic!("expected one error, got {other:?}"),
    }
}

#[test]
fn connect_sends_welcome_then_users_and_announces_join() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let frames = ann.drain();
    assert!(matches!(&frames[0], ServerMessage::Welcome { content, .. }
        if content.user_id == ann.user() && content.user_name == "User1"
            && content.server_stats.users_online == 1));
    assert!(matches!(&frames[1], ServerMessage::Users { content, .. } if content.len() == 1));

    let mut bob = TestClient::join(&mut hub);
    let join = ann.drain();
    assert!(
        matches!(join.as_slice(), [ServerMessage::Join { from_id, content, .. }]
        if *from_id == bob.user() && content.user_name == "User2" && content.users_online == 2)
    );
    assert!(
        matches!(&bob.drain()[1], ServerMessage::Users { content, .. }
        if content.iter().map(|u| u.id).collect::<Vec<_>>() == vec![ann.user(), bob.user()])
    );
}

#[test]
fn public_messages_reach_everyone_including_the_sender_in_one_order() {
    let mut hub = Harness::new();
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
    assert!(
        ann.drain().is_empty(),
        "nothing is shown before it is stored"
    );
    assert_eq!(hub.commit(true), 3);

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
    let mut hub = Harness::new();
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
        if *from_id == ann.user() && from_name == "Ann" && content.old_name == "User1")
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
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    let mut cy = TestClient::join(&mut hub);
    for c in [&mut ann, &mut bob, &mut cy] {
        c.drain();
    }
    let frame = format!(
        r#"{{"type":"private_message","to_id":"{}","content":"psst"}}"#,
        bob.user()
    );
    send(&mut hub, &ann, &frame);
    assert!(
        matches!(bob.drain().as_slice(), [ServerMessage::PrivateMessage { from_id, content, .. }]
        if *from_id == ann.user() && content == "psst")
    );
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::PrivateMessageSent { to_id, to_name, .. }]
        if *to_id == bob.user() && to_name == "User2")
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
    let mut hub = Harness::new();
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
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let bob = TestClient::join(&mut hub);
    ann.drain();
    hub.disconnect(bob.id, Departure::Left);
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::Leave { from_id: 0, content, .. }]
        if content.user_id == bob.user() && content.users_online == 1)
    );
    hub.disconnect(bob.id, Departure::Left); // twice is harmless
    assert!(ann.drain().is_empty());
    assert_eq!(hub.online(), 1);
}

#[test]
fn a_client_whose_queue_overflows_is_evicted_and_others_carry_on() {
    let mut hub = Harness::new();
    let mut reader = TestClient::join(&mut hub);
    // Room for the welcome, the online list, the history, and one more frame.
    let mut stalled = TestClient::join_with_queue(&mut hub, 4);
    reader.drain();
    for i in 0..5 {
        send(
            &mut hub,
            &reader,
            &format!(r#"{{"type":"message","content":"m{i}"}}"#),
        );
    }
    hub.commit(true);
    assert_eq!(stalled.eviction(), Some(Some(Eviction::QueueFull)));
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
        if content.user_id == stalled.user() && content.users_online == 1))
    );
}

#[test]
fn a_normal_leave_is_not_an_eviction() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    hub.disconnect(ann.id, Departure::Left);
    assert_eq!(ann.eviction(), Some(None));
}

#[test]
fn connect_sends_history_of_general_after_welcome_and_users() {
    let mut hub = Harness::new();
    let ann = TestClient::join(&mut hub);
    for i in 0..3 {
        send(
            &mut hub,
            &ann,
            &format!(r#"{{"type":"message","content":"h{i}"}}"#),
        );
    }
    hub.commit(true);
    let mut bob = TestClient::join(&mut hub);
    let frames = bob.drain();
    assert!(
        matches!(&frames[0], ServerMessage::Welcome { content, .. } if content.resume_token.is_some())
    );
    assert!(matches!(&frames[1], ServerMessage::Users { .. }));
    let ServerMessage::History { content, .. } = &frames[2] else {
        panic!("history third: {frames:?}")
    };
    assert_eq!(content.room, "general");
    let ids: Vec<_> = content
        .messages
        .iter()
        .map(|m| (m.id, m.content.as_str()))
        .collect();
    assert_eq!(ids, [(1, "h0"), (2, "h1"), (3, "h2")]);
}

#[test]
fn a_resent_txn_is_stored_once_and_acknowledged_again() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let frame = r#"{"type":"message","content":"once","txn_id":"t1"}"#;
    send(&mut hub, &ann, frame);
    send(&mut hub, &ann, frame); // resent while in flight
    assert_eq!(hub.commit(true), 1);
    send(&mut hub, &ann, frame); // resent after it was stored
    assert_eq!(hub.commit(true), 0);
    let echoes: Vec<_> = ann
        .drain()
        .into_iter()
        .filter_map(|f| match f {
            ServerMessage::Message { id, txn_id, .. } => Some((id, txn_id)),
            _ => None,
        })
        .collect();
    assert_eq!(
        echoes,
        [(Some(1), Some("t1".into())), (Some(1), Some("t1".into()))]
    );
}

#[test]
fn rooms_are_isolated() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"join_room","room":"gaming"}"#);
    ann.drain();
    bob.drain();
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"gg","room":"gaming"}"#,
    );
    send(
        &mut hub,
        &bob,
        r#"{"type":"message","content":"gg","room":"gaming"}"#,
    );
    hub.commit(true);
    assert_eq!(ann.contents(), ["gg"]);
    assert!(
        matches!(bob.drain().as_slice(), [ServerMessage::Error { content, .. }]
        if content.message == "You are not in room: gaming")
    );
    // Ids count per room: gaming's first message is 1 even after general's.
    send(&mut hub, &ann, r#"{"type":"message","content":"hi"}"#);
    hub.commit(true);
    assert!(bob.drain().iter().any(
        |f| matches!(f, ServerMessage::Message { id: Some(1), room: Some(r), .. } if r == "general")
    ));
}

#[test]
fn joining_a_room_announces_and_returns_members_and_history() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"join_room","room":"random"}"#);
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"first","room":"random"}"#,
    );
    hub.commit(true);
    ann.drain();
    send(&mut hub, &bob, r#"{"type":"join_room","room":"random"}"#);
    let joined = bob.drain().into_iter().find_map(|f| match f {
        ServerMessage::RoomJoined { content, .. } => Some(content),
        _ => None,
    });
    let joined = joined.expect("room_joined");
    assert_eq!(joined.users.len(), 2);
    assert_eq!(
        joined
            .history
            .iter()
            .map(|m| m.content.as_str())
            .collect::<Vec<_>>(),
        ["first"]
    );
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::Join { room: Some(r), content, .. }]
        if r == "random" && content.users_online == 2)
    );
    send(&mut hub, &bob, r#"{"type":"leave_room","room":"random"}"#);
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::Leave { room: Some(r), .. }] if r == "random")
    );
}

#[test]
fn created_rooms_are_announced_once_stored_and_names_are_unique() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    ann.drain();
    bob.drain();
    send(&mut hub, &ann, r#"{"type":"create_room","room":"books"}"#);
    assert!(matches!(
        ann.drain().as_slice(),
        [
            ServerMessage::RoomJoined { .. },
            ServerMessage::Reads { .. }
        ]
    ));
    assert!(bob.drain().is_empty());
    hub.commit(true);
    assert!(
        matches!(bob.drain().as_slice(), [ServerMessage::RoomCreated { content, .. }] if content.room == "books")
    );
    send(&mut hub, &bob, r#"{"type":"create_room","room":"BOOKS"}"#);
    assert!(matches!(
        bob.drain().as_slice(),
        [ServerMessage::Error { .. }]
    ));
}

#[test]
fn storage_failure_tells_the_sender_and_shows_nothing() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    ann.drain();
    bob.drain();
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"lost?","txn_id":"t9"}"#,
    );
    hub.commit(false);
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::Error { content, .. }]
        if content.txn_id.as_deref() == Some("t9") && content.message.contains("not saved"))
    );
    assert!(bob.drain().is_empty());
    // The same txn may be sent again and now goes through.
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"lost?","txn_id":"t9"}"#,
    );
    assert_eq!(hub.commit(true), 1);
    assert_eq!(bob.contents(), ["lost?"]);
}

#[test]
fn a_dropped_user_resumes_within_grace_without_leave_or_join() {
    let mut hub = Harness::with_grace(Duration::from_secs(30));
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    let token = match &bob.drain()[0] {
        ServerMessage::Welcome { content, .. } => content.resume_token.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    ann.drain();
    hub.disconnect(bob.id, Departure::Dropped);
    hub.expire(Instant::now());
    assert_eq!(hub.online(), 2, "still online during grace");
    let mut again = TestClient::connect(&mut hub, 64, Some(&token));
    assert_eq!(again.user(), bob.user());
    assert!(matches!(&again.drain()[0], ServerMessage::Welcome { content, .. } if content.resumed));
    assert!(ann.drain().is_empty(), "no leave/join flap");
    // The old connection's late goodbye does not end the new one.
    hub.disconnect(bob.id, Departure::Left);
    assert_eq!(hub.online(), 2);
}

#[test]
fn resuming_while_the_old_connection_lives_replaces_it() {
    let mut hub = Harness::with_grace(Duration::from_secs(30));
    let mut bob = TestClient::join(&mut hub);
    let token = match &bob.drain()[0] {
        ServerMessage::Welcome { content, .. } => content.resume_token.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    let again = TestClient::connect(&mut hub, 64, Some(&token));
    assert_eq!(again.user(), bob.user());
    assert_eq!(bob.eviction(), Some(Some(Eviction::Replaced)));
}

#[test]
fn grace_expiry_announces_leave() {
    let mut hub = Harness::with_grace(Duration::from_secs(30));
    let mut ann = TestClient::join(&mut hub);
    let bob = TestClient::join(&mut hub);
    ann.drain();
    hub.disconnect(bob.id, Departure::Dropped);
    hub.expire(Instant::now() + Duration::from_secs(31));
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::Leave { content, .. }] if content.user_id == bob.user())
    );
    assert_eq!(hub.online(), 1);
}

#[test]
fn history_beyond_memory_is_asked_of_the_store() {
    let mut hub = Harness::new();
    let mut ann = TestClient::connect(&mut hub, 512, None);
    for i in 0..105 {
        send(
            &mut hub,
            &ann,
            &format!(r#"{{"type":"message","content":"{i}"}}"#),
        );
        if i % 50 == 49 {
            hub.commit(true);
        }
    }
    hub.commit(true);
    ann.drain();
    // The last 100 (ids 6..=105) are in memory.
    assert_eq!(
        hub.handle_text(
            ann.id,
            r#"{"type":"get_history","room":"general","after_id":50}"#
        ),
        None
    );
    assert!(
        matches!(ann.drain().as_slice(), [ServerMessage::History { content, .. }]
        if content.messages.len() == 55 && content.messages[0].id == 51)
    );
    let query = hub.handle_text(
        ann.id,
        r#"{"type":"get_history","room":"general","before_id":10,"limit":20}"#,
    );
    assert_eq!(
        query.map(range),
        Some(crate::chat::ports::Range::Before(10))
    );
    let query = hub.handle_text(
        ann.id,
        r#"{"type":"get_history","room":"general","after_id":2}"#,
    );
    assert_eq!(query.map(range), Some(crate::chat::ports::Range::After(2)));
}

fn range(followup: Followup) -> crate::chat::ports::Range {
    match followup {
        Followup::History { range, .. } => range,
        other => panic!("expected a history query, got {other:?}"),
    }
}

#[test]
fn big_rooms_announce_counts_instead_of_each_join_and_page_their_members() {
    // The harness makes rooms of more than 3 members big.
    let mut hub = Harness::new();
    let mut first = TestClient::join(&mut hub);
    let others: Vec<_> = (0..2).map(|_| TestClient::join(&mut hub)).collect();
    assert_eq!(
        first
            .drain()
            .iter()
            .filter(|f| matches!(f, ServerMessage::Join { .. }))
            .count(),
        2,
        "small: every join is announced"
    );
    let fourth = TestClient::join(&mut hub);
    let fifth = TestClient::join(&mut hub);
    assert!(first.drain().is_empty(), "big: no join frames");
    hub.announce_counts();
    assert!(
        matches!(first.drain().as_slice(), [ServerMessage::RoomCount { content, .. }] if content.users_online == 5)
    );
    hub.announce_counts();
    assert!(first.drain().is_empty(), "only when the count changed");
    send(&mut hub, &first, r#"{"type":"get_users"}"#);
    let page = first.drain();
    assert!(
        matches!(page.as_slice(), [ServerMessage::Users { content, total: Some(5), .. }] if content.len() == 5)
    );
    drop((others, fourth, fifth));
}

#[test]
fn shutting_down_tells_every_connection_and_every_latecomer() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    ann.drain();
    hub.shut_down();
    assert_eq!(ann.eviction(), Some(Some(Eviction::Shutdown)));
    assert_eq!(bob.eviction(), Some(Some(Eviction::Shutdown)));

    let mut late = TestClient::join(&mut hub);
    assert!(matches!(
        late.drain().first(),
        Some(ServerMessage::Welcome { .. })
    ));
    assert_eq!(late.eviction(), Some(Some(Eviction::Shutdown)));
}

// --- Hardening: names, rooms, transactions, closing for cause, tokens ---

fn token_of(frames: &[ServerMessage]) -> String {
    match frames.first() {
        Some(ServerMessage::Welcome { content, .. }) => content.resume_token.clone().unwrap(),
        other => panic!("expected welcome, got {other:?}"),
    }
}

fn error_code(frames: Vec<ServerMessage>) -> Option<confab_shared::ErrorCode> {
    match frames.as_slice() {
        [ServerMessage::Error { content, .. }] => content.code,
        other => panic!("expected one error, got {other:?}"),
    }
}

#[test]
fn online_names_are_unique_by_look_and_default_names_are_reserved() {
    use confab_shared::ErrorCode;
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"set_name","name":"Ann"}"#);
    ann.drain();
    bob.drain();
    for taken in ["Ann", "ANN", "ａｎｎ"] {
        let frame = format!(r#"{{"type":"set_name","name":"{taken}"}}"#);
        send(&mut hub, &bob, &frame);
        assert_eq!(
            error_code(bob.drain()),
            Some(ErrorCode::NameTaken),
            "{taken}"
        );
    }
    // Ann's old default, and a future newcomer's, are the server's to hand out.
    for reserved in ["User1", "User7"] {
        let frame = format!(r#"{{"type":"set_name","name":"{reserved}"}}"#);
        send(&mut hub, &bob, &frame);
        assert_eq!(
            error_code(bob.drain()),
            Some(ErrorCode::InvalidName),
            "{reserved}"
        );
    }
    send(&mut hub, &bob, r#"{"type":"set_name","name":"user2"}"#);
    assert!(matches!(
        bob.drain().as_slice(),
        [ServerMessage::NameChanged { .. }]
    ));
    hub.disconnect(ann.id, Departure::Left);
    bob.drain();
    send(&mut hub, &bob, r#"{"type":"set_name","name":"ann"}"#);
    assert!(matches!(
        bob.drain().as_slice(),
        [ServerMessage::NameChanged { .. }]
    ));
}

#[test]
fn rooms_are_found_and_kept_unique_ignoring_case_and_width() {
    use confab_shared::ErrorCode;
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"create_room","room":"Books"}"#);
    send(&mut hub, &ann, r#"{"type":"create_room","room":"Éclair"}"#);
    hub.commit(true);
    ann.drain();
    for twin in ["books", "ＢＯＯＫＳ", "éclair"] {
        let frame = format!(r#"{{"type":"create_room","room":"{twin}"}}"#);
        send(&mut hub, &ann, &frame);
        assert_eq!(
            error_code(ann.drain()),
            Some(ErrorCode::RoomExists),
            "{twin}"
        );
    }
    let mut bob = TestClient::join(&mut hub);
    bob.drain();
    send(&mut hub, &bob, r#"{"type":"join_room","room":"BOOKS"}"#);
    assert!(matches!(bob.drain().as_slice(),
        [ServerMessage::RoomJoined { content, .. }, ServerMessage::Reads { .. }] if content.room == "Books"));
    send(
        &mut hub,
        &bob,
        r#"{"type":"message","content":"hi","room":"books"}"#,
    );
    assert_eq!(hub.commit(true), 1);
    assert_eq!(bob.contents(), ["hi"]);
}

#[test]
fn room_creation_is_limited_per_address() {
    use confab_shared::ErrorCode;
    let mut hub = Harness::with(|s| s.room_create_per_hour = 2);
    let mut ann = TestClient::join(&mut hub);
    ann.drain();
    for room in ["a1", "a2"] {
        let frame = format!(r#"{{"type":"create_room","room":"{room}"}}"#);
        send(&mut hub, &ann, &frame);
        assert!(matches!(
            ann.drain().as_slice(),
            [
                ServerMessage::RoomJoined { .. },
                ServerMessage::Reads { .. }
            ]
        ));
    }
    send(&mut hub, &ann, r#"{"type":"create_room","room":"a3"}"#);
    assert_eq!(error_code(ann.drain()), Some(ErrorCode::RateLimited));
    // Another connection from the same address shares the allowance.
    let mut again = TestClient::join(&mut hub);
    again.drain();
    send(&mut hub, &again, r#"{"type":"create_room","room":"a4"}"#);
    assert_eq!(error_code(again.drain()), Some(ErrorCode::RateLimited));
}

#[test]
fn empty_silent_rooms_are_archived_and_come_back_with_their_history() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"create_room","room":"books"}"#);
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"first","room":"books"}"#,
    );
    hub.commit(true);
    send(&mut hub, &ann, r#"{"type":"leave_room","room":"books"}"#);
    ann.drain();
    hub.expire(Instant::now() + Duration::from_secs(30));
    assert!(hub.rooms.contains_key("books"), "not idle long enough yet");
    hub.expire(Instant::now() + Duration::from_secs(61));
    assert!(!hub.rooms.contains_key("books"));
    assert!(
        hub.rooms.contains_key("gaming"),
        "the tutorial's rooms stay"
    );
    assert_eq!(hub.commit(true), 1, "the archiving is stored");
    send(&mut hub, &ann, r#"{"type":"list_rooms"}"#);
    assert!(matches!(ann.drain().as_slice(),
        [ServerMessage::Rooms { content, .. }] if !content.iter().any(|r| r.name == "books")));
    // Creating it again asks the store for its history first.
    let followup = hub.handle_text(ann.id, r#"{"type":"create_room","room":"Books"}"#);
    let Some(followup @ Followup::Revive { .. }) = followup else {
        panic!("expected a revive, got {followup:?}");
    };
    let first = crate::chat::ports::StoredMessage {
        room: "books".into(),
        id: 1,
        from_id: ann.user(),
        from_name: "User1".into(),
        content: "first".into(),
        timestamp: 1,
        txn_id: None,
        session: 1,
        deleted: false,
        edited_at: None,
        rev: 0,
        reply_to: None,
        attachments: Vec::new(),
        reactions: Vec::new(),
    };
    hub.complete(followup, Answer::Messages(Ok(vec![first])));
    assert!(matches!(ann.drain().as_slice(),
        [ServerMessage::RoomJoined { content, .. }, ServerMessage::Reads { .. }] if content.room == "books" && content.history.len() == 1));
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"second","room":"books"}"#,
    );
    hub.commit(true);
    assert!(matches!(
        ann.drain().as_slice(),
        [.., ServerMessage::Message { id: Some(2), .. }]
    ));
}

#[test]
fn a_txn_id_reused_in_another_room_is_another_message() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"a","txn_id":"t1"}"#,
    );
    assert_eq!(hub.commit(true), 1);
    send(&mut hub, &ann, r#"{"type":"join_room","room":"random"}"#);
    ann.drain();
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"b","txn_id":"t1","room":"random"}"#,
    );
    assert_eq!(hub.commit(true), 1, "stored, not taken for a resend");
    assert!(matches!(ann.drain().as_slice(),
        [ServerMessage::Message { room: Some(room), content, .. }] if room == "random" && content == "b"));
}

#[test]
fn closing_for_cause_waits_until_sent_messages_are_acknowledged() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    ann.drain();
    for i in 0..3 {
        let frame = format!(r#"{{"type":"message","content":"m{i}","txn_id":"t{i}"}}"#);
        send(&mut hub, &ann, &frame);
    }
    hub.close_after_acks(ann.id);
    assert_eq!(
        ann.eviction(),
        None,
        "stays while its messages are in flight"
    );
    send(&mut hub, &ann, r#"{"type":"message","content":"ignored"}"#);
    assert_eq!(hub.commit(true), 3, "no input taken once closing");
    let echoes = ann
        .drain()
        .into_iter()
        .filter(|f| {
            matches!(
                f,
                ServerMessage::Message {
                    txn_id: Some(_),
                    ..
                }
            )
        })
        .count();
    assert_eq!(echoes, 3, "every stored message is acknowledged");
    assert_eq!(ann.eviction(), Some(None));
    assert_eq!(hub.online(), 0);
}

#[test]
fn tokens_rotate_on_resume_and_old_ones_stop_working() {
    let mut hub = Harness::with_grace(Duration::from_secs(30));
    let mut bob = TestClient::join(&mut hub);
    let first = token_of(&bob.drain());
    hub.disconnect(bob.id, Departure::Dropped);
    let mut again = TestClient::connect(&mut hub, 64, Some(&first));
    let second = token_of(&again.drain());
    assert_eq!(again.user(), bob.user());
    assert_ne!(first, second, "a new token on every resume");
    hub.disconnect(again.id, Departure::Dropped);
    let stranger = TestClient::connect(&mut hub, 64, Some(&first));
    assert_ne!(
        stranger.user(),
        bob.user(),
        "the old token no longer resumes"
    );
    let mut third = TestClient::connect(&mut hub, 64, Some(&second));
    assert_eq!(third.user(), bob.user());
    assert!(matches!(&third.drain()[0], ServerMessage::Welcome { content, .. } if content.resumed));
}

#[test]
fn a_resend_after_the_session_ended_is_recognised_from_the_store() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let token = token_of(&ann.drain());
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"once","txn_id":"t9"}"#,
    );
    hub.commit(true);
    hub.disconnect(ann.id, Departure::Left);
    // What the connection layer would load for this token.
    let claim = hub
        .signer()
        .verify(&token, tokens::now_ms())
        .expect("valid");
    let earlier = EarlierSession {
        session: claim.session,
        record: None,
        txns: vec![crate::chat::ports::SessionTxn {
            room: "general".into(),
            txn_id: "t9".into(),
            id: 1,
        }],
    };
    let (outbox, inbox) = outbox::channel(64);
    let arrival = Arrival {
        resume: Some(token),
        earlier: Some(earlier),
        ..Arrival::default()
    };
    let id = hub.connect(outbox, arrival);
    let mut back = TestClient { id, inbox };
    assert_ne!(back.user(), ann.user(), "a new user...");
    back.drain();
    send(
        &mut hub,
        &back,
        r#"{"type":"message","content":"once","txn_id":"t9"}"#,
    );
    assert_eq!(hub.commit(true), 0, "...whose resend is not stored again");
    assert!(matches!(back.drain().as_slice(),
        [ServerMessage::Message { id: Some(1), txn_id: Some(t), .. }] if t == "t9"));
}

#[path = "hub_account_tests.rs"]
mod accounts;

#[path = "hub_moderation_tests.rs"]
mod moderation;

#[path = "hub_typing_tests.rs"]
mod typing;

#[path = "hub_reads_tests.rs"]
mod reads;

#[path = "hub_edit_tests.rs"]
mod edits;

#[path = "hub_reaction_tests.rs"]
mod reactions;

#[path = "hub_search_tests.rs"]
mod search;

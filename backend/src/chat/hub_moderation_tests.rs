//! Moderation in the hub, against the in-memory harness: what each action does to
//! the target's connections, to the room, and to what is stored.

use super::*;
use crate::chat::Arrival;
use crate::chat::account::Account;
use confab_shared::api::Role;
use confab_shared::names;

/// A signed-in member with `role` (its account registered first).
fn staff(hub: &mut Hub, username: &str, role: Role) -> TestClient {
    let user_id = hub.apply(|hub| hub.reserve_user_id());
    hub.apply(|hub| hub.register_account(names::key(username), user_id, username.into()));
    let (outbox, inbox) = outbox::channel(64);
    let arrival = Arrival {
        account: Some(Account {
            user_id,
            username: username.into(),
            role,
            role_changed_ms: 1,
        }),
        ..Arrival::default()
    };
    let id = hub.apply(|hub| hub.connect(outbox, arrival));
    TestClient { id, inbox }
}

fn send(hub: &mut Hub, client: &TestClient, text: &str) {
    hub.apply(|hub| hub.handle_text(client.id, text));
}

fn error_code(frames: &[ServerMessage]) -> Option<ErrorCode> {
    frames.iter().find_map(|f| match f {
        ServerMessage::Error { content, .. } => content.code,
        _ => None,
    })
}

#[test]
fn a_kick_tells_the_target_then_evicts_it_and_the_room_sees_leave() {
    let mut hub = Harness::new();
    let mut mona = staff(&mut hub, "Mona", Role::Moderator);
    let mut guest = TestClient::join(&mut hub);
    mona.drain();
    guest.drain();
    let kick = format!(
        r#"{{"type":"kick","user_id":{},"reason":"spam"}}"#,
        guest.user()
    );
    send(&mut hub, &mona, &kick);
    let frames = guest.drain();
    assert!(
        matches!(frames.as_slice(), [ServerMessage::Kicked { by, reason, .. }] if by == "Mona" && reason == "spam")
    );
    assert_eq!(guest.eviction(), Some(Some(Eviction::Kicked)));
    assert!(
        mona.drain()
            .iter()
            .any(|f| matches!(f, ServerMessage::Leave { .. }))
    );
    // Stored: its audit entry, which reaches moderators once committed.
    hub.commit(true);
    let told = mona.drain();
    assert!(told.iter().any(
        |f| matches!(f, ServerMessage::Moderation { content, .. } if content.reason == "spam")
    ));
}

#[test]
fn a_mute_refuses_posts_with_the_time_left_and_its_end_is_told() {
    let mut hub = Harness::new();
    let mut mona = staff(&mut hub, "Mona", Role::Moderator);
    let mut guest = TestClient::join(&mut hub);
    let mute = format!(
        r#"{{"type":"mute","user_id":{},"seconds":60}}"#,
        guest.user()
    );
    send(&mut hub, &mona, &mute);
    // It holds at once, but is told only once stored: a `muted` must survive a
    // crash right after it.
    assert!(
        !guest
            .drain()
            .iter()
            .any(|f| matches!(f, ServerMessage::Muted { .. }))
    );
    send(
        &mut hub,
        &guest,
        r#"{"type":"message","content":"hi","txn_id":"t"}"#,
    );
    let frames = guest.drain();
    let Some(ServerMessage::Error { content, .. }) = frames.first() else {
        panic!("{frames:?}");
    };
    assert_eq!(content.code, Some(ErrorCode::Muted));
    assert!(content.seconds_left.is_some_and(|s| (1..=60).contains(&s)));
    assert_eq!(content.txn_id.as_deref(), Some("t"));
    assert_eq!(
        hub.commit(true),
        2,
        "the mute and its audit entry; no message"
    );
    assert!(matches!(
        guest.drain().as_slice(),
        [ServerMessage::Muted { until, .. }] if *until > 0
    ));
    // A moderator cannot mute a moderator; an unmute ends it at once.
    let other = staff(&mut hub, "Max", Role::Moderator);
    guest.drain();
    let peer = format!(
        r#"{{"type":"mute","user_id":{},"seconds":60}}"#,
        other.user()
    );
    send(&mut hub, &mona, &peer);
    assert_eq!(error_code(&mona.drain()), Some(ErrorCode::Forbidden));
    send(
        &mut hub,
        &mona,
        &format!(r#"{{"type":"unmute","user_id":{}}}"#, guest.user()),
    );
    assert!(matches!(
        guest.drain().as_slice(),
        [ServerMessage::Unmuted { room: None, .. }]
    ));
    send(&mut hub, &guest, r#"{"type":"message","content":"hi"}"#);
    assert_eq!(error_code(&guest.drain()), None);
    // A guest muted and gone can still be unmuted.
    let mute = format!(
        r#"{{"type":"mute","user_id":{},"seconds":60}}"#,
        guest.user()
    );
    send(&mut hub, &mona, &mute);
    hub.apply(|hub| hub.disconnect(guest.id, Departure::Left));
    mona.drain();
    send(
        &mut hub,
        &mona,
        &format!(r#"{{"type":"unmute","user_id":{}}}"#, guest.user()),
    );
    assert_eq!(error_code(&mona.drain()), None);
}

#[test]
fn a_deletion_becomes_a_tombstone_in_memory_once_stored() {
    let mut hub = Harness::new();
    let mut mona = staff(&mut hub, "Mona", Role::Moderator);
    let mut guest = TestClient::join(&mut hub);
    send(&mut hub, &guest, r#"{"type":"message","content":"rude"}"#);
    hub.commit(true);
    guest.drain();
    mona.drain();
    send(
        &mut hub,
        &mona,
        r#"{"type":"delete_message","room":"general","id":1}"#,
    );
    assert!(
        guest.drain().is_empty(),
        "nobody hears of it before it is stored"
    );
    hub.commit(true);
    for client in [&mut guest, &mut mona] {
        let frames = client.drain();
        assert!(
            frames
                .iter()
                .any(|f| matches!(f, ServerMessage::MessageDeleted { id: 1, .. })),
            "{frames:?}"
        );
    }
    let late = TestClient::join(&mut hub).drain();
    let history = late.iter().find_map(|f| match f {
        ServerMessage::History { content, .. } => Some(content.messages.clone()),
        _ => None,
    });
    let item = &history.expect("a history frame")[0];
    assert!(item.deleted && item.content.is_empty());
    // Once deleted, it is not found again; a guest may not delete another's.
    send(
        &mut hub,
        &mona,
        r#"{"type":"delete_message","room":"general","id":1}"#,
    );
    assert_eq!(error_code(&mona.drain()), Some(ErrorCode::NotFound));
}

#[test]
fn flood_control_mutes_the_repeater_but_not_a_moderator() {
    let mut hub = Harness::with(|s| s.flood_repeats = 3);
    let mut mona = staff(&mut hub, "Mona", Role::Moderator);
    let mut guest = TestClient::join(&mut hub);
    for _ in 0..3 {
        send(&mut hub, &mona, r#"{"type":"message","content":"notice"}"#);
        send(&mut hub, &guest, r#"{"type":"message","content":"spam"}"#);
    }
    let frames = guest.drain();
    assert_eq!(error_code(&frames), Some(ErrorCode::Muted));
    assert_eq!(error_code(&mona.drain()), None);
    hub.commit(true);
    assert!(
        guest
            .drain()
            .iter()
            .any(|f| matches!(f, ServerMessage::Muted { by, .. } if by == "Flood control"))
    );
    let told = mona.drain();
    assert!(
        told.iter()
            .any(|f| matches!(f, ServerMessage::Moderation { content, .. } if content.automatic))
    );
}

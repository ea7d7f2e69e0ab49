//! Signed-in users in the hub: one member across tabs, reserved names, and the
//! tutorial's leave-at-once for clients that cannot resume.

use super::*;
use crate::chat::Arrival;
use crate::chat::account::Account;
use confab_shared::api::Role;
use confab_shared::names;

pub(super) fn signed_in(hub: &mut Hub, user_id: UserId, username: &str) -> TestClient {
    let (outbox, inbox) = outbox::channel(64);
    let arrival = Arrival {
        account: Some(Account {
            role_changed_ms: 0,
            user_id,
            username: username.into(),
            role: Role::Member,
        }),
        ..Arrival::default()
    };
    let id = hub.apply(|hub| hub.connect(outbox, arrival));
    TestClient { id, inbox }
}

fn register(hub: &mut Hub, username: &str) -> UserId {
    let id = hub.apply(|hub| hub.reserve_user_id());
    hub.apply(|hub| hub.register_account(names::key(username), id, username.into()));
    id
}

fn moves(frames: &[ServerMessage]) -> Vec<&'static str> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerMessage::Join { .. } => Some("join"),
            ServerMessage::Leave { .. } => Some("leave"),
            _ => None,
        })
        .collect()
}

#[test]
fn two_tabs_of_one_account_are_one_user_and_both_receive() {
    let mut hub = Harness::with_grace(Duration::from_secs(30));
    let mut guest = TestClient::join(&mut hub);
    let ann = register(&mut hub, "Ann");
    let mut tab1 = signed_in(&mut hub, ann, "Ann");
    let mut tab2 = signed_in(&mut hub, ann, "Ann");
    assert_eq!(tab1.user(), tab2.user());

    let welcome = tab2.drain();
    assert!(matches!(&welcome[0], ServerMessage::Welcome { content, .. }
        if content.user_id == ann && content.account.as_ref().is_some_and(|a| a.username == "Ann")));
    assert!(
        matches!(&welcome[1], ServerMessage::Users { content, .. } if content.len() == 2),
        "listed once: {welcome:?}"
    );
    assert_eq!(moves(&guest.drain()), ["join"], "one join for two tabs");
    let first = tab1.drain();
    assert_eq!(
        first
            .iter()
            .filter(|f| matches!(f, ServerMessage::Welcome { .. }))
            .count(),
        1,
        "the second tab's greeting goes to it alone"
    );

    send(
        &mut hub,
        &guest,
        r#"{"type":"message","content":"hi both"}"#,
    );
    hub.commit(true);
    assert_eq!(tab1.contents(), ["hi both"]);
    assert_eq!(tab2.contents(), ["hi both"]);

    // One tab's bad request is answered in that tab only.
    send(&mut hub, &tab1, r#"{"type":"nonsense"}"#);
    assert!(matches!(
        tab1.drain().as_slice(),
        [ServerMessage::Error { .. }]
    ));
    assert!(tab2.drain().is_empty());

    // Closing one tab is no leave; closing the last is.
    hub.apply(|hub| hub.disconnect(tab1.id, Departure::Left));
    assert!(moves(&guest.drain()).is_empty());
    send(
        &mut hub,
        &guest,
        r#"{"type":"message","content":"still here?"}"#,
    );
    hub.commit(true);
    assert_eq!(tab2.contents(), ["still here?"]);
    hub.apply(|hub| hub.disconnect(tab2.id, Departure::Left));
    assert_eq!(moves(&guest.drain()), ["leave"]);
}

#[test]
fn a_room_joined_in_one_tab_is_joined_in_every_tab_and_in_new_ones() {
    let mut hub = Harness::new();
    let ann = register(&mut hub, "Ann");
    let mut tab1 = signed_in(&mut hub, ann, "Ann");
    let mut tab2 = signed_in(&mut hub, ann, "Ann");
    tab1.drain();
    tab2.drain();
    send(&mut hub, &tab1, r#"{"type":"join_room","room":"random"}"#);
    for tab in [&mut tab1, &mut tab2] {
        assert!(
            matches!(tab.drain().as_slice(), [ServerMessage::RoomJoined { content, .. }, ServerMessage::Reads { .. }]
            if content.room == "random")
        );
    }
    let mut tab3 = signed_in(&mut hub, ann, "Ann");
    assert!(tab3.drain().iter().any(
        |f| matches!(f, ServerMessage::RoomJoined { content, .. } if content.room == "random")
    ));
}

#[test]
fn registered_names_are_refused_to_guests_and_reclaimed_from_them() {
    let mut hub = Harness::new();
    let mut guest = TestClient::join(&mut hub);
    guest.drain();
    register(&mut hub, "Ann");
    send(&mut hub, &guest, r#"{"type":"set_name","name":"ＡＮＮ"}"#);
    let frames = guest.drain();
    assert!(
        matches!(frames.as_slice(), [ServerMessage::Error { content, .. }]
        if content.code == Some(ErrorCode::NameTaken)),
        "{frames:?}"
    );

    // A guest holding a name when its account first arrives gives it back.
    send(&mut hub, &guest, r#"{"type":"set_name","name":"Bob"}"#);
    guest.drain();
    let bob = register(&mut hub, "Bob");
    let mut bob_tab = signed_in(&mut hub, bob, "Bob");
    let default = format!("User{}", guest.user());
    assert!(
        guest
            .drain()
            .iter()
            .any(|f| matches!(f, ServerMessage::NameChanged { content, .. }
        if content.new_name == default))
    );
    assert!(
        matches!(&bob_tab.drain()[0], ServerMessage::Welcome { content, .. }
        if content.user_name == "Bob")
    );

    // A signed-in user keeps the account's name.
    send(&mut hub, &bob_tab, r#"{"type":"set_name","name":"Robert"}"#);
    assert!(
        matches!(bob_tab.drain().as_slice(), [ServerMessage::Error { content, .. }]
        if content.code == Some(ErrorCode::InvalidName))
    );
}

#[test]
fn a_client_that_never_showed_it_can_resume_leaves_as_soon_as_it_drops() {
    let mut hub = Harness::with_grace(Duration::from_secs(30));
    let mut watcher = TestClient::join(&mut hub);
    let (outbox, inbox) = outbox::channel(64);
    let arrival = Arrival {
        resumable: false,
        ..Arrival::default()
    };
    let id = hub.apply(|hub| hub.connect(outbox, arrival));
    let tutorial = TestClient { id, inbox };
    let resuming = TestClient::join(&mut hub);
    watcher.drain();

    hub.apply(|hub| hub.disconnect(resuming.id, Departure::Dropped));
    assert!(
        moves(&watcher.drain()).is_empty(),
        "kept for its grace period"
    );
    hub.apply(|hub| hub.disconnect(tutorial.id, Departure::Dropped));
    assert_eq!(moves(&watcher.drain()), ["leave"]);
}

#[test]
fn an_accounts_resume_token_does_not_open_the_account_without_signing_in() {
    let mut hub = Harness::with_grace(Duration::from_secs(30));
    let ann = register(&mut hub, "Ann");
    let mut tab = signed_in(&mut hub, ann, "Ann");
    let token = match &tab.drain()[0] {
        ServerMessage::Welcome { content, .. } => content.resume_token.clone().unwrap(),
        other => panic!("expected welcome, got {other:?}"),
    };
    // Signed out (or the token stolen): the token alone, without the session.
    for live in [true, false] {
        if !live {
            hub.apply(|hub| hub.disconnect(tab.id, Departure::Left));
        }
        // What the store would hold of the account's session, were it looked up.
        let earlier = crate::chat::EarlierSession {
            session: crate::chat::account_session_key(ann),
            txns: vec![],
            record: Some(crate::chat::ports::SessionRecord {
                session: crate::chat::account_session_key(ann),
                user_id: ann,
                name: "Ann".into(),
                rooms: vec!["general".into()],
                updated_at: 0,
            }),
        };
        let (outbox, inbox) = outbox::channel(64);
        let arrival = Arrival {
            resume: Some(token.clone()),
            earlier: Some(earlier),
            ..Arrival::default()
        };
        let id = hub.apply(|hub| hub.connect(outbox, arrival));
        let mut guest = TestClient { id, inbox };
        let welcome = &guest.drain()[0];
        assert!(
            matches!(welcome, ServerMessage::Welcome { content, .. }
                if content.user_id != ann && content.account.is_none() && !content.resumed),
            "live: {live}: {welcome:?}"
        );
    }
    let _ = &mut tab;
}

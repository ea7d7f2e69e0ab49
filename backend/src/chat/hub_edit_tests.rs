//! Edits in the hub: the sender's own messages only, and a catch-up from before
//! an edit (or a deletion) brings the changed message at the place of its change.

use super::*;
use crate::chat::ports::Range;

fn history_of(frames: &[ServerMessage]) -> Vec<confab_shared::server::HistoryItem> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerMessage::History { content, .. } => Some(content.messages.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn edited(frames: &[ServerMessage]) -> Vec<(MessageId, String, MessageId)> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerMessage::MessageEdited {
                id, content, rev, ..
            } => Some((*id, content.clone(), *rev)),
            _ => None,
        })
        .collect()
}

#[test]
fn only_the_sender_edits_and_everyone_sees_it_once_stored() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"message","content":"helo"}"#);
    hub.commit(true);
    ann.drain();
    bob.drain();

    send(
        &mut hub,
        &bob,
        r#"{"type":"edit_message","room":"general","id":1,"content":"mine now"}"#,
    );
    assert_eq!(error_code(bob.drain()), Some(ErrorCode::Forbidden));
    send(
        &mut hub,
        &ann,
        r#"{"type":"edit_message","room":"general","id":9,"content":"x"}"#,
    );
    assert_eq!(error_code(ann.drain()), Some(ErrorCode::NotFound));

    send(
        &mut hub,
        &ann,
        r#"{"type":"edit_message","room":"general","id":1,"content":"hello"}"#,
    );
    assert!(edited(&bob.drain()).is_empty(), "not before it is stored");
    hub.commit(true);
    assert_eq!(
        edited(&bob.drain()),
        [(1, "hello".to_owned(), 2)],
        "rev 2: the next id"
    );
    assert_eq!(edited(&ann.drain()), [(1, "hello".to_owned(), 2)]);

    // The next message goes on after the edit's place.
    send(&mut hub, &bob, r#"{"type":"message","content":"nice"}"#);
    hub.commit(true);
    let ids: Vec<_> = ann
        .drain()
        .into_iter()
        .filter_map(|f| match f {
            ServerMessage::Message { id, .. } => id,
            _ => None,
        })
        .collect();
    assert_eq!(ids, [3]);
}

#[test]
fn a_catch_up_from_before_a_change_brings_the_changed_message() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    for text in ["one", "two", "three"] {
        send(
            &mut hub,
            &ann,
            &format!(r#"{{"type":"message","content":"{text}"}}"#),
        );
    }
    hub.commit(true);
    send(
        &mut hub,
        &ann,
        r#"{"type":"edit_message","room":"general","id":1,"content":"ONE"}"#,
    );
    send(
        &mut hub,
        &ann,
        r#"{"type":"delete_message","room":"general","id":2}"#,
    );
    hub.commit(true);
    ann.drain();

    // A client that had everything up to 3 missed two changes, at 4 and 5.
    send(
        &mut hub,
        &ann,
        r#"{"type":"get_history","room":"general","after_id":3}"#,
    );
    let items = history_of(&ann.drain());
    let got: Vec<_> = items
        .iter()
        .map(|i| {
            (
                i.id,
                i.content.as_str(),
                i.deleted,
                i.edited_at.is_some(),
                i.position(),
            )
        })
        .collect();
    assert_eq!(got, [(1, "ONE", false, true, 4), (2, "", true, false, 5)]);
    // From 4 on, only the deletion is news.
    send(
        &mut hub,
        &ann,
        r#"{"type":"get_history","room":"general","after_id":4}"#,
    );
    let items = history_of(&ann.drain());
    assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), [2]);
}

#[test]
fn editing_a_message_memory_no_longer_holds_asks_the_store_and_so_do_catch_ups() {
    let mut hub = Harness::new();
    let ann = TestClient::join(&mut hub);
    hub.hub.rooms.get_mut("general").unwrap().changed_before(1);
    let followup = hub.apply(|hub| {
        hub.handle_text(
            ann.id,
            r#"{"type":"edit_message","room":"general","id":1,"content":"x"}"#,
        )
    });
    assert_eq!(
        followup,
        Some(Followup::Edit {
            user: ann.user(),
            room: "general".into(),
            id: 1,
            content: "x".into()
        }),
        "message 1 was there before a restart: memory holds nothing, the store may"
    );
    // A change memory did not hold sends catch-ups from before it to the store.
    let mut room = crate::chat::room::Room::restore(Vec::new());
    room.changed_before(7);
    assert!(
        room.history_frame("general", Range::After(6), 100)
            .is_none()
    );
    assert!(
        room.history_frame("general", Range::After(7), 100)
            .is_some()
    );
    assert_eq!(room.take_id(), 8, "ids go on after the last change");
}

//! Search in the core, against the in-memory store: only the rooms one is in,
//! and the answer as `search_results`.

use super::*;
use crate::chat::memory_store::MemoryStore;
use crate::chat::ports::Store;
use futures_util::FutureExt;

/// Plays the group commit into `store`, so the store holds what the hub sent.
fn commit_into(hub: &mut Harness, store: &MemoryStore) {
    let mut batch = Vec::new();
    while let Ok(write) = hub.stored.try_recv() {
        batch.push(write);
    }
    let written = store.write(&batch).now_or_never().expect("memory is ready");
    written.expect("stored");
    hub.apply(|hub| hub.committed(&batch, true));
}

fn search(hub: &mut Harness, store: &MemoryStore, client: &TestClient, text: &str) {
    let followup = hub.apply(|hub| hub.handle_text(client.id, text));
    let followup = followup.expect("only the store can answer a search");
    let answer = followup.ask(store).now_or_never().expect("memory is ready");
    hub.apply(|hub| hub.complete(followup, answer));
}

#[test]
fn search_covers_the_rooms_one_is_in_and_refuses_the_others() {
    let mut hub = Harness::new();
    let store = MemoryStore::seeded();
    let mut ann = TestClient::join(&mut hub);
    let bob = TestClient::join(&mut hub);
    send(&mut hub, &bob, r#"{"type":"join_room","room":"gaming"}"#);
    send(
        &mut hub,
        &ann,
        r#"{"type":"message","content":"Lunch at noon?"}"#,
    );
    send(&mut hub, &ann, r#"{"type":"message","content":"or later"}"#);
    let raid = r#"{"type":"message","room":"gaming","content":"lunch raid"}"#;
    send(&mut hub, &bob, raid);
    commit_into(&mut hub, &store);
    ann.drain();

    search(
        &mut hub,
        &store,
        &ann,
        r#"{"type":"search","query":"LUNCH"}"#,
    );
    let frames = ann.drain();
    let [ServerMessage::SearchResults { content, .. }] = frames.as_slice() else {
        panic!("{frames:?}");
    };
    assert_eq!(
        (content.query.as_str(), content.room.as_deref()),
        ("LUNCH", None)
    );
    let found: Vec<_> = content
        .messages
        .iter()
        .map(|m| (m.room.as_str(), m.id))
        .collect();
    assert_eq!(found, [("general", 1)], "not gaming, where Ann is not");

    let elsewhere = r#"{"type":"search","query":"lunch","room":"gaming"}"#;
    assert_eq!(hub.apply(|hub| hub.handle_text(ann.id, elsewhere)), None);
    assert!(matches!(
        ann.drain().as_slice(),
        [ServerMessage::Error { content, .. }] if content.code == Some(ErrorCode::NotInRoom)
    ));
    let nowhere = r#"{"type":"search","query":"lunch","room":"attic"}"#;
    assert_eq!(hub.apply(|hub| hub.handle_text(ann.id, nowhere)), None);
    assert!(matches!(
        ann.drain().as_slice(),
        [ServerMessage::Error { content, .. }] if content.code == Some(ErrorCode::NotFound)
    ));
}

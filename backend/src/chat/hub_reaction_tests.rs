//! Reactions in the hub: a toggle per user and emoji, counted, bounded, and
//! brought by a catch-up like any change.

use super::*;

fn reactions_of(frames: &[ServerMessage]) -> Vec<(String, UserId, bool, u32)> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerMessage::Reaction {
                emoji,
                user_id,
                on,
                count,
                ..
            } => Some((emoji.clone(), *user_id, *on, *count)),
            _ => None,
        })
        .collect()
}

fn react(hub: &mut Harness, client: &TestClient, emoji: &str) {
    let frame = format!(r#"{{"type":"react","room":"general","id":1,"emoji":"{emoji}"}}"#);
    send(hub, client, &frame);
    hub.commit(true);
}

#[test]
fn a_reaction_toggles_per_user_and_is_counted() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    let mut bob = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"message","content":"ship it"}"#);
    hub.commit(true);
    ann.drain();
    bob.drain();
    react(&mut hub, &ann, "👍");
    react(&mut hub, &bob, "👍");
    let (a, b) = (ann.user(), bob.user());
    assert_eq!(
        reactions_of(&ann.drain()),
        [("👍".into(), a, true, 1), ("👍".into(), b, true, 2)]
    );
    bob.drain();
    react(&mut hub, &ann, "👍");
    assert_eq!(
        reactions_of(&bob.drain()),
        [("👍".into(), a, false, 1)],
        "taken back"
    );

    // The message as history has it now: one 👍, Bob's; brought by a catch-up.
    send(
        &mut hub,
        &bob,
        r#"{"type":"get_history","room":"general","after_id":1}"#,
    );
    let page = bob.drain();
    let Some(ServerMessage::History { content, .. }) = page.last() else {
        panic!("a history page: {page:?}")
    };
    let item = &content.messages[0];
    assert_eq!((item.id, item.reactions.len()), (1, 1));
    assert_eq!(
        (item.reactions[0].count, item.reactions[0].user_ids.clone()),
        (1, vec![b])
    );
}

#[test]
fn a_message_takes_twenty_kinds_of_reaction_and_only_members_react() {
    let mut hub = Harness::new();
    let mut ann = TestClient::join(&mut hub);
    send(&mut hub, &ann, r#"{"type":"message","content":"vote"}"#);
    hub.commit(true);
    let emoji: Vec<String> = (0..21)
        .map(|n| char::from_u32(0x1F600 + n).unwrap().to_string())
        .collect();
    for e in &emoji[..20] {
        react(&mut hub, &ann, e);
    }
    ann.drain();
    react(&mut hub, &ann, &emoji[20]);
    assert_eq!(error_code(ann.drain()), Some(ErrorCode::TooLarge));
    react(&mut hub, &ann, &emoji[0]);
    assert_eq!(
        reactions_of(&ann.drain()).len(),
        1,
        "taking one back is fine"
    );

    send(
        &mut hub,
        &ann,
        r#"{"type":"react","room":"random","id":1,"emoji":"👍"}"#,
    );
    assert_eq!(error_code(ann.drain()), Some(ErrorCode::NotInRoom));
    send(
        &mut hub,
        &ann,
        r#"{"type":"react","room":"general","id":999,"emoji":"👍"}"#,
    );
    assert_eq!(error_code(ann.drain()), Some(ErrorCode::NotFound));
    send(
        &mut hub,
        &ann,
        r#"{"type":"delete_message","room":"general","id":1}"#,
    );
    hub.commit(true);
    ann.drain();
    react(&mut hub, &ann, "👍");
    assert_eq!(
        error_code(ann.drain()),
        Some(ErrorCode::NotFound),
        "deleted"
    );
}

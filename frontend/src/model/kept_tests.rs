//! What a reload without a network shows.
use super::*;
use crate::model::kept::KEPT_PER_ROOM;

#[test]
fn the_last_messages_of_each_room_come_back_in_a_new_visit() {
    let mut chat = Chat::new(None);
    chat.apply(welcome(1, "Ann", false));
    let last = KEPT_PER_ROOM as u64 + 10;
    let many: Vec<_> = (1..=last).map(|id| item(id, &format!("m{id}"))).collect();
    chat.apply(history(many));
    chat.apply(message(1, last + 1, "mine", None));
    chat.add_pending("not stored yet".into(), Vec::new(), "t1".into(), 9);
    let kept = chat.kept_history();
    assert_eq!(kept.me, Some(1));
    assert_eq!(kept.rooms.len(), 1);
    let room = &kept.rooms[0];
    assert_eq!(
        room.messages.len(),
        KEPT_PER_ROOM,
        "bounded, the newest kept"
    );
    assert_eq!(room.messages.last().map(|m| m.id), Some(last + 1));

    let mut next = Chat::new(None);
    next.restore_history(kept);
    let shown = texts(&next);
    assert!(shown.contains(&format!("m{last}")), "{shown:?}");
    assert!(
        !shown.contains(&"not stored yet".to_owned()),
        "the outbox keeps that one"
    );
    let mine = next.timeline().entries.iter().find(|e| e.text == "mine");
    assert!(
        mine.is_some_and(Entry::is_own_public),
        "ours, before any welcome"
    );
    // The server's page after the welcome merges without doubles.
    next.apply(welcome(1, "Ann", false));
    next.apply(history(vec![item(last, &format!("m{last}"))]));
    let again = texts(&next);
    assert_eq!(
        again.iter().filter(|t| **t == format!("m{last}")).count(),
        1
    );
}

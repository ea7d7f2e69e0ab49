//! Edits as the model keeps them: applied when newer, never leaving holes, and
//! counted in where a catch-up continues from.

use super::*;

fn edited(id: MessageId, content: &str, rev: MessageId) -> ServerMessage {
    ServerMessage::MessageEdited {
        room: "general".into(),
        id,
        content: content.into(),
        edited_at: 9,
        rev,
        timestamp: 9,
    }
}

fn changed(id: MessageId, content: &str, rev: MessageId) -> HistoryItem {
    HistoryItem {
        edited_at: Some(9),
        rev: Some(rev),
        ..item(id, content)
    }
}

fn entry(chat: &Chat, id: MessageId) -> Entry {
    let entries = &chat.timeline().entries;
    entries.iter().find(|e| e.id == Some(id)).unwrap().clone()
}

#[test]
fn an_edit_shows_once_and_an_older_copy_never_undoes_it() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history(vec![item(1, "teh"), item(2, "two")]));
    chat.apply(edited(1, "the", 3));
    assert_eq!(
        (entry(&chat, 1).text.as_str(), entry(&chat, 1).edited),
        ("the", true)
    );
    // A page fetched before the edit was stored arrives late: it is older.
    chat.apply(history(vec![item(1, "teh")]));
    assert_eq!(entry(&chat, 1).text, "the");
    chat.apply(history(vec![changed(1, "the end", 5)]));
    assert_eq!(entry(&chat, 1).text, "the end", "a newer copy wins");
}

#[test]
fn a_reconnect_catches_up_from_past_the_last_change_seen() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history(vec![item(1, "one"), item(2, "two")]));
    chat.apply(edited(1, "ONE", 4));
    let after = chat.apply(welcome(1, "User1", true)).send;
    assert!(
        after.contains(&ClientMessage::GetHistory {
            room: "general".into(),
            before_id: None,
            after_id: Some(4),
            limit: Some(confab_shared::limits::MAX_HISTORY),
        }),
        "{after:?}"
    );
}

#[test]
fn a_catch_up_updates_what_is_held_and_skips_older_changes_it_does_not_hold() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history(vec![item(5, "five"), item(6, "six")]));
    chat.apply(history(vec![
        changed(2, "old, edited", 7),
        changed(5, "FIVE", 8),
    ]));
    let ids: Vec<_> = chat
        .timeline()
        .entries
        .iter()
        .filter_map(|e| e.id)
        .collect();
    assert_eq!(
        ids,
        [5, 6],
        "message 2 would leave a hole: scrollback brings it"
    );
    assert_eq!(entry(&chat, 5).text, "FIVE");
}

#[test]
fn only_our_own_messages_are_edited_and_only_with_new_text() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(message(1, 1, "mine", None));
    chat.apply(message(2, 2, "theirs", None));
    assert_eq!(chat.last_own_message(), Some(1));
    assert_eq!(
        chat.edit_message(1, "mine, fixed".into()),
        Some(ClientMessage::EditMessage {
            room: "general".into(),
            id: 1,
            content: "mine, fixed".into()
        })
    );
    assert_eq!(chat.edit_message(1, "mine".into()), None, "unchanged");
    assert_eq!(chat.edit_message(1, "   ".into()), None, "empty");
    assert_eq!(chat.edit_message(2, "hijacked".into()), None);
    // An image sent without words is no text to edit: Up skips it.
    chat.apply(message(1, 3, "", None));
    assert_eq!(chat.last_own_message(), Some(1));
}

fn reaction(emoji: &str, user_id: UserId, on: bool, count: u32, rev: MessageId) -> ServerMessage {
    ServerMessage::Reaction {
        room: "general".into(),
        id: 1,
        emoji: emoji.into(),
        user_id,
        on,
        count,
        rev,
        timestamp: 9,
    }
}

#[test]
fn reactions_count_up_and_down_and_know_whose_they_are() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history(vec![item(1, "ship it")]));
    chat.apply(reaction("👍", 2, true, 1, 2));
    chat.apply(reaction("👍", 1, true, 2, 3));
    chat.apply(reaction("🎉", 3, true, 1, 4));
    let got: Vec<_> = entry(&chat, 1)
        .reactions
        .iter()
        .map(|r| (r.emoji.clone(), r.count, r.user_ids.clone()))
        .collect();
    assert_eq!(
        got,
        [("👍".into(), 2, vec![2, 1]), ("🎉".into(), 1, vec![3])]
    );
    chat.apply(reaction("🎉", 3, false, 0, 5));
    chat.apply(reaction("👍", 9, true, 7, 4));
    let reactions = entry(&chat, 1).reactions;
    assert_eq!(
        reactions.len(),
        1,
        "🎉 is gone; an older event changed nothing"
    );
    assert_eq!(reactions[0].count, 2);
    assert_eq!(
        chat.react(1, "👍"),
        ClientMessage::React {
            room: "general".into(),
            id: 1,
            emoji: "👍".into()
        }
    );
}

//! Read receipts as the model keeps them: unread counts, the divider, whose
//! avatar goes under which message, and "seen".

use super::*;
use confab_shared::server::{Conversation, PrivateHistory, PrivateItem};

/// User1 (us) in `general` with Ann (2) and Bob (3), and messages 1 to 4 from Ann.
fn room_with_four() -> Chat {
    let mut chat = Chat::new(None);
    chat.apply(welcome(1, "User1", false));
    chat.apply(ServerMessage::Users {
        content: vec![user(1, "User1"), user(2, "Ann"), user(3, "Bob")],
        timestamp: 1,
        room: None,
        total: None,
    });
    chat.apply(history((1..=4).map(|id| item(id, "hi")).collect()));
    chat
}

fn key_of(chat: &Chat, id: MessageId) -> u64 {
    chat.timeline()
        .entries
        .iter()
        .find(|e| e.id == Some(id))
        .map(|e| e.key)
        .unwrap()
}

#[test]
fn our_marker_gives_the_unread_count_and_the_divider() {
    let mut chat = room_with_four();
    chat.apply(reads("general", Some(2), &[]));
    assert_eq!(chat.timeline().unread(), 2);
    assert_eq!(
        chat.divider_key(),
        Some(key_of(&chat, 3)),
        "above the first unread"
    );
    assert_eq!(
        chat.read_current(),
        Some(ClientMessage::Read {
            room: "general".into(),
            id: 4
        })
    );
    assert_eq!(chat.timeline().unread(), 0);
    assert_eq!(chat.read_current(), None, "nothing new: nothing to send");
    assert!(
        chat.divider_key().is_some(),
        "the divider stays while the room is shown"
    );
    chat.add_pending("reply".into(), Vec::new(), "t1".into(), 9);
    assert_eq!(chat.divider_key(), None, "answering clears it");
}

#[test]
fn several_readers_at_once_move_like_so_many_reads() {
    let mut chat = room_with_four();
    chat.apply(reads("general", Some(2), &[(2, 1)]));
    chat.apply(reads("general", None, &[(1, 4), (2, 3), (3, 4)]));
    assert_eq!(
        chat.timeline().read_up_to,
        Some(4),
        "ours, from another tab"
    );
    assert_eq!(chat.timeline().markers.get(&2), Some(&3));
    assert_eq!(chat.timeline().markers.get(&3), Some(&4));
    assert_eq!(chat.timeline().unread(), 0);
}

#[test]
fn a_marker_never_moves_back_and_another_tabs_read_counts() {
    let mut chat = room_with_four();
    chat.apply(reads("general", Some(3), &[]));
    chat.apply(ServerMessage::Read {
        room: Some("general".into()),
        user_id: 1,
        id: 4,
        timestamp: 2,
    });
    assert_eq!(chat.timeline().read_up_to, Some(4), "our other tab read it");
    chat.apply(reads("general", Some(2), &[]));
    assert_eq!(chat.timeline().read_up_to, Some(4), "never back");
}

#[test]
fn others_show_under_the_last_message_they_read_and_only_while_present() {
    let mut chat = room_with_four();
    chat.apply(reads("general", Some(4), &[(2, 2), (3, 4), (9, 4), (1, 1)]));
    let readers = chat.readers();
    assert_eq!(
        readers.get(&key_of(&chat, 2)),
        Some(&vec![(2, "Ann".to_owned())])
    );
    assert_eq!(
        readers.get(&key_of(&chat, 4)),
        Some(&vec![(3, "Bob".to_owned())]),
        "not user 9, who is not here, nor us"
    );
    chat.apply(ServerMessage::Read {
        room: Some("general".into()),
        user_id: 2,
        id: 3,
        timestamp: 2,
    });
    assert_eq!(
        chat.readers().get(&key_of(&chat, 3)),
        Some(&vec![(2, "Ann".to_owned())])
    );
    chat.apply(ServerMessage::Leave {
        from_id: 0,
        from_name: "System".into(),
        content: presence(2, "Ann"),
        timestamp: 3,
        room: None,
    });
    assert!(
        !chat.readers().contains_key(&key_of(&chat, 3)),
        "gone, so not shown"
    );
}

#[test]
fn a_conversation_shows_how_far_the_other_side_has_seen() {
    let mut chat = room_with_four();
    let mine = PrivateItem {
        id: 7,
        from_id: 1,
        from_name: "User1".into(),
        to_id: 2,
        content: "psst".into(),
        timestamp: 1,
    };
    chat.apply(ServerMessage::Conversations {
        content: vec![Conversation {
            with_id: 2,
            with_name: "Ann".into(),
            last: mine.clone(),
            unread: 0,
            seen_up_to: Some(6),
        }],
        timestamp: 1,
    });
    chat.open_conversation(2, "Ann".into());
    chat.apply(ServerMessage::PrivateHistory {
        content: PrivateHistory {
            with_id: 2,
            messages: vec![mine],
        },
        timestamp: 1,
    });
    assert_eq!(chat.conversation.as_ref().unwrap().seen_up_to, Some(6));
    assert_eq!(chat.seen_at(), None, "our message 7 is not seen yet");
    chat.apply(ServerMessage::Read {
        room: None,
        user_id: 2,
        id: 7,
        timestamp: 2,
    });
    assert_eq!(chat.conversation.as_ref().unwrap().seen_up_to, Some(7));
    assert_eq!(chat.conversations[0].seen_up_to, Some(7));
    assert_eq!(chat.seen_at(), Some(7));
}

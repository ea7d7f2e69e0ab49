//! Replies as the model keeps them.

use super::*;

#[test]
fn a_reply_names_what_it_answers_and_quotes_it_shortened() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    let long = "x".repeat(300);
    chat.apply(message(2, 1, &long, None));
    chat.reply(1);
    let sent = chat.add_pending("agreed".into(), Vec::new(), "t1".into(), 5);
    assert!(
        matches!(
            sent,
            ClientMessage::Message {
                reply_to: Some(1),
                ..
            }
        ),
        "{sent:?}"
    );
    assert_eq!(chat.replying_to, None, "one reply at a time");
    let (name, text) = chat.quote(1).unwrap();
    assert_eq!(name, "User2");
    assert_eq!(text.chars().count(), crate::model::replies::QUOTE_CHARS);
    assert!(text.ends_with('…'));
    assert_eq!(chat.quote(99), None, "not held");
    // A resend after a reconnect still answers the same message.
    let again = chat.apply(welcome(1, "User1", true)).send;
    assert!(
        again
            .iter()
            .any(|f| matches!(f, ClientMessage::Message { reply_to: Some(1), txn_id: Some(t), .. } if t == "t1")),
        "{again:?}"
    );
    // The echo keeps it, as does history.
    chat.apply(ServerMessage::Message {
        from_id: 2,
        from_name: "User2".into(),
        content: "me too".into(),
        timestamp: 6,
        txn_id: None,
        id: Some(3),
        room: Some("general".into()),
        reply_to: Some(1),
        attachments: Vec::new(),
    });
    let entry = chat
        .timeline()
        .entries
        .iter()
        .find(|e| e.id == Some(3))
        .unwrap();
    assert_eq!(entry.reply_to, Some(1));
}

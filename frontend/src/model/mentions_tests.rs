//! Mentions, links and notices as the model sees them.

use super::*;
use crate::model::{Piece, complete_mention, mention_at, pieces};

#[test]
fn completion_offers_room_members_by_prefix_and_fills_in_the_name() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::Users {
        content: vec![
            user(1, "User1"),
            user(2, "Bob"),
            user(3, "bea lee"),
            user(4, "Cy"),
        ],
        timestamp: 1,
        room: None,
        total: None,
    });
    assert_eq!(mention_at("hi @b", 5), Some((3, "b".into())));
    assert_eq!(mention_at("@", 1), Some((0, String::new())));
    assert_eq!(
        mention_at("mail ann@b", 10),
        None,
        "an address, not a mention"
    );
    assert_eq!(mention_at("@bob and", 8), None, "the caret left the word");
    assert_eq!(chat.mention_suggestions("B"), ["bea lee", "Bob"]);
    assert_eq!(
        chat.mention_suggestions("user"),
        Vec::<String>::new(),
        "not oneself"
    );
    let (text, caret) = complete_mention("hi @b tomorrow", 3, 5, "@Bob ");
    assert_eq!(text, "hi @Bob  tomorrow");
    assert_eq!(caret, 8);
}

#[test]
fn text_becomes_mentions_links_and_plain_pieces() {
    let names = vec!["Ann".to_owned(), "Ann Lee".to_owned(), "Bob".to_owned()];
    let text = "@ann lee see https://example.com/a?b=1. or @Bob, not @Bobby, mail x@Bob";
    assert_eq!(
        pieces(text, &names, Some("Ann Lee")),
        [
            Piece::Mention {
                text: "@ann lee".into(),
                me: true
            },
            Piece::Text(" see ".into()),
            Piece::Link("https://example.com/a?b=1".into()),
            Piece::Text(". or ".into()),
            Piece::Mention {
                text: "@Bob".into(),
                me: false
            },
            Piece::Text(", not @Bobby, mail x@Bob".into()),
        ]
    );
    // Only http and https become links; markup stays text (drawn escaped).
    let unsafe_text = "javascript:alert(1) <b>x</b> ftp://x http://";
    assert_eq!(
        pieces(unsafe_text, &names, None),
        [Piece::Text(unsafe_text.into())]
    );
}

#[test]
fn mentions_elsewhere_and_private_messages_are_noticed() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    let mention = |id, room: &str, text: &str| ServerMessage::Message {
        from_id: 2,
        from_name: "Ann".into(),
        content: text.into(),
        timestamp: 5,
        txn_id: None,
        id: Some(id),
        room: Some(room.into()),
        reply_to: None,
        attachments: Vec::new(),
    };
    let here = chat
        .apply(mention(1, "general", "hey @user1!"))
        .notify
        .unwrap();
    assert_eq!(here.title, "Ann in #general");
    assert!(!here.elsewhere, "the room shown: only if the tab is hidden");
    assert_eq!(
        chat.apply(mention(2, "general", "hey @user12")).notify,
        None
    );
    assert_eq!(chat.apply(mention(3, "general", "no one")).notify, None);

    chat.apply(ServerMessage::RoomJoined {
        content: RoomJoined {
            room: "random".into(),
            users: vec![user(1, "User1")],
            history: vec![],
            total_users: None,
            read_only: false,
        },
        timestamp: 1,
    });
    chat.apply(reads("random", Some(0), &[]));
    let there = chat
        .apply(mention(1, "random", "@User1 look"))
        .notify
        .unwrap();
    assert!(there.elsewhere);
    assert_eq!(there.room.as_deref(), Some("random"));
    assert_eq!(chat.rooms["random"].unread_mentions("User1"), 1);

    let private = chat
        .apply(ServerMessage::PrivateMessage {
            from_id: 2,
            from_name: "Ann".into(),
            content: "psst".into(),
            timestamp: 6,
            id: None,
        })
        .notify
        .unwrap();
    assert_eq!(
        (private.title.as_str(), private.elsewhere),
        ("Ann (private)", true)
    );
}

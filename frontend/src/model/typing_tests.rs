//! Typing lines as the model keeps them.

use super::*;

fn typing(id: UserId, name: &str, at: i64) -> ServerMessage {
    ServerMessage::Typing {
        room: "general".into(),
        user_id: id,
        user_name: name.into(),
        timestamp: at,
    }
}

#[test]
fn typing_lines_name_one_two_or_several_and_lapse_or_clear() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    assert_eq!(chat.typing_line(10), None);
    chat.apply(typing(2, "Ann", 10));
    assert_eq!(chat.typing_line(11).as_deref(), Some("Ann is typing…"));
    chat.apply(typing(3, "Bob", 11));
    assert_eq!(
        chat.typing_line(12).as_deref(),
        Some("Ann and Bob are typing…")
    );
    chat.apply(typing(4, "Cy", 12));
    assert_eq!(
        chat.typing_line(13).as_deref(),
        Some("Several people are typing…")
    );
    assert_eq!(
        chat.typing_line(16).as_deref(),
        Some("Bob and Cy are typing…"),
        "Ann's lapsed"
    );
    chat.apply(message(3, 1, "done", None));
    assert_eq!(
        chat.typing_line(17).as_deref(),
        Some("Cy is typing…"),
        "Bob posted"
    );
    chat.apply(ServerMessage::Leave {
        from_id: 0,
        from_name: "System".into(),
        content: presence(4, "Cy"),
        timestamp: 17,
        room: None,
    });
    assert_eq!(chat.typing_line(16), None, "Cy left");
}

#[test]
fn we_say_typing_at_most_every_three_seconds_and_again_after_sending() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    let said = ClientMessage::Typing {
        room: Some("general".into()),
    };
    assert_eq!(chat.typing_now(1_000), Some(said.clone()));
    assert_eq!(chat.typing_now(2_000), None);
    assert_eq!(chat.typing_now(4_000), Some(said.clone()));
    chat.typing_done();
    assert_eq!(chat.typing_now(4_100), Some(said));
    chat.private_to = Some((2, "Ann".into()));
    chat.typing_done();
    assert_eq!(chat.typing_now(9_000), None, "not for private messages");
}

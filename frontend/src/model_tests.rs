use super::*;
use confab_shared::server::{NameChanged, Presence, Stats, UserRenamed, Welcome};

fn welcome(id: UserId, name: &str) -> ServerMessage {
    ServerMessage::Welcome {
        content: Welcome {
            user_id: id,
            user_name: name.into(),
            message: "Welcome to the chat room!".into(),
            server_stats: Stats {
                users_online: 1,
                uptime_seconds: 0,
                server_time: String::new(),
            },
        },
        timestamp: 1,
    }
}

fn user(id: UserId, name: &str) -> UserInfo {
    UserInfo {
        id,
        name: name.into(),
        connected_at: 1,
    }
}

fn presence(id: UserId, name: &str) -> Presence {
    Presence {
        user_id: id,
        user_name: name.into(),
        users_online: 0,
    }
}

fn message(from_id: UserId, content: &str, txn_id: Option<&str>) -> ServerMessage {
    ServerMessage::Message {
        from_id,
        from_name: format!("User{from_id}"),
        content: content.into(),
        timestamp: 5,
        txn_id: txn_id.map(Into::into),
    }
}

fn joined(chat: &mut Chat) {
    chat.apply(welcome(1, "User1"));
    chat.apply(ServerMessage::Users {
        content: vec![user(1, "User1")],
        timestamp: 1,
    });
}

#[test]
fn the_online_list_follows_join_leave_and_rename() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::Join {
        from_id: 2,
        from_name: "User2".into(),
        content: presence(2, "User2"),
        timestamp: 2,
    });
    chat.apply(ServerMessage::UserRenamed {
        from_id: 2,
        from_name: "Bo".into(),
        content: UserRenamed {
            user_id: 2,
            old_name: "User2".into(),
            new_name: "Bo".into(),
        },
        timestamp: 3,
    });
    assert_eq!(
        chat.users
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["User1", "Bo"]
    );
    chat.apply(ServerMessage::Leave {
        from_id: 0,
        from_name: "System".into(),
        content: presence(2, "Bo"),
        timestamp: 4,
    });
    assert_eq!(chat.users.len(), 1);
    assert_eq!(chat.entries.back().unwrap().text, "Bo left");
}

#[test]
fn own_message_shows_once_pending_then_confirmed_by_its_echo() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.add_pending("hi".into(), "t1".into(), 4);
    assert!(matches!(
        chat.entries.back().unwrap().delivery,
        Delivery::Pending { .. }
    ));
    let before = chat.entries.len();
    assert_eq!(chat.apply(message(1, "hi", Some("t1"))), Applied::Nothing);
    assert_eq!(
        chat.entries.len(),
        before,
        "the echo confirms in place, no second line"
    );
    assert_eq!(chat.entries.back().unwrap().delivery, Delivery::Sent);
}

#[test]
fn own_messages_without_txn_id_still_show_once() {
    // Sent from another tab or by websocat under the same id: shown when echoed.
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(message(1, "from elsewhere", None));
    assert!(matches!(
        &chat.entries.back().unwrap().kind,
        EntryKind::Public { own: true, .. }
    ));
}

#[test]
fn lost_connection_fails_pending_messages_and_retry_resends_them() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.add_pending("hi".into(), "t1".into(), 4);
    chat.connection_lost();
    let key = chat.entries.back().unwrap().key;
    assert_eq!(
        chat.entries.back().unwrap().delivery,
        Delivery::Failed {
            txn_id: "t1".into()
        }
    );
    assert_eq!(chat.retry(key), Some(("hi".into(), "t1".into())));
    assert_eq!(chat.retry(key), None, "only failed messages can be retried");
    // A late echo of a failed message confirms it instead of doubling it.
    chat.fail("t1");
    chat.apply(message(1, "hi", Some("t1")));
    assert_eq!(chat.entries.iter().filter(|e| e.text == "hi").count(), 1);
}

#[test]
fn messages_from_others_count_as_incoming() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    assert_eq!(chat.apply(message(2, "yo", None)), Applied::Incoming);
    assert_eq!(chat.apply(message(1, "mine", None)), Applied::Nothing);
}

#[test]
fn the_chosen_name_is_restored_after_a_reconnect() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::NameChanged {
        content: NameChanged {
            old_name: "User1".into(),
            new_name: "Ann".into(),
        },
        timestamp: 2,
    });
    chat.connection_lost();
    assert_eq!(
        chat.apply(welcome(7, "User7")),
        Applied::Welcomed {
            restore_name: Some("Ann".into())
        }
    );
    assert_eq!(
        chat.apply(welcome(8, "Ann")),
        Applied::Welcomed { restore_name: None }
    );
}

#[test]
fn name_errors_are_kept_for_the_name_field() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::error(
        "Invalid name (1-20 characters required)",
        3,
    ));
    assert_eq!(
        chat.name_error.as_deref(),
        Some("Invalid name (1-20 characters required)")
    );
}

#[test]
fn private_mode_ends_when_the_target_leaves() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.private_to = Some((2, "Bo".into()));
    chat.apply(ServerMessage::Leave {
        from_id: 0,
        from_name: "System".into(),
        content: presence(2, "Bo"),
        timestamp: 4,
    });
    assert_eq!(chat.private_to, None);
}

#[test]
fn history_is_bounded() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    for i in 0..MAX_ENTRIES + 50 {
        chat.apply(message(2, &i.to_string(), None));
    }
    assert_eq!(chat.entries.len(), MAX_ENTRIES);
    assert_eq!(
        chat.entries.back().unwrap().text,
        (MAX_ENTRIES + 49).to_string()
    );
}

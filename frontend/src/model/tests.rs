use super::*;
use confab_shared::ErrorCode;
use confab_shared::server::ServerMessage;
use confab_shared::server::{ErrorBody, HistoryItem, MessageKind};
use confab_shared::server::{
    History, NameChanged, Presence, RoomJoined, Stats, UserInfo, UserRenamed, Welcome,
};

fn welcome(id: UserId, name: &str, resumed: bool) -> ServerMessage {
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
            resume_token: Some("tok".into()),
            resumed,
            account: None,
        },
        timestamp: 1,
    }
}

fn user(id: UserId, name: &str) -> UserInfo {
    UserInfo {
        id,
        name: name.into(),
        connected_at: 1,
        role: None,
    }
}

fn presence(id: UserId, name: &str) -> Presence {
    Presence {
        user_id: id,
        user_name: name.into(),
        users_online: 0,
        role: None,
    }
}

fn message(from_id: UserId, id: MessageId, content: &str, txn_id: Option<&str>) -> ServerMessage {
    ServerMessage::Message {
        from_id,
        from_name: format!("User{from_id}"),
        content: content.into(),
        timestamp: 5,
        txn_id: txn_id.map(Into::into),
        id: Some(id),
        room: Some("general".into()),
        reply_to: None,
        attachments: Vec::new(),
    }
}

fn item(id: MessageId, content: &str) -> HistoryItem {
    HistoryItem {
        kind: MessageKind::Message,
        id,
        room: "general".into(),
        from_id: 2,
        from_name: "User2".into(),
        content: content.into(),
        timestamp: 1,
        deleted: false,
        edited_at: None,
        rev: None,
        reply_to: None,
        attachments: Vec::new(),
        reactions: vec![],
    }
}

fn history(items: Vec<HistoryItem>) -> ServerMessage {
    ServerMessage::History {
        content: History {
            room: "general".into(),
            messages: items,
            truncated: false,
        },
        timestamp: 1,
    }
}

fn joined(chat: &mut Chat) {
    chat.apply(welcome(1, "User1", false));
    chat.apply(ServerMessage::Users {
        content: vec![user(1, "User1")],
        timestamp: 1,
        room: None,
        total: None,
    });
    chat.apply(reads("general", Some(0), &[]));
}

fn reads(
    room: &str,
    read_up_to: Option<MessageId>,
    markers: &[(UserId, MessageId)],
) -> ServerMessage {
    ServerMessage::Reads {
        content: confab_shared::server::RoomReads {
            room: room.into(),
            read_up_to,
            markers: markers
                .iter()
                .map(|&(user_id, id)| confab_shared::server::ReadMarker { user_id, id })
                .collect(),
        },
        timestamp: 1,
    }
}

fn texts(chat: &Chat) -> Vec<String> {
    chat.timeline()
        .entries
        .iter()
        .filter(|e| e.id.is_some())
        .map(|e| e.text.clone())
        .collect()
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
        room: None,
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
    let names = |c: &Chat| {
        c.timeline()
            .members
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&chat), ["User1", "Bo"]);
    chat.apply(ServerMessage::Leave {
        from_id: 0,
        from_name: "System".into(),
        content: presence(2, "Bo"),
        timestamp: 4,
        room: None,
    });
    assert_eq!(names(&chat), ["User1"]);
    assert_eq!(chat.timeline().entries.last().unwrap().text, "Bo left");
}

#[test]
fn own_message_shows_once_pending_then_confirmed_by_its_echo() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.add_pending("hi".into(), Vec::new(), "t1".into(), 4);
    assert!(matches!(
        chat.timeline().entries.last().unwrap().delivery,
        Delivery::Pending { .. }
    ));
    let before = chat.timeline().entries.len();
    chat.apply(message(1, 7, "hi", Some("t1")));
    assert_eq!(
        chat.timeline().entries.len(),
        before,
        "confirmed in place, no second line"
    );
    let last = chat.timeline().entries.last().unwrap();
    assert_eq!((last.delivery.clone(), last.id), (Delivery::Sent, Some(7)));
    // A second echo (a resend acknowledged again) changes nothing.
    chat.apply(message(1, 7, "hi", Some("t1")));
    assert_eq!(texts(&chat), ["hi"]);
}

#[test]
fn history_catch_up_and_live_messages_merge_by_id_without_duplicates() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history(vec![item(1, "a"), item(2, "b")]));
    chat.apply(message(2, 4, "d", None)); // live, while the catch-up is in flight
    chat.apply(history(vec![item(3, "c"), item(4, "d")]));
    chat.apply(message(2, 5, "e", None));
    assert_eq!(texts(&chat), ["a", "b", "c", "d", "e"]);
}

#[test]
fn after_a_reconnect_the_client_renames_rejoins_catches_up_and_resends() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::NameChanged {
        content: NameChanged {
            old_name: "User1".into(),
            new_name: "Ann".into(),
        },
        timestamp: 2,
    });
    chat.open_room("random");
    chat.apply(ServerMessage::RoomJoined {
        content: RoomJoined {
            room: "random".into(),
            users: vec![user(1, "Ann")],
            history: vec![],
            total_users: None,
            read_only: false,
        },
        timestamp: 2,
    });
    assert_eq!(chat.current, "random");
    chat.open_room("general");
    chat.apply(message(2, 9, "seen", None));
    chat.add_pending("unacked".into(), Vec::new(), "t5".into(), 3);
    chat.connection_lost(4);

    // A fresh session (the server restarted): everything is asked for again.
    let applied = chat.apply(welcome(8, "User8", false));
    assert!(applied.welcomed);
    let send = applied.send;
    assert!(send.contains(&ClientMessage::SetName { name: "Ann".into() }));
    assert!(send.contains(&ClientMessage::JoinRoom {
        room: "random".into()
    }));
    assert!(send.contains(&ClientMessage::GetHistory {
        room: "general".into(),
        before_id: None,
        after_id: Some(9),
        limit: Some(100)
    }));
    assert!(send.contains(&ClientMessage::Message {
        content: "unacked".into(),
        txn_id: Some("t5".into()),
        room: Some("general".into()),
        reply_to: None,
        attachments: Vec::new(),
    }));

    // A resumed session keeps its name and rooms: only catch up and resend.
    let send = chat.apply(welcome(8, "Ann", true)).send;
    assert!(!send.iter().any(|m| matches!(
        m,
        ClientMessage::SetName { .. } | ClientMessage::JoinRoom { .. }
    )));
    assert!(
        send.iter()
            .any(|m| matches!(m, ClientMessage::Message { .. }))
    );
}

#[test]
fn a_full_catch_up_page_asks_for_the_next() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history(vec![item(1, "first")]));
    let page: Vec<_> = (2..=101).map(|i| item(i, "x")).collect();
    let send = chat.apply(history(page)).send;
    assert_eq!(
        send,
        [ClientMessage::GetHistory {
            room: "general".into(),
            before_id: None,
            after_id: Some(101),
            limit: Some(100)
        }]
    );
}

#[test]
fn scrollback_asks_for_older_pages_until_the_first_message() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history((150..=249).map(|i| item(i, "x")).collect()));
    let older = chat.request_older();
    assert_eq!(
        older,
        Some(ClientMessage::GetHistory {
            room: "general".into(),
            before_id: Some(150),
            after_id: None,
            limit: Some(100)
        })
    );
    assert_eq!(chat.request_older(), None, "one request at a time");
    chat.apply(history((50..150).map(|i| item(i, "x")).collect()));
    assert!(chat.request_older().is_some());
    chat.apply(history((1..50).map(|i| item(i, "x")).collect()));
    assert_eq!(chat.request_older(), None, "nothing older than message 1");
    assert_eq!(chat.timeline().first_id(), Some(1));
}

#[test]
fn refused_messages_are_marked_and_retry_resends_them() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.add_pending("hi".into(), Vec::new(), "t1".into(), 4);
    chat.apply(ServerMessage::Error {
        content: ErrorBody {
            message: "Message not saved (storage error); please retry".into(),
            code: Some(ErrorCode::StorageError),
            txn_id: Some("t1".into()),
            until: None,
            seconds_left: None,
        },
        timestamp: 5,
    });
    let entry = chat
        .timeline()
        .entries
        .iter()
        .find(|e| e.text == "hi")
        .unwrap()
        .clone();
    assert_eq!(
        entry.delivery,
        Delivery::Failed {
            txn_id: "t1".into()
        }
    );
    assert_eq!(
        chat.retry(entry.key),
        Some(ClientMessage::Message {
            content: "hi".into(),
            txn_id: Some("t1".into()),
            room: Some("general".into()),
            reply_to: None,
            attachments: Vec::new(),
        })
    );
    assert_eq!(
        chat.retry(entry.key),
        None,
        "only failed messages can be retried"
    );
}

#[test]
fn messages_in_other_rooms_count_as_unread_there() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.open_room("random");
    chat.apply(ServerMessage::RoomJoined {
        content: RoomJoined {
            room: "random".into(),
            users: vec![],
            history: vec![],
            total_users: None,
            read_only: false,
        },
        timestamp: 2,
    });
    assert_eq!(chat.current, "random");
    assert!(chat.apply(message(2, 3, "over in general", None)).incoming);
    assert_eq!(chat.rooms["general"].unread(), 1);
    chat.open_room("general");
    assert_eq!(
        chat.read_current(),
        Some(ClientMessage::Read {
            room: "general".into(),
            id: 3
        }),
        "shown at the bottom: read"
    );
    assert_eq!(chat.rooms["general"].unread(), 0);
}

#[test]
fn name_errors_are_kept_for_the_name_field() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::error(
        ErrorCode::InvalidName,
        "Invalid name (1-20 characters required)",
        3,
    ));
    assert_eq!(
        chat.name_error.as_deref(),
        Some("Invalid name (1-20 characters required)")
    );
    chat.apply(ServerMessage::error(
        ErrorCode::NameTaken,
        "Name already in use: Ann",
        4,
    ));
    assert_eq!(chat.name_error.as_deref(), Some("Name already in use: Ann"));
}

#[test]
fn any_refusal_of_a_room_ends_the_wait_for_it() {
    for code in [
        ErrorCode::TooManyRooms,
        ErrorCode::RateLimited,
        ErrorCode::RoomExists,
    ] {
        let mut chat = Chat::new(None);
        joined(&mut chat);
        chat.open_room("books");
        assert!(chat.opening.is_some());
        chat.apply(ServerMessage::error(code, "refused", 3));
        assert_eq!(chat.opening, None, "{code:?}");
    }
}

#[test]
fn a_truncated_catch_up_page_asks_for_the_rest() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(history(vec![item(1, "one")]));
    let page = ServerMessage::History {
        content: History {
            room: "general".into(),
            messages: vec![item(2, "two")],
            truncated: true,
        },
        timestamp: 1,
    };
    let more = chat.apply(page).send;
    assert!(
        more.iter().any(|m| matches!(
            m,
            ClientMessage::GetHistory {
                after_id: Some(2),
                ..
            }
        )),
        "{more:?}"
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
        room: None,
    });
    assert_eq!(chat.private_to, None);
}

#[test]
fn timelines_are_bounded() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    for i in 1..=(timeline::MAX_ENTRIES as u64 + 50) {
        chat.apply(message(2, i, &i.to_string(), None));
    }
    assert!(chat.timeline().entries.len() <= timeline::MAX_ENTRIES);
    assert_eq!(
        chat.timeline().entries.last().unwrap().text,
        (timeline::MAX_ENTRIES + 50).to_string()
    );
}

#[test]
fn a_confirmed_message_moves_to_its_place_in_the_server_order() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(message(2, 1, "before", None));
    chat.add_pending("typed offline".into(), Vec::new(), "t1".into(), 4);
    // Catching up brings what others said meanwhile, then our message is stored after them.
    chat.apply(history(vec![item(2, "missed")]));
    chat.apply(message(1, 3, "typed offline", Some("t1")));
    assert_eq!(texts(&chat), ["before", "missed", "typed offline"]);
}

/// The server's answer to a `get_history` over `all` stored ids 1..=all.
fn page_for(request: &ClientMessage, all: MessageId) -> ServerMessage {
    let ClientMessage::GetHistory {
        before_id,
        after_id,
        ..
    } = request
    else {
        panic!("expected get_history, got {request:?}");
    };
    let ids: Vec<MessageId> = match (before_id, after_id) {
        (Some(before), _) => (before.saturating_sub(100).max(1)..*before).collect(),
        (None, Some(after)) => (after + 1..=(after + 100).min(all)).collect(),
        (None, None) => (all.saturating_sub(99).max(1)..=all).collect(),
    };
    history(
        ids.into_iter()
            .map(|id| item(id, &format!("m{id}")))
            .collect(),
    )
}

#[test]
fn a_visitor_scrolls_back_to_the_first_of_1500_messages_and_down_again() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(page_for(&history_request(None, None), 1500));
    let mut pages = 0;
    while let Some(older) = chat.request_older() {
        chat.apply(page_for(&older, 1500));
        pages += 1;
        assert!(pages < 30, "scrollback never reaches the first message");
    }
    let timeline = chat.timeline();
    assert_eq!(timeline.first_id(), Some(1));
    assert!(timeline.entries.len() <= timeline::MAX_ENTRIES);
    assert!(
        timeline.more_after,
        "the newest were trimmed, not the page just loaded"
    );
    // A live message while scrolled back would open a gap: it waits.
    chat.apply(message(2, 1501, "live", None));
    assert!(!chat.timeline().entries.iter().any(|e| e.id == Some(1501)));
    // Back down: newer pages until the end, then live messages flow again.
    let mut pages = 0;
    while let Some(newer) = chat.request_newer() {
        let mut next = Some(newer);
        while let Some(request) = next.take() {
            next = chat.apply(page_for(&request, 1501)).send.into_iter().next();
        }
        pages += 1;
        assert!(pages < 30, "never got back to the newest");
    }
    assert_eq!(chat.timeline().last_id(), Some(1501));
    assert!(!chat.timeline().more_after);
    chat.apply(message(2, 1502, "live again", None));
    assert_eq!(chat.timeline().last_id(), Some(1502));
}

fn history_request(before_id: Option<MessageId>, after_id: Option<MessageId>) -> ClientMessage {
    ClientMessage::GetHistory {
        room: "general".into(),
        before_id,
        after_id,
        limit: Some(100),
    }
}

#[test]
fn a_signed_in_user_keeps_the_account_name_and_forgets_the_guest_session() {
    let mut chat = Chat::new(Some("Guesty".into()));
    chat.apply(welcome(3, "User3", false));
    assert!(!chat.me.as_ref().unwrap().signed_in);
    chat.identity_changed();
    assert_eq!(
        chat.resume_token, None,
        "the next connection must not resume the guest"
    );

    let mut signed_in = welcome(7, "Ann", false);
    if let ServerMessage::Welcome { content, .. } = &mut signed_in {
        content.account = Some(confab_shared::server::AccountInfo {
            username: "Ann".into(),
            role: confab_shared::api::Role::Member,
        });
    }
    let send = chat.apply(signed_in).send;
    assert!(chat.me.as_ref().unwrap().signed_in);
    assert!(
        !send
            .iter()
            .any(|m| matches!(m, ClientMessage::SetName { .. })),
        "the guest's chosen name is not asked for: {send:?}"
    );
}

#[test]
fn a_server_without_guests_asks_for_sign_in() {
    let mut chat = Chat::new(None);
    chat.apply(ServerMessage::error(
        ErrorCode::SignInRequired,
        "Sign in to chat",
        1,
    ));
    assert!(chat.sign_in_required);
    chat.apply(welcome(7, "Ann", false));
    assert!(!chat.sign_in_required);
}

#[test]
fn after_signing_in_the_accounts_earlier_messages_are_ones_own() {
    let mut chat = Chat::new(None);
    chat.apply(welcome(3, "User3", false));
    chat.apply(message(7, 1, "said from my other device", None));
    let own = |chat: &Chat| {
        chat.timeline()
            .entries
            .iter()
            .find_map(|e| match &e.kind {
                EntryKind::Public { own, .. } => Some((*own, e.key)),
                _ => None,
            })
            .unwrap()
    };
    let (before, old_key) = own(&chat);
    assert!(!before);
    chat.identity_changed();
    chat.apply(welcome(7, "Ann", false));
    let (after, new_key) = own(&chat);
    assert!(after, "user 7's line is ours now");
    assert_ne!(old_key, new_key, "redrawn");
}

fn signed_in_welcome(id: UserId, name: &str) -> ServerMessage {
    let mut frame = welcome(id, name, false);
    if let ServerMessage::Welcome { content, .. } = &mut frame {
        content.account = Some(confab_shared::server::AccountInfo {
            username: name.into(),
            role: confab_shared::api::Role::Member,
        });
    }
    frame
}

/// A stored `private_message` from `from` (always addressed to whoever gets it).
fn stored_private(id: MessageId, from: UserId, text: &str) -> ServerMessage {
    ServerMessage::PrivateMessage {
        from_id: from,
        from_name: format!("User{from}"),
        content: text.into(),
        timestamp: 9,
        id: Some(id),
    }
}

#[test]
fn stored_private_messages_are_listed_with_unread_counts_until_read() {
    let mut chat = Chat::new(None);
    let send = chat.apply(signed_in_welcome(7, "Ann")).send;
    assert!(send.contains(&ClientMessage::GetConversations {}));

    chat.apply(stored_private(1, 8, "are you there?"));
    chat.apply(stored_private(2, 8, "ping"));
    assert_eq!(chat.conversations.len(), 1);
    assert_eq!(chat.conversations[0].unread, 2);
    assert_eq!(chat.conversations[0].last.content, "ping");

    let ask = chat.open_conversation(8, "User8".into());
    assert_eq!(
        ask,
        [ClientMessage::GetPrivateHistory {
            with_id: 8,
            before_id: None,
            limit: None
        }]
    );
    let item = |id, content: &str| confab_shared::server::PrivateItem {
        id,
        from_id: 8,
        from_name: "User8".into(),
        to_id: 7,
        content: content.into(),
        timestamp: 9,
    };
    let page = ServerMessage::PrivateHistory {
        content: confab_shared::server::PrivateHistory {
            with_id: 8,
            messages: vec![item(1, "are you there?"), item(2, "ping")],
        },
        timestamp: 9,
    };
    let send = chat.apply(page).send;
    assert_eq!(send, [ClientMessage::MarkRead { with_id: 8, id: 2 }]);
    assert_eq!(chat.conversations[0].unread, 0);
    let open = chat.conversation.as_ref().unwrap();
    assert_eq!(
        open.messages.iter().map(|m| m.id).collect::<Vec<_>>(),
        [1, 2]
    );

    // While it is open, a new message is read at once and shown once.
    let send = chat.apply(stored_private(3, 8, "there you are")).send;
    assert_eq!(send, [ClientMessage::MarkRead { with_id: 8, id: 3 }]);
    chat.apply(stored_private(3, 8, "there you are"));
    assert_eq!(chat.conversation.as_ref().unwrap().messages.len(), 3);
    assert_eq!(chat.conversations[0].unread, 0);
}

#[path = "moderation_tests.rs"]
mod moderation;

#[path = "typing_tests.rs"]
mod typing;

#[path = "reads_tests.rs"]
mod reads;

#[path = "edits_tests.rs"]
mod edits;

#[path = "replies_tests.rs"]
mod replies;

#[path = "search_tests.rs"]
mod search;

#[path = "mentions_tests.rs"]
mod mentions;

#[path = "emoji_tests.rs"]
mod emoji;

#[path = "outbox_tests.rs"]
mod outbox;

#[path = "kept_tests.rs"]
mod kept;

//! Messages kept across a closed tab.
use super::*;
use crate::model::outbox::MAX_OUTBOX;

#[test]
fn what_waits_for_its_echo_is_kept_and_what_was_stored_or_refused_is_not() {
    let mut chat = Chat::new(None);
    chat.apply(welcome(1, "Ann", false));
    chat.add_pending("first".into(), Vec::new(), "t1".into(), 4);
    chat.add_pending("second".into(), Vec::new(), "t2".into(), 5);
    chat.add_pending("refused".into(), Vec::new(), "t3".into(), 6);
    chat.fail("t3");
    let kept: Vec<_> = chat.outbox().into_iter().map(|o| o.txn_id).collect();
    assert_eq!(kept, ["t1", "t2"]);
    chat.apply(message(1, 1, "first", Some("t1")));
    let kept: Vec<_> = chat.outbox().into_iter().map(|o| o.txn_id).collect();
    assert_eq!(kept, ["t2"]);
}

#[test]
fn kept_messages_are_sent_once_each_after_the_next_welcome_in_their_rooms() {
    let mut before = Chat::new(None);
    before.apply(welcome(1, "Ann", false));
    before.add_pending("in general".into(), Vec::new(), "t1".into(), 4);
    let mut kept = before.outbox();
    kept.push(Outgoing {
        room: "random".into(),
        txn_id: "t2".into(),
        content: "in random".into(),
        reply_to: None,
        attachments: Vec::new(),
        time: 5,
    });

    // The tab was closed; a new one opens.
    let mut chat = Chat::new(None);
    chat.restore_outbox(kept.clone());
    chat.restore_outbox(kept);
    let send = chat.apply(welcome(1, "Ann", false)).send;
    let join = send
        .iter()
        .position(|f| matches!(f, ClientMessage::JoinRoom { room } if room == "random"));
    let resent: Vec<_> = (send.iter().enumerate())
        .filter_map(|(at, f)| match f {
            ClientMessage::Message {
                txn_id: Some(t),
                room: Some(r),
                ..
            } => Some((at, t.as_str(), r.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        resent.iter().map(|(_, t, r)| (*t, *r)).collect::<Vec<_>>(),
        [("t1", "general"), ("t2", "random")],
        "each once, in its room"
    );
    assert!(
        join.is_some_and(|j| j < resent[1].0),
        "the room is joined first"
    );
    // Ours, though put back before we knew who we are; the echo says who.
    let waiting = |chat: &Chat| {
        chat.timeline()
            .entries
            .iter()
            .find(|e| e.text == "in general")
            .cloned()
    };
    assert!(waiting(&chat).is_some_and(|e| e.is_own_public()));
    chat.apply(message(1, 5, "in general", Some("t1")));
    let stored = waiting(&chat).unwrap();
    assert_eq!(stored.delivery, Delivery::Sent);
    assert!(
        matches!(
            stored.kind,
            EntryKind::Public {
                from_id: 1,
                own: true,
                ..
            }
        ),
        "{stored:?}"
    );
}

#[test]
fn the_outbox_is_bounded() {
    let mut chat = Chat::new(None);
    chat.apply(welcome(1, "Ann", false));
    for n in 0..MAX_OUTBOX + 5 {
        chat.add_pending(format!("m{n}"), Vec::new(), format!("t{n}"), n as i64);
    }
    let kept = chat.outbox();
    assert_eq!(kept.len(), MAX_OUTBOX);
    assert_eq!(kept[0].txn_id, "t5", "the newest are kept");
}

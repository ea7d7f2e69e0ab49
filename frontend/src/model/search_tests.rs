//! Search as the model keeps it, and jumping to a result.

use super::*;
use crate::model::{excerpt, highlight};
use confab_shared::search::SearchResults;

fn results(query: &str, room: Option<&str>, ids: &[MessageId]) -> ServerMessage {
    ServerMessage::SearchResults {
        content: SearchResults {
            query: query.into(),
            room: room.map(Into::into),
            messages: ids.iter().map(|id| item(*id, &format!("m{id}"))).collect(),
            truncated: false,
        },
        timestamp: 1,
    }
}

#[test]
fn only_the_answer_to_the_latest_query_is_shown() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    assert_eq!(chat.search("   ", None), None, "nothing to ask");
    assert!(chat.search.problem.is_some());
    let frame = chat.search(" lunch ", Some("general".into()));
    assert_eq!(
        frame,
        Some(ClientMessage::Search {
            query: "lunch".into(),
            room: Some("general".into())
        })
    );
    assert!(chat.search.pending && chat.search.problem.is_none());
    chat.search("dinner", None);
    chat.apply(results("lunch", Some("general"), &[4]));
    assert!(chat.search.pending, "an older query's answer is dropped");
    chat.apply(results("dinner", None, &[7, 3]));
    assert!(!chat.search.pending);
    let ids: Vec<_> = chat.search.results.iter().map(|m| m.id).collect();
    assert_eq!(ids, [7, 3]);
}

#[test]
fn jumping_to_a_held_message_just_shows_it() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(page_for(&history_request(None, None), 150));
    assert_eq!(chat.jump_to("general", 120), None);
    assert_eq!(chat.jump_target(), Some(("general".into(), 120)));
    chat.jump_done();
    assert_eq!(chat.jump_target(), None);
}

#[test]
fn jumping_far_back_fetches_the_pages_around_it_and_live_messages_wait() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(page_for(&history_request(None, None), 5000));
    let older = chat.jump_to("general", 1234).expect("fetches the page");
    assert_eq!(older, history_request(Some(1235), None));
    assert_eq!(chat.jump_target(), None, "not held yet");
    let newer = chat.apply(page_for(&older, 5000)).send;
    assert_eq!(newer, [history_request(None, Some(1234))]);
    // A live message meanwhile would open a gap: it waits.
    chat.apply(message(2, 5001, "live", None));
    let sent = chat.apply(page_for(&newer[0], 5001)).send;
    assert!(
        sent.is_empty(),
        "no chain of pages down to the newest: {sent:?}"
    );
    let timeline = chat.timeline();
    assert_eq!(timeline.first_id(), Some(1135));
    assert_eq!(timeline.last_id(), Some(1334));
    assert!(timeline.holds(1234) && !timeline.holds(5001));
    assert!(timeline.more_after && !timeline.loading_newer);
    assert_eq!(chat.jump_target(), Some(("general".into(), 1234)));
    chat.jump_done();
    // Scrolling down brings the rest, then live messages flow again.
    let mut pages = 0;
    while let Some(newer) = chat.request_newer() {
        let mut next = Some(newer);
        while let Some(request) = next.take() {
            next = chat.apply(page_for(&request, 5001)).send.into_iter().next();
        }
        pages += 1;
        assert!(pages < 60, "never got back to the newest");
    }
    assert_eq!(chat.timeline().last_id(), Some(5001));
    chat.apply(message(2, 5002, "live again", None));
    assert_eq!(chat.timeline().last_id(), Some(5002));
}

#[test]
fn a_jump_near_the_newest_ends_at_the_newest() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(page_for(&history_request(Some(100), None), 300));
    let older = chat.jump_to("general", 290).unwrap();
    let newer = chat.apply(page_for(&older, 300)).send;
    chat.apply(page_for(&newer[0], 300));
    assert!(!chat.timeline().more_after, "the newer page was not full");
    chat.apply(message(2, 301, "live", None));
    assert_eq!(chat.timeline().last_id(), Some(301));
}

#[test]
fn results_mark_the_words_found_and_long_texts_are_cut_around_them() {
    let terms = vec!["rust".to_owned(), "天气".to_owned()];
    assert_eq!(
        highlight("I like Rust, 天气 too", &terms),
        [
            ("I like ".to_owned(), false),
            ("Rust".to_owned(), true),
            (", ".to_owned(), false),
            ("天气".to_owned(), true),
            (" too".to_owned(), false),
        ]
    );
    let long = format!("{} rust {}", "a".repeat(300), "b".repeat(300));
    let cut = excerpt(&long, &terms, 100);
    assert!(
        cut.starts_with('…') && cut.ends_with('…') && cut.contains("rust"),
        "{cut}"
    );
    assert_eq!(cut.chars().count(), 102);
    assert_eq!(excerpt("short", &terms, 100), "short");
}

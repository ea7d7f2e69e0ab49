//! Rooms, durable history, and nothing lost or doubled across reconnects and crashes.

mod support;
use serde_json::Value;
use support::{Client, Server};

/// Message ids and contents from a `history` frame.
fn items(history: &Value) -> Vec<(u64, String)> {
    history["content"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_u64().unwrap(),
                m["content"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Sends `text` with `txn_id` and waits for its acknowledgement (the echo); returns its id.
async fn send_acked(client: &mut Client, text: &str, txn_id: &str) -> u64 {
    client
        .send(&format!(
            r#"{{"type":"message","content":"{text}","txn_id":"{txn_id}"}}"#
        ))
        .await;
    loop {
        let frame = client.expect("message").await;
        if frame["txn_id"] == txn_id {
            return frame["id"].as_u64().unwrap();
        }
    }
}

#[tokio::test]
async fn a_dropped_client_resumes_and_catches_up_without_gap_or_duplicate() {
    let server = Server::start(&[
        "--resume-grace",
        "30",
        "--rate-per-sec",
        "1000",
        "--rate-burst",
        "1000",
    ]);
    let mut talker = server.join().await;
    let mut phone = server.join().await;
    talker.expect("join").await;
    let mut seen: Vec<(u64, String)> = Vec::new();
    for i in 0..5 {
        send_acked(&mut talker, &format!("before {i}"), &format!("a{i}")).await;
        let m = phone.expect("message").await;
        seen.push((
            m["id"].as_u64().unwrap(),
            m["content"].as_str().unwrap().to_owned(),
        ));
    }
    // The phone's TCP connection vanishes (no close frame) while talk goes on.
    let token = phone.token.clone();
    drop(phone);
    for i in 0..20 {
        send_acked(&mut talker, &format!("during {i}"), &format!("b{i}")).await;
    }
    let mut phone = server.resume(&token).await;
    let welcome = phone.expect("welcome").await;
    assert_eq!(welcome["content"]["resumed"], true);
    let last_seen = seen.last().unwrap().0;
    phone
        .send(&format!(
            r#"{{"type":"get_history","room":"general","after_id":{last_seen}}}"#
        ))
        .await;
    // The greeting's own history comes first; the answer to our request is the second.
    phone.expect("history").await;
    let catch_up = phone.expect("history").await;
    seen.extend(items(&catch_up));
    for i in 0..5 {
        send_acked(&mut talker, &format!("after {i}"), &format!("c{i}")).await;
        let m = phone.expect("message").await;
        seen.push((
            m["id"].as_u64().unwrap(),
            m["content"].as_str().unwrap().to_owned(),
        ));
    }
    let expected: Vec<String> = (0..5)
        .map(|i| format!("before {i}"))
        .chain((0..20).map(|i| format!("during {i}")))
        .chain((0..5).map(|i| format!("after {i}")))
        .collect();
    assert_eq!(
        seen.iter().map(|s| s.1.clone()).collect::<Vec<_>>(),
        expected
    );
    assert!(
        seen.windows(2).all(|w| w[0].0 < w[1].0),
        "ids strictly increase"
    );
    // No leave and join flap for the others.
    talker.send(r#"{"type":"get_stats"}"#).await;
    loop {
        let frame = talker.recv().await;
        assert_ne!(frame["type"], "leave");
        assert_ne!(frame["type"], "join");
        if frame["type"] == "stats" {
            break;
        }
    }
}

#[tokio::test]
async fn the_same_txn_id_sent_twice_is_stored_once() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let first = send_acked(&mut ann, "only once", "dup-1").await;
    let again = send_acked(&mut ann, "only once", "dup-1").await;
    assert_eq!(
        first, again,
        "the resend is acknowledged with the original id"
    );
    let mut bob = server.join().await;
    bob.send(r#"{"type":"get_history","room":"general"}"#).await;
    let history = bob.expect("history").await;
    assert_eq!(items(&history), [(first, "only once".to_string())]);
}

#[tokio::test]
async fn every_acknowledged_message_survives_kill_9() {
    let mut server = Server::start(&["--rate-per-sec", "10000", "--rate-burst", "10000"]);
    let mut ann = server.join().await;
    // Keep many sends in flight, so the kill lands mid-batch.
    let mut acked = Vec::new();
    for i in 0..300 {
        ann.send(&format!(
            r#"{{"type":"message","content":"m{i}","txn_id":"k{i}"}}"#
        ))
        .await;
    }
    while acked.len() < 100 {
        let m = ann.expect("message").await;
        acked.push((
            m["id"].as_u64().unwrap(),
            m["content"].as_str().unwrap().to_owned(),
        ));
    }
    server.kill9();
    // Whatever else was acknowledged before the kill arrived on the socket already.
    while let Some(Ok(frame)) = futures_util::StreamExt::next(&mut ann.ws).await {
        if let Ok(text) = frame.into_text()
            && let Ok(m) = serde_json::from_str::<Value>(text.as_str())
            && m["type"] == "message"
        {
            acked.push((
                m["id"].as_u64().unwrap(),
                m["content"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let db = server.release_db();
    let restarted = Server::start_with("127.0.0.1:0", &db, &[]);
    let mut bob = restarted.join().await;
    let mut stored = Vec::new();
    let mut after = 0;
    loop {
        bob.send(&format!(
            r#"{{"type":"get_history","room":"general","after_id":{after},"limit":100}}"#
        ))
        .await;
        let page = items(&bob.expect("history").await);
        if page.is_empty() {
            break;
        }
        after = page.last().unwrap().0;
        stored.extend(page);
    }
    for message in &acked {
        assert!(
            stored.contains(message),
            "acknowledged {message:?} was lost"
        );
    }
    assert!(stored.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(acked.len() >= 100);
}

#[tokio::test]
async fn rooms_are_listed_and_isolated() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.send(r#"{"type":"list_rooms"}"#).await;
    let rooms = ann.expect("rooms").await;
    let names: Vec<_> = rooms["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for seeded in ["general", "random", "gaming"] {
        assert!(names.contains(&seeded), "{names:?}");
    }
    ann.send(r#"{"type":"join_room","room":"gaming"}"#).await;
    let joined = ann.expect("room_joined").await;
    assert_eq!(joined["content"]["room"], "gaming");
    ann.send(r#"{"type":"message","content":"gg wp","room":"gaming","txn_id":"g1"}"#)
        .await;
    let echo = ann.expect("message").await;
    assert_eq!(
        (echo["room"].as_str(), echo["id"].as_u64()),
        (Some("gaming"), Some(1))
    );
    // Bob is not in gaming: the next message he sees is one in general.
    ann.send(r#"{"type":"message","content":"hello general"}"#)
        .await;
    let seen = bob.expect("message").await;
    assert_eq!(
        (seen["content"].as_str(), seen["room"].as_str()),
        (Some("hello general"), Some("general"))
    );
}

#[tokio::test]
async fn history_is_kept_across_a_clean_restart() {
    let mut first = Server::start(&[]);
    let mut ann = first.join().await;
    ann.send(r#"{"type":"create_room","room":"books"}"#).await;
    ann.expect("room_joined").await;
    send_acked(&mut ann, "in general", "r1").await;
    ann.send(r#"{"type":"message","content":"in books","room":"books","txn_id":"r2"}"#)
        .await;
    ann.expect("message").await;
    assert!(first.terminate().success());
    let db = first.release_db();
    let server = Server::start_with("127.0.0.1:0", &db, &[]);
    let mut bob = server.connect().await;
    bob.expect("welcome").await;
    bob.expect("users").await;
    let history = bob.expect("history").await;
    assert_eq!(
        items(&history)
            .iter()
            .map(|m| m.1.as_str())
            .collect::<Vec<_>>(),
        ["in general"]
    );
    bob.send(r#"{"type":"join_room","room":"books"}"#).await;
    let joined = bob.expect("room_joined").await;
    assert_eq!(joined["content"]["history"][0]["content"], "in books");
}

#[tokio::test]
async fn closing_with_4000_keeps_the_session_for_a_resume() {
    use tokio_tungstenite::tungstenite::protocol::{CloseFrame, frame::coding::CloseCode};
    let server = Server::start(&["--resume-grace", "30"]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.expect("join").await;
    let close = CloseFrame {
        code: CloseCode::from(confab_shared::CLOSE_WILL_RESUME),
        reason: "offline".into(),
    };
    bob.ws.close(Some(close)).await.unwrap();
    let mut again = server.resume(&bob.token).await;
    let welcome = again.expect("welcome").await;
    assert_eq!(
        (
            welcome["content"]["user_id"].as_u64(),
            welcome["content"]["resumed"].as_bool()
        ),
        (Some(bob.id), Some(true))
    );
    // Ann saw neither a leave nor a join, and Bob is still on her list.
    ann.send(r#"{"type":"get_users"}"#).await;
    let users = loop {
        let frame = ann.recv().await;
        assert!(
            frame["type"] != "leave" && frame["type"] != "join",
            "{frame}"
        );
        if frame["type"] == "users" {
            break frame;
        }
    };
    assert_eq!(users["content"].as_array().unwrap().len(), 2);
}

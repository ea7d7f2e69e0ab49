//! Search over real sockets and SQLite's FTS5 index: words in any order and case,
//! Chinese as well as English, FTS operators taken as text, edits and deletions
//! reflected, only the rooms one is in, newest first and at most 50.

mod support;

use serde_json::{Value, json};
use support::{Client, Server};

async fn search(client: &mut Client, request: Value) -> Vec<(String, String)> {
    client.send(&request.to_string()).await;
    let reply = client.expect("search_results").await;
    assert_eq!(reply["content"]["query"], request["query"]);
    reply["content"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let room = m["room"].as_str().unwrap().to_owned();
            (room, m["content"].as_str().unwrap().to_owned())
        })
        .collect()
}

async fn post(client: &mut Client, room: &str, content: &str) -> u64 {
    let frame = json!({"type": "message", "room": room, "content": content, "txn_id": content});
    client.send(&frame.to_string()).await;
    loop {
        let echo = client.expect("message").await;
        if echo["txn_id"] == content {
            return echo["id"].as_u64().unwrap();
        }
    }
}

fn found(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(r, c)| (r.to_string(), c.to_string()))
        .collect()
}

#[tokio::test]
async fn search_finds_words_in_the_rooms_you_are_in_newest_first() {
    let server = Server::start(&["--rate-per-sec", "1000", "--rate-burst", "1000"]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.send(r#"{"type":"join_room","room":"random"}"#).await;
    ann.expect("room_joined").await;
    bob.send(r#"{"type":"join_room","room":"gaming"}"#).await;
    bob.expect("room_joined").await;

    post(&mut ann, "general", "Nice WEATHER today").await;
    post(&mut ann, "general", "今天天气很好").await;
    let edited = post(&mut ann, "general", "lunch at noon?").await;
    let deleted = post(&mut ann, "general", "secret weather plans").await;
    post(&mut ann, "random", "weather in random").await;
    post(&mut bob, "gaming", "weather for gamers").await;
    post(&mut ann, "general", r#"cats AND dogs "quoted" NEAR(x)"#).await;

    // Any case, any order, newest first; not a room Ann is not in.
    let weather = search(&mut ann, json!({"type": "search", "query": "weather"})).await;
    assert_eq!(
        weather,
        found(&[
            ("random", "weather in random"),
            ("general", "secret weather plans"),
            ("general", "Nice WEATHER today"),
        ])
    );
    let both = json!({"type": "search", "query": "today nice"});
    assert_eq!(
        search(&mut ann, both).await,
        found(&[("general", "Nice WEATHER today")])
    );
    // Chinese: two characters (no index) and four (the trigram index).
    for query in ["天气", "今天天气"] {
        let chinese = json!({"type": "search", "query": query});
        assert_eq!(
            search(&mut ann, chinese).await,
            found(&[("general", "今天天气很好")])
        );
    }
    // FTS5 operators are text to look for, never a query language or an error.
    let operators = json!({"type": "search", "query": r#"AND "quoted" NEAR(x)"#});
    assert_eq!(
        search(&mut ann, operators).await,
        found(&[("general", r#"cats AND dogs "quoted" NEAR(x)"#)])
    );
    for query in [
        "\"",
        "NEAR(",
        "*",
        "content:cats",
        "cats OR",
        "(((",
        "-dogs",
    ] {
        let odd = json!({"type": "search", "query": query});
        ann.send(&odd.to_string()).await;
        assert_eq!(ann.recv().await["type"], "search_results", "{query}");
    }

    // One room only; a room not joined is refused.
    let random = json!({"type": "search", "query": "weather", "room": "random"});
    assert_eq!(
        search(&mut ann, random).await,
        found(&[("random", "weather in random")])
    );
    ann.send(r#"{"type":"search","query":"weather","room":"gaming"}"#)
        .await;
    assert_eq!(ann.expect("error").await["content"]["code"], "not_in_room");

    // An edit takes the old words out and puts the new ones in; a deletion
    // takes its words out.
    let edit = json!({"type": "edit_message", "room": "general", "id": edited, "content": "dinner at eight"});
    ann.send(&edit.to_string()).await;
    ann.expect("message_edited").await;
    let delete = json!({"type": "delete_message", "room": "general", "id": deleted});
    ann.send(&delete.to_string()).await;
    ann.expect("message_deleted").await;
    assert!(
        search(&mut ann, json!({"type": "search", "query": "lunch"}))
            .await
            .is_empty()
    );
    assert_eq!(
        search(&mut ann, json!({"type": "search", "query": "dinner"})).await,
        found(&[("general", "dinner at eight")])
    );
    assert!(
        search(&mut ann, json!({"type": "search", "query": "secret"}))
            .await
            .is_empty()
    );

    // Bad queries get a code, and the connection carries on.
    for query in [json!("   "), json!("x".repeat(201)), json!(5)] {
        ann.send(&json!({"type": "search", "query": query}).to_string())
            .await;
        assert_eq!(
            ann.expect("error").await["content"]["code"],
            "invalid_field"
        );
    }
    assert_eq!(
        search(&mut ann, json!({"type": "search", "query": "eight"}))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn search_returns_at_most_fifty_newest_first() {
    let server = Server::start(&["--rate-per-sec", "1000", "--rate-burst", "1000"]);
    let mut ann = server.join().await;
    for n in 0..60 {
        post(&mut ann, "general", &format!("report number {n}")).await;
    }
    let results = search(&mut ann, json!({"type": "search", "query": "report"})).await;
    assert_eq!(results.len(), 50);
    assert_eq!(results[0].1, "report number 59");
    assert_eq!(results[49].1, "report number 10");
}

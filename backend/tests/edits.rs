//! Editing messages over real sockets: the sender's own only, bad input gets a
//! code, and a client that was away (even across a restart) catches up on the
//! change with the messages it missed.

mod support;

use serde_json::Value;
use support::Server;

fn items(history: &Value) -> Vec<(u64, String, bool)> {
    history["content"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let edited = m["edited_at"].is_i64();
            (
                m["id"].as_u64().unwrap(),
                m["content"].as_str().unwrap().to_owned(),
                edited,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_sender_edits_its_message_and_a_late_catch_up_brings_the_change() {
    let mut server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.send(r#"{"type":"message","content":"teh first"}"#)
        .await;
    assert_eq!(ann.expect("message").await["id"], 1);
    bob.expect("message").await;
    ann.send(r#"{"type":"message","content":"second"}"#).await;
    ann.expect("message").await;

    for (frame, code) in [
        (
            r#"{"type":"edit_message","room":"general","id":1,"content":"bob was here"}"#,
            "forbidden",
        ),
        (
            r#"{"type":"edit_message","room":"general","id":99,"content":"x"}"#,
            "not_found",
        ),
        (
            r#"{"type":"edit_message","room":"general","id":1,"content":""}"#,
            "invalid_content",
        ),
        (
            r#"{"type":"edit_message","room":"nowhere","id":1,"content":"x"}"#,
            "not_found",
        ),
    ] {
        bob.send(frame).await;
        assert_eq!(
            bob.expect("error").await["content"]["code"],
            code,
            "{frame}"
        );
    }
    let huge = format!(
        r#"{{"type":"edit_message","room":"general","id":1,"content":"{}"}}"#,
        "x".repeat(20_000)
    );
    ann.send(&huge).await;
    assert_eq!(ann.expect("error").await["content"]["code"], "too_large");

    ann.send(r#"{"type":"edit_message","room":"general","id":1,"content":"the first"}"#)
        .await;
    let edit = bob.expect("message_edited").await;
    assert_eq!(
        (edit["id"].as_u64(), edit["content"].as_str()),
        (Some(1), Some("the first"))
    );
    let rev = edit["rev"].as_u64().unwrap();
    assert!(
        rev > 2,
        "the edit has its own place in the sequence: {edit}"
    );

    // Bob had everything up to 2: his catch-up brings the edited message.
    bob.send(r#"{"type":"get_history","room":"general","after_id":2}"#)
        .await;
    let caught_up = bob.expect("history").await;
    assert_eq!(items(&caught_up), [(1, "the first".into(), true)]);

    // The same after a restart, from the store.
    server.terminate();
    let db = server.release_db();
    let server = Server::start_with("127.0.0.1:0", &db, &[]);
    let mut cy = server.join().await;
    cy.send(r#"{"type":"get_history","room":"general","after_id":2}"#)
        .await;
    assert_eq!(
        items(&cy.expect("history").await),
        [(1, "the first".into(), true)]
    );
    cy.send(r#"{"type":"message","content":"after the restart"}"#)
        .await;
    let next = cy.expect("message").await["id"].as_u64().unwrap();
    assert!(
        next > rev,
        "ids go on after the edit's place: {next} vs {rev}"
    );
    cy.send(r#"{"type":"get_history","room":"general"}"#).await;
    let latest = items(&cy.expect("history").await);
    assert_eq!(
        latest[0],
        (1, "the first".into(), true),
        "history shows it edited"
    );
}

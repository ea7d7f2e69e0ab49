//! Reactions over real sockets: toggled, counted, bounded, kept in SQLite and
//! brought back with history after a restart.

mod support;

use support::Server;

#[tokio::test]
async fn reactions_toggle_count_survive_a_restart_and_refuse_essays() {
    let mut server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.send(r#"{"type":"message","content":"release is out"}"#)
        .await;
    let id = bob.expect("message").await["id"].as_u64().unwrap();
    let react =
        |emoji: &str| format!(r#"{{"type":"react","room":"general","id":{id},"emoji":"{emoji}"}}"#);

    ann.send(&react("🎉")).await;
    bob.send(&react("🎉")).await;
    bob.send(&react("👍")).await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let r = ann.expect("reaction").await;
        seen.push((
            r["emoji"].as_str().unwrap().to_owned(),
            r["on"].as_bool().unwrap(),
            r["count"].as_u64().unwrap(),
        ));
    }
    assert_eq!(
        seen,
        [
            ("🎉".into(), true, 1),
            ("🎉".into(), true, 2),
            ("👍".into(), true, 1)
        ]
    );
    bob.send(&react("👍")).await;
    let back = ann.expect("reaction").await;
    assert_eq!(
        (back["on"].as_bool(), back["count"].as_u64()),
        (Some(false), Some(0))
    );

    let essay = "x".repeat(1000);
    bob.send(&react(&essay)).await;
    assert_eq!(
        bob.expect("error").await["content"]["code"],
        "invalid_field"
    );
    bob.send(&react("<script>")).await;
    assert_eq!(
        bob.expect("error").await["content"]["code"],
        "invalid_field"
    );

    server.terminate();
    let db = server.release_db();
    let server = Server::start_with("127.0.0.1:0", &db, &[]);
    let mut cy = server.join().await;
    cy.send(r#"{"type":"get_history","room":"general"}"#).await;
    let history = cy.expect("history").await;
    let message = &history["content"]["messages"][0];
    let reactions = message["reactions"].as_array().unwrap();
    assert_eq!(reactions.len(), 1, "{message}");
    assert_eq!(
        (
            reactions[0]["emoji"].as_str(),
            reactions[0]["count"].as_u64()
        ),
        (Some("🎉"), Some(2))
    );
    assert_eq!(reactions[0]["user_ids"].as_array().unwrap().len(), 2);
    // Taking one back after the restart works from the store's copy.
    cy.send(&react("🎉")).await;
    let on = cy.expect("reaction").await;
    assert_eq!(
        (on["on"].as_bool(), on["count"].as_u64()),
        (Some(true), Some(3))
    );
}

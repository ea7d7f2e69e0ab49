//! Replies over real sockets: `reply_to` is kept, sent with the message and in
//! history, and must name a message of the room.

mod support;

use support::Server;

#[tokio::test]
async fn a_reply_names_the_message_it_answers_everywhere() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.send(r#"{"type":"message","content":"lunch?"}"#).await;
    let asked = bob.expect("message").await["id"].as_u64().unwrap();
    ann.expect("message").await;
    bob.send(&format!(
        r#"{{"type":"message","content":"yes!","reply_to":{asked},"txn_id":"r1"}}"#
    ))
    .await;
    let reply = ann.expect("message").await;
    assert_eq!(
        (reply["content"].as_str(), reply["reply_to"].as_u64()),
        (Some("yes!"), Some(asked))
    );
    assert_eq!(bob.expect("message").await["txn_id"], "r1");

    bob.send(r#"{"type":"message","content":"to nothing","reply_to":999,"txn_id":"r2"}"#)
        .await;
    let error = bob.expect("error").await;
    assert_eq!(
        (
            error["content"]["code"].as_str(),
            error["content"]["txn_id"].as_str()
        ),
        (Some("not_found"), Some("r2"))
    );
    bob.send(r#"{"type":"message","content":"x","reply_to":"one"}"#)
        .await;
    assert_eq!(
        bob.expect("error").await["content"]["code"],
        "invalid_field"
    );

    ann.send(r#"{"type":"get_history","room":"general"}"#).await;
    let history = ann.expect("history").await;
    let last = history["content"]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["content"].as_str(), last["reply_to"].as_u64()),
        (Some("yes!"), Some(asked))
    );
}

//! Typing indicators over real sockets, and what a bad `typing` gets.

mod support;

use support::Server;

#[tokio::test]
async fn typing_reaches_the_others_in_the_room_and_bad_input_gets_a_code() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.send(r#"{"type":"set_name","name":"Ann"}"#).await;
    ann.expect("name_changed").await;
    ann.send(r#"{"type":"typing","room":"general"}"#).await;
    let typing = bob.expect("typing").await;
    assert_eq!(typing["room"], "general");
    assert_eq!(typing["user_id"], ann.id);
    assert_eq!(typing["user_name"], "Ann");

    for (frame, code) in [
        (r#"{"type":"typing","room":"random"}"#, "not_in_room"),
        (r#"{"type":"typing","room":"nowhere"}"#, "not_found"),
        (r#"{"type":"typing","room":"<b>"}"#, "invalid_room"),
        (r#"{"type":"typing","room":7}"#, "invalid_field"),
    ] {
        ann.send(frame).await;
        let error = ann.expect("error").await;
        assert_eq!(error["content"]["code"], code, "{frame}");
    }
    // The tutorial's client never sends it and never minds it: an unknown type
    // to it, and nothing else changes.
    bob.send(r#"{"type":"message","content":"still here"}"#)
        .await;
    let echo = bob.expect("message").await;
    assert_eq!(echo["content"], "still here");
}

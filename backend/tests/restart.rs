//! Sessions outlive the process: after a kill -9 and restart, a client that
//! resumes keeps its id, name and rooms, and a resent message is stored once.

mod support;

use serde_json::Value;
use support::http::{credentials, request};
use support::{Client, Server};

/// Sends `content` to `room` with `txn_id` and returns the echo; once it is
/// back, every write queued before it (names, rooms) is durable too.
async fn say(client: &mut Client, room: &str, content: &str, txn_id: &str) -> Value {
    let frame = serde_json::json!({"type":"message","room":room,"content":content,"txn_id":txn_id});
    client.send(&frame.to_string()).await;
    loop {
        let echo = client.expect("message").await;
        if echo["txn_id"] == txn_id {
            return echo;
        }
    }
}

async fn count_in(client: &mut Client, room: &str) -> usize {
    let ask = serde_json::json!({"type":"get_history","room":room});
    client.send(&ask.to_string()).await;
    client.expect("history").await["content"]["messages"]
        .as_array()
        .unwrap()
        .len()
}

fn restart(server: &mut Server) -> Server {
    server.kill9();
    Server::start_with("127.0.0.1:0", &server.release_db(), &[])
}

#[tokio::test]
async fn a_guest_resuming_after_a_restart_keeps_id_name_and_rooms() {
    let mut server = Server::start(&[]);
    let mut zed = server.join().await;
    zed.send(r#"{"type":"set_name","name":"Zed"}"#).await;
    zed.expect("name_changed").await;
    zed.send(r#"{"type":"join_room","room":"random"}"#).await;
    zed.expect("room_joined").await;
    let first = say(&mut zed, "random", "before the crash", "m1").await;

    let restarted = restart(&mut server);
    let url = restarted.url(&format!("/ws?v=2&resume={}", zed.token));
    let mut back = Client::connect(&url, None).await.unwrap();
    let welcome = back.expect("welcome").await;
    assert_eq!(welcome["content"]["user_id"], zed.id);
    assert_eq!(welcome["content"]["user_name"], "Zed");
    assert_eq!(
        back.expect("room_joined").await["content"]["room"],
        "random"
    );
    let again = say(&mut back, "random", "before the crash", "m1").await;
    assert_eq!(
        again["id"], first["id"],
        "the resend is answered with the stored message"
    );
    assert_eq!(count_in(&mut back, "random").await, 1, "and stored once");
}

#[tokio::test]
async fn an_account_after_a_restart_keeps_its_rooms_and_its_resends_are_stored_once() {
    let mut server = Server::start(&[]);
    let body = credentials("Ann", "correct horse battery");
    assert_eq!(
        request(&server.addr, "POST", "/api/accounts", &[], &body)
            .await
            .status,
        201
    );
    let signed_in = request(&server.addr, "POST", "/api/session", &[], &body).await;
    let bearer = format!("Bearer {}", signed_in.json()["token"].as_str().unwrap());
    let headers = [("authorization", bearer.as_str())];
    let mut ann = Client::connect_with(&server.url("/ws?v=2"), &headers)
        .await
        .unwrap();
    let id = ann.expect("welcome").await["content"]["user_id"].clone();
    ann.send(r#"{"type":"join_room","room":"gaming"}"#).await;
    ann.expect("room_joined").await;
    let first = say(&mut ann, "gaming", "gg", "t1").await;

    let restarted = restart(&mut server);
    let mut back = Client::connect_with(&restarted.url("/ws?v=2"), &headers)
        .await
        .unwrap();
    let welcome = back.expect("welcome").await;
    assert_eq!(welcome["content"]["user_id"], id);
    assert_eq!(
        back.expect("room_joined").await["content"]["room"],
        "gaming"
    );
    let again = say(&mut back, "gaming", "gg", "t1").await;
    assert_eq!(again["id"], first["id"]);
    assert_eq!(count_in(&mut back, "gaming").await, 1);
}

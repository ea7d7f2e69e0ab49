//! Private messages between accounts are stored: an account that is away gets
//! them when it comes back, with unread counts, and they survive a restart.
//! Guests keep the tutorial's behaviour.

mod support;

use serde_json::{Value, json};
use support::http::{credentials, request};
use support::{Client, Server};

const PASSWORD: &str = "correct horse battery";

/// Signs up and in; returns (user id, bearer header value).
async fn account(server: &Server, name: &str) -> (u64, String) {
    let body = credentials(name, PASSWORD);
    let created = request(&server.addr, "POST", "/api/accounts", &[], &body).await;
    let id = created.json()["user_id"].as_u64().unwrap();
    let signed_in = request(&server.addr, "POST", "/api/session", &[], &body).await;
    (
        id,
        format!("Bearer {}", signed_in.json()["token"].as_str().unwrap()),
    )
}

async fn connect(server: &Server, bearer: &str) -> Client {
    let headers = [("authorization", bearer)];
    let mut client = Client::connect_with(&server.url("/ws?v=2"), &headers)
        .await
        .unwrap();
    client.expect("welcome").await;
    client
}

async fn conversations(client: &mut Client) -> Value {
    client.send(r#"{"type":"get_conversations"}"#).await;
    client.expect("conversations").await["content"].clone()
}

async fn history(client: &mut Client, with_id: u64) -> Vec<String> {
    let ask = json!({"type":"get_private_history","with_id":with_id});
    client.send(&ask.to_string()).await;
    let page = client.expect("private_history").await;
    page["content"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_private_message_to_an_account_that_is_away_waits_for_it() {
    let mut server = Server::start(&[]);
    let (ann_id, ann_bearer) = account(&server, "Ann").await;
    let (bob_id, bob_bearer) = account(&server, "Bob").await;
    let mut ann = connect(&server, &ann_bearer).await;

    let to_bob =
        json!({"type":"private_message","to_id":bob_id,"content":"call me when you are back"});
    ann.send(&to_bob.to_string()).await;
    let sent = ann.expect("private_message_sent").await;
    assert_eq!(sent["to_name"], "Bob");
    assert!(sent["id"].as_u64().is_some(), "stored: {sent}");

    // A guest still gets the tutorial's answer for someone offline.
    let mut guest = server.join().await;
    guest
        .send(&json!({"type":"private_message","to_id":bob_id,"content":"hi"}).to_string())
        .await;
    assert_eq!(guest.expect_error().await, "User not found or offline");

    let mut bob = connect(&server, &bob_bearer).await;
    let listed = conversations(&mut bob).await;
    assert_eq!(listed[0]["with_id"], ann_id);
    assert_eq!(listed[0]["with_name"], "Ann");
    assert_eq!(listed[0]["unread"], 1);
    assert_eq!(listed[0]["last"]["content"], "call me when you are back");
    assert_eq!(
        history(&mut bob, ann_id).await,
        ["call me when you are back"]
    );
    let read = json!({"type":"mark_read","with_id":ann_id,"id":sent["id"]});
    bob.send(&read.to_string()).await;
    assert_eq!(conversations(&mut bob).await[0]["unread"], 0);

    bob.send(&json!({"type":"private_message","to_id":ann_id,"content":"back now"}).to_string())
        .await;
    let delivered = ann.expect("private_message").await;
    assert_eq!(
        (
            delivered["from_name"].as_str(),
            delivered["content"].as_str()
        ),
        (Some("Bob"), Some("back now"))
    );
    assert_eq!(conversations(&mut ann).await[0]["unread"], 1);

    server.kill9();
    let restarted = Server::start_with("127.0.0.1:0", &server.release_db(), &[]);
    let mut bob = connect(&restarted, &bob_bearer).await;
    assert_eq!(
        history(&mut bob, ann_id).await,
        ["call me when you are back", "back now"]
    );
}

#[tokio::test]
async fn guests_have_no_stored_conversations() {
    let server = Server::start(&[]);
    let mut guest = server.join().await;
    guest.send(r#"{"type":"get_conversations"}"#).await;
    let error = guest.expect("error").await;
    assert_eq!(error["content"]["code"], "sign_in_required");
}

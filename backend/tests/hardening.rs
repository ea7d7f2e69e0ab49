//! The security probe's findings, each tried the way it was found: raw HTTP,
//! raw WebSocket frames, or protocol frames against the real binary.

mod support;
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use support::{Client, PATIENCE, Server, close_code};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

/// Sends `request` on a fresh TCP connection and returns what came back until the
/// server closed or `PATIENCE` ran out.
async fn raw(addr: &str, request: &str) -> String {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(PATIENCE, tcp.read(&mut answer))
        .await
        .expect("an answer in time")
        .unwrap_or(0);
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

fn upgrade(addr: &str, extra: &str) -> String {
    format!(
        "GET /ws HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n{extra}\r\n"
    )
}

const GOOD_KEY: &str = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
const V13: &str = "Sec-WebSocket-Version: 13\r\n";

/// Whether the server closes `tcp` within `within` (a read returns 0 or fails).
async fn closed_within(tcp: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0; 256];
    loop {
        match tokio::time::timeout(within, tcp.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue, // a 408 or similar before the close
        }
    }
}

#[tokio::test]
async fn silent_and_dripping_http_connections_are_closed_by_the_header_timeout() {
    let server = Server::start(&["--header-timeout", "1"]);
    let mut silent = TcpStream::connect(&server.addr).await.unwrap();
    let mut drip = TcpStream::connect(&server.addr).await.unwrap();
    drip.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    let dripping = async {
        for i in 0..6 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let line = format!("X-Drip-{i}: 1\r\n");
            if drip.write_all(line.as_bytes()).await.is_err() {
                break;
            }
        }
        closed_within(&mut drip, Duration::from_secs(5)).await
    };
    let (silent_closed, drip_closed) =
        tokio::join!(closed_within(&mut silent, Duration::from_secs(5)), dripping);
    assert!(silent_closed, "a silent socket is closed");
    assert!(drip_closed, "a slowly dripped request head is closed");
    // A keep-alive connection that goes idle after a request is closed too.
    let mut idle = TcpStream::connect(&server.addr).await.unwrap();
    let get = format!("GET /missing HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    idle.write_all(get.as_bytes()).await.unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn idle_sockets_cannot_keep_users_out() {
    let server = Server::start(&["--max-sockets", "20", "--header-timeout", "1"]);
    let mut squatters = Vec::new();
    for _ in 0..40 {
        squatters.push(TcpStream::connect(&server.addr).await.unwrap());
    }
    // The cap holds the rest in the backlog; the timeout frees places in time.
    let mut ann = tokio::time::timeout(PATIENCE, server.join())
        .await
        .expect("a real user gets in");
    assert_eq!(ann.users_online().await, 1);
}

#[tokio::test]
async fn the_handshake_checks_its_key_and_names_its_version() {
    let server = Server::start(&[]);
    let addr = &server.addr;
    for bad_key in [
        "Sec-WebSocket-Key: \r\n".to_owned(),
        "Sec-WebSocket-Key: not base64!!\r\n".into(),
        "Sec-WebSocket-Key: AAAAAA==\r\n".into(),
        format!("Sec-WebSocket-Key: {}\r\n", "A".repeat(4000)),
        format!("{GOOD_KEY}{GOOD_KEY}"),
        String::new(),
    ] {
        let answer = raw(addr, &upgrade(addr, &format!("{V13}{bad_key}"))).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{bad_key:?}: {answer}");
    }
    let answer = raw(
        addr,
        &upgrade(addr, &format!("Sec-WebSocket-Version: 8\r\n{GOOD_KEY}")),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 426"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("sec-websocket-version: 13"),
        "{answer}"
    );
    let answer = raw(addr, &upgrade(addr, &format!("{V13}{GOOD_KEY}"))).await;
    assert!(answer.starts_with("HTTP/1.1 101"), "{answer}");
    // Two resume tokens are a 400 wherever the socket is.
    for path in ["/?resume=a&resume=b", "/ws?resume=a&resume=b"] {
        let request = upgrade(addr, &format!("{V13}{GOOD_KEY}")).replacen("/ws", path, 1);
        let answer = raw(addr, &request).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
    }
}

#[tokio::test]
async fn origin_is_checked_against_configured_origins_never_host() {
    let server = Server::start(&[]);
    let addr = &server.addr;
    let port = addr.rsplit(':').next().unwrap();
    let refused = [
        // DNS rebinding: Host and Origin agree, and both are the attacker's.
        "Host: evil.example\r\nOrigin: http://evil.example\r\n".to_string(),
        format!("Host: {addr}\r\nOrigin: ftp://{addr}\r\n"),
        format!("Host: {addr}\r\nOrigin: http://{addr}\r\nOrigin: http://evil.example\r\n"),
    ];
    for headers in refused {
        let request = format!(
            "GET /ws HTTP/1.1\r\n{headers}Connection: Upgrade\r\nUpgrade: websocket\r\n{V13}{GOOD_KEY}\r\n"
        );
        let answer = raw(addr, &request).await;
        assert!(answer.starts_with("HTTP/1.1 403"), "{headers:?}: {answer}");
    }
    for own in [format!("http://{addr}"), format!("http://localhost:{port}")] {
        assert!(
            Client::connect(&server.url("/"), Some(&own)).await.is_ok(),
            "{own}"
        );
    }
    let public = Server::start(&["--public-origin", "https://chat.example.com"]);
    assert!(
        Client::connect(&public.url("/"), Some("https://chat.example.com"))
            .await
            .is_ok()
    );
    let own = format!("http://{}", public.addr);
    assert!(Client::connect(&public.url("/"), Some(&own)).await.is_err());
}

#[tokio::test]
async fn a_clients_close_is_answered_with_its_code() {
    let server = Server::start(&[]);
    for (sent, answered) in [(1000, 1000), (4000, 4000), (999, 1002), (1005, 1002)] {
        let mut client = server.join().await;
        let frame = CloseFrame {
            code: sent.into(),
            reason: "bye".into(),
        };
        client.ws.send(Message::Close(Some(frame))).await.unwrap();
        let reply = client.expect_close().await;
        assert_eq!(close_code(reply), answered, "closed with {sent}");
    }
}

#[tokio::test]
async fn markup_invisible_and_reserved_names_are_refused_and_names_are_unique() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    for bad in [
        "<img src onerror='/*",
        "<svg onload=alert()>",
        "\\u200b\\u200d",
        "\\u3164",
        "a\\u202eb",
        "System",
        "\\u0301\\u0301",
    ] {
        ann.send(&format!(r#"{{"type":"set_name","name":"{bad}"}}"#))
            .await;
        let error = ann.expect("error").await;
        assert_eq!(error["content"]["code"], "invalid_name", "{bad}");
    }
    ann.send(r#"{"type":"set_name","name":"Ｕｓｅｒ"}"#).await;
    assert_eq!(
        ann.expect("name_changed").await["content"]["new_name"],
        "User"
    );
    bob.send(r#"{"type":"set_name","name":"user"}"#).await;
    assert_eq!(bob.expect("error").await["content"]["code"], "name_taken");
}

#[tokio::test]
async fn room_names_fold_case_width_and_look() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    for twin in ["ｇｅｎｅｒａｌ", "GENERAL"] {
        ann.send(&format!(r#"{{"type":"create_room","room":"{twin}"}}"#))
            .await;
        assert_eq!(ann.expect("error").await["content"]["code"], "room_exists");
    }
    for spoof in ["g\\u0435neral", "general\\u200b"] {
        ann.send(&format!(r#"{{"type":"create_room","room":"{spoof}"}}"#))
            .await;
        assert_eq!(ann.expect("error").await["content"]["code"], "invalid_room");
    }
    ann.send(r#"{"type":"create_room","room":"Books"}"#).await;
    ann.expect("room_joined").await;
    let mut bob = server.join().await;
    bob.send(r#"{"type":"join_room","room":"BOOKS"}"#).await;
    assert_eq!(bob.expect("room_joined").await["content"]["room"], "Books");
}

#[tokio::test]
async fn paging_ids_beyond_i64_are_refused() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    ann.send(r#"{"type":"message","content":"one"}"#).await;
    ann.expect("message").await;
    for frame in [
        r#"{"type":"get_history","room":"general","after_id":18446744073709551615}"#,
        r#"{"type":"get_users","after_id":18446744073709551615}"#,
    ] {
        ann.send(frame).await;
        assert_eq!(
            ann.expect("error").await["content"]["code"],
            "invalid_field"
        );
    }
}

#[tokio::test]
async fn room_creation_is_rate_limited_and_idle_rooms_are_archived() {
    let server = Server::start(&["--room-create-per-hour", "2", "--room-archive-after", "1"]);
    let mut ann = server.join().await;
    for room in ["r1", "r2"] {
        ann.send(&format!(r#"{{"type":"create_room","room":"{room}"}}"#))
            .await;
        ann.expect("room_joined").await;
    }
    ann.send(r#"{"type":"create_room","room":"r3"}"#).await;
    assert_eq!(ann.expect("error").await["content"]["code"], "rate_limited");
    ann.send(r#"{"type":"message","content":"kept","room":"r1"}"#)
        .await;
    ann.expect("message").await;
    for room in ["r1", "r2"] {
        ann.send(&format!(r#"{{"type":"leave_room","room":"{room}"}}"#))
            .await;
        ann.expect("room_left").await;
    }
    tokio::time::sleep(Duration::from_millis(2500)).await;
    ann.send(r#"{"type":"list_rooms"}"#).await;
    let rooms = ann.expect("rooms").await;
    let names: Vec<_> = rooms["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].clone())
        .collect();
    assert!(
        !names.contains(&"r1".into()) && names.contains(&"gaming".into()),
        "{names:?}"
    );
}

#[tokio::test]
async fn unsolicited_pongs_count_toward_the_rate_limit() {
    let server = Server::start(&[
        "--rate-per-sec",
        "1",
        "--rate-burst",
        "2",
        "--rate-strikes",
        "3",
    ]);
    let mut ann = server.join().await;
    for _ in 0..200 {
        if ann
            .ws
            .send(Message::Pong(Default::default()))
            .await
            .is_err()
        {
            break;
        }
    }
    assert_eq!(ann.expect("error").await["content"]["code"], "rate_limited");
    assert_eq!(close_code(ann.expect_close().await), 1008);
}

#[tokio::test]
async fn a_client_closed_for_flooding_gets_an_echo_for_everything_stored() {
    let server = Server::start(&[
        "--rate-per-sec",
        "1",
        "--rate-burst",
        "20",
        "--rate-strikes",
        "2",
    ]);
    let mut ann = server.join().await;
    for i in 0..40 {
        let frame = format!(r#"{{"type":"message","content":"m{i}","txn_id":"t{i}"}}"#);
        ann.ws.send(Message::text(frame)).await.unwrap();
    }
    let mut echoes = 0;
    let close = loop {
        match tokio::time::timeout(PATIENCE, ann.ws.next())
            .await
            .expect("in time")
        {
            Some(Ok(Message::Text(text))) => {
                let frame: serde_json::Value = serde_json::from_str(&text).unwrap();
                if frame["type"] == "message" && frame["txn_id"].is_string() {
                    echoes += 1;
                }
            }
            Some(Ok(Message::Close(frame))) => break frame,
            Some(Ok(_)) => {}
            other => panic!("connection ended without a close: {other:?}"),
        }
    };
    assert_eq!(close_code(close), 1008);
    let mut bob = server.join().await;
    bob.send(r#"{"type":"get_history","room":"general"}"#).await;
    let stored = bob.expect("history").await["content"]["messages"]
        .as_array()
        .unwrap()
        .len();
    assert!(stored > 0);
    assert_eq!(echoes, stored, "every stored message was acknowledged");
}

#[tokio::test]
async fn a_resend_after_a_restart_is_stored_once() {
    let mut server = Server::start(&["--resume-grace", "0"]);
    let mut ann = server.join().await;
    ann.send(r#"{"type":"message","content":"only once","txn_id":"t1"}"#)
        .await;
    let first = ann.expect("message").await;
    let token = ann.token.clone();
    // The echo was "lost": the client will resend after coming back.
    drop(ann);
    server.terminate();
    let db = server.release_db();
    let server = Server::start_with("127.0.0.1:0", &db, &["--resume-grace", "0"]);
    let mut back = server.resume(&token).await;
    let welcome = back.expect("welcome").await;
    assert_ne!(welcome["content"]["resume_token"], token.as_str());
    back.send(r#"{"type":"message","content":"only once","txn_id":"t1"}"#)
        .await;
    let again = back.expect("message").await;
    assert_eq!(
        again["id"], first["id"],
        "the stored message, acknowledged again"
    );
    assert_eq!(again["txn_id"], "t1");
    back.send(r#"{"type":"get_history","room":"general"}"#)
        .await;
    let history = back.expect("history").await;
    assert_eq!(history["content"]["messages"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_reused_txn_id_in_another_room_is_delivered_there() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    ann.send(r#"{"type":"message","content":"in general","txn_id":"same"}"#)
        .await;
    ann.expect("message").await;
    ann.send(r#"{"type":"join_room","room":"random"}"#).await;
    ann.expect("room_joined").await;
    ann.send(r#"{"type":"message","content":"in random","txn_id":"same","room":"random"}"#)
        .await;
    let echo = ann.expect("message").await;
    assert_eq!(
        (echo["room"].as_str(), echo["content"].as_str()),
        (Some("random"), Some("in random"))
    );
}

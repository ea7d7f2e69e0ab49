//! Bounds: bad frames, the connection cap, Origin, rates, heartbeat, slow readers.

mod support;
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use support::{Client, Server, close_code};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{Frame, FrameHeader};

#[tokio::test]
async fn invalid_utf8_closes_with_1007_and_others_carry_on() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let mut bad = server.join().await;
    let header = FrameHeader {
        opcode: OpCode::Data(Data::Text),
        ..FrameHeader::default()
    };
    let frame = Frame::from_payload(header, vec![0xff, 0xfe, 0xfd].into());
    bad.ws.send(Message::Frame(frame)).await.unwrap();
    assert_eq!(close_code(bad.expect_close().await), 1007);
    assert_eq!(ann.expect("leave").await["content"]["user_id"], bad.id);
    assert_eq!(ann.users_online().await, 1);
}

#[tokio::test]
async fn oversize_messages_close_with_1009() {
    let server = Server::start(&["--max-frame-bytes", "65536"]);
    let mut ann = server.join().await;
    let mut big = server.join().await;
    big.send(&"x".repeat(70_000)).await;
    assert_eq!(close_code(big.expect_close().await), 1009);
    assert_eq!(ann.expect("leave").await["content"]["user_id"], big.id);
}

#[tokio::test]
async fn past_the_connection_cap_newcomers_get_an_error_and_1013() {
    let server = Server::start(&["--max-connections", "2"]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    let mut third = server.connect().await;
    assert_eq!(third.expect_error().await, "Server is full");
    assert_eq!(close_code(third.expect_close().await), 1013);
    // The refused client never joined, and its slot was never taken.
    assert_eq!(ann.users_online().await, 2);
    drop(third);
    bob.ws.close(None).await.unwrap(); // a closed tab: leaves at once
    ann.expect("leave").await;
    let mut fourth = server.connect().await;
    assert_eq!(fourth.expect("welcome").await["type"], "welcome");
}

#[tokio::test]
async fn foreign_origins_are_refused_with_403() {
    let server = Server::start(&["--allowed-origin", "http://dev.example:8081"]);
    let err = Client::connect(&server.url("/"), Some("http://evil.example"))
        .await
        .err()
        .expect("refused");
    match err {
        tokio_tungstenite::tungstenite::Error::Http(response) => assert_eq!(response.status(), 403),
        other => panic!("expected HTTP 403, got {other}"),
    }
    let own = format!("http://{}", server.addr);
    assert!(Client::connect(&server.url("/"), Some(&own)).await.is_ok());
    assert!(
        Client::connect(&server.url("/ws"), Some("http://dev.example:8081"))
            .await
            .is_ok()
    );
    assert!(Client::connect(&server.url("/"), None).await.is_ok());
}

#[tokio::test]
async fn flooding_gets_rate_errors_then_close_1008() {
    let server = Server::start(&[
        "--rate-per-sec",
        "1",
        "--rate-burst",
        "3",
        "--rate-strikes",
        "3",
    ]);
    let mut ann = server.join().await;
    let mut flood = server.join().await;
    for i in 0..10 {
        // The server may close mid-flood; later sends failing is expected.
        let _ = flood
            .ws
            .send(Message::text(format!(
                r#"{{"type":"message","content":"{i}"}}"#
            )))
            .await;
    }
    let mut rate_errors = 0;
    let code = loop {
        match tokio::time::timeout(support::PATIENCE, flood.ws.next())
            .await
            .unwrap()
        {
            Some(Ok(Message::Text(t))) if t.contains("Rate limit exceeded") => rate_errors += 1,
            Some(Ok(Message::Close(frame))) => break close_code(frame),
            Some(Ok(_)) => {}
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(code, 1008);
    assert_eq!(rate_errors, 3, "each strike is explained before the close");
    // The burst within the limit was accepted, stored and delivered to the others.
    let (mut seen, mut left) = (Vec::new(), false);
    while seen.len() < 3 || !left {
        let frame = ann.recv().await;
        match frame["type"].as_str().unwrap() {
            "message" => seen.push(frame["content"].as_str().unwrap().to_owned()),
            "leave" => left = frame["content"]["user_id"] == flood.id,
            _ => {}
        }
    }
    assert_eq!(seen, ["0", "1", "2"]);
}

#[tokio::test]
async fn pings_are_answered_and_silent_clients_are_dropped() {
    let server = Server::start(&[
        "--ping-interval",
        "1",
        "--pong-timeout",
        "1",
        "--resume-grace",
        "0",
    ]);
    let mut ann = server.join().await;
    ann.ws
        .send(Message::Ping(b"hi".to_vec().into()))
        .await
        .unwrap();
    loop {
        if let Message::Pong(payload) = ann.next_message().await {
            assert_eq!(&payload[..], b"hi");
            break;
        }
    }
    // `mute` is never polled, so its client library never answers the server's pings.
    let mute = server.join().await;
    assert_eq!(ann.expect("join").await["content"]["user_id"], mute.id);
    let leave = ann.expect("leave").await; // ann keeps reading, so it keeps answering
    assert_eq!(leave["content"]["user_id"], mute.id);
    // Several ping rounds pass while ann keeps reading (and so answering pings).
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            ann.users_online().await,
            1,
            "a responsive client stays online"
        );
    }
}

#[tokio::test]
async fn a_client_that_never_reads_cannot_stall_the_others() {
    let server = Server::start(&[
        "--send-queue",
        "512",
        "--rate-per-sec",
        "10000",
        "--rate-burst",
        "10000",
        "--write-timeout",
        "2",
    ]);
    let mut sender = server.join().await;
    let mut reader = server.join().await;
    let stalled = server.join().await; // never read from again
    sender.expect("join").await;
    sender.expect("join").await;
    reader.expect("join").await;

    // 10 KB messages, so the stalled client's socket buffers fill and its queue overflows.
    let content = "y".repeat(10_000);
    let count = 2000;
    // The sender reads its own echoes as it goes; otherwise it would be a slow reader too.
    let (mut outgoing, mut echoes) = sender.ws.split();
    let drain_echoes = tokio::spawn(async move { while let Some(Ok(_)) = echoes.next().await {} });
    let send_all = async {
        for i in 0..count {
            let text = format!(r#"{{"type":"message","content":"{i} {content}"}}"#);
            outgoing.send(Message::text(text)).await.unwrap();
        }
    };
    let read_all = async {
        let mut next = 0;
        let mut saw_leave = false;
        while next < count {
            let frame = reader.recv().await;
            match frame["type"].as_str().unwrap() {
                "message" => {
                    let n: usize = frame["content"]
                        .as_str()
                        .unwrap()
                        .split(' ')
                        .next()
                        .unwrap()
                        .parse()
                        .unwrap();
                    assert_eq!(n, next, "in order, nothing lost");
                    next += 1;
                }
                "leave" => {
                    assert_eq!(frame["content"]["user_id"], stalled.id);
                    saw_leave = true;
                }
                _ => {}
            }
        }
        (reader, saw_leave)
    };
    let ((), (mut reader, mut saw_leave)) = tokio::join!(send_all, read_all);
    if !saw_leave {
        saw_leave = reader.expect("leave").await["content"]["user_id"] == stalled.id;
    }
    assert!(
        saw_leave,
        "the stalled client was disconnected and announced"
    );
    assert_eq!(reader.users_online().await, 2);
    drop(stalled);
    drain_echoes.abort();
}

//! Memory under clients that never read: what a connection can make the server
//! hold is bounded in bytes, and a room's history is encoded once and shared.

mod support;
use futures_util::SinkExt;
use std::time::Duration;
use support::{Client, Server};
use tokio_tungstenite::tungstenite::Message;

/// Readers that never read, each asking for the largest history there is.
const SILENT_READERS: usize = 40;
/// The bound this test holds the server to (and BENCHMARKS.md records): growth of
/// resident memory while the silent readers are connected.
const MAX_GROWTH_BYTES: u64 = 64 * 1024 * 1024;

#[tokio::test]
async fn silent_readers_of_a_room_full_of_maximal_messages_keep_memory_bounded() {
    let server = Server::start(&[
        "--rate-per-sec",
        "100000",
        "--rate-burst",
        "100000",
        "--flood-repeats",
        "0",
    ]);
    let mut writer = server.join().await;
    // 100 messages of 10 240 quotes: each doubles when escaped, the most that
    // content validation lets through.
    let content = "\\\"".repeat(10_240);
    for _ in 0..100 {
        writer
            .send(&format!(r#"{{"type":"message","content":"{content}"}}"#))
            .await;
        writer.expect("message").await;
    }
    let baseline = server.rss_bytes();
    let mut silent = Vec::new();
    for _ in 0..SILENT_READERS {
        let mut client = Client::connect(&server.url("/"), None).await.unwrap();
        let asks = [
            r#"{"type":"join_room","room":"general"}"#,
            r#"{"type":"get_history","room":"general"}"#,
            r#"{"type":"get_history","room":"general"}"#,
            r#"{"type":"get_history","room":"general"}"#,
        ];
        for ask in asks {
            client.ws.send(Message::text(ask)).await.unwrap();
        }
        silent.push(client); // and never read
    }
    let mut peak = baseline;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        peak = peak.max(server.rss_bytes());
    }
    let growth = peak.saturating_sub(baseline);
    println!(
        "baseline {:.1} MB, peak {:.1} MB, growth {:.1} MB with {SILENT_READERS} silent readers",
        baseline as f64 / 1e6,
        peak as f64 / 1e6,
        growth as f64 / 1e6
    );
    assert!(growth < MAX_GROWTH_BYTES, "grew {growth} bytes");
    // Everyone else carries on.
    let mut reader = server.join().await;
    assert_eq!(reader.users_online().await as usize, SILENT_READERS + 2);
}

//! The yardstick: the least a broadcaster can do and still speak enough of the
//! tutorial's protocol for `confab-bench` (a `welcome`, then every text frame
//! broadcast to everyone as a `message`, sender included). Frames are serialized
//! once and shared; the registry is read under an `RwLock`, so broadcasts from
//! different connections do not wait on each other; each connection's writer task
//! feeds everything queued into tungstenite's 8 KiB write buffer, then flushes
//! once. No validation, limits, names, rooms or storage: the cost of those is what
//! Confab is measured against. Keep it this lean, or the ratio flatters Confab.
//!
//! Usage: `minimal-broadcaster [ADDR]` (default 127.0.0.1:9090).

use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

type Peers = Arc<RwLock<HashMap<u64, mpsc::UnboundedSender<Utf8Bytes>>>>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    rlimit::increase_nofile_limit(u64::MAX)?;
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:9090".into());
    let listener = TcpListener::bind(&addr).await?;
    println!(
        "minimal-broadcaster listening on ws://{}",
        listener.local_addr()?
    );
    let peers: Peers = Arc::default();
    let mut next_id = 0u64;
    loop {
        let (stream, _) = listener.accept().await?;
        next_id += 1;
        tokio::spawn(serve(stream, next_id, peers.clone()));
    }
}

async fn serve(stream: TcpStream, id: u64, peers: Peers) -> anyhow::Result<()> {
    let _ = stream.set_nodelay(true);
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(8 * 1024);
    let socket = tokio_tungstenite::accept_async_with_config(stream, Some(config)).await?;
    let (mut sink, mut source) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Utf8Bytes>();
    let welcome =
        format!(r#"{{"type":"welcome","content":{{"user_id":{id},"user_name":"User{id}"}}}}"#);
    tx.send(welcome.into())?;
    peers.write().unwrap().insert(id, tx);

    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            sink.feed(Message::Text(frame)).await?;
            while let Ok(frame) = rx.try_recv() {
                sink.feed(Message::Text(frame)).await?;
            }
            sink.flush().await?;
        }
        anyhow::Ok(())
    });
    while let Some(Ok(message)) = source.next().await {
        let Message::Text(text) = message else {
            continue;
        };
        // The load tool's content is plain; it is wrapped, not parsed.
        let Some(content) = text
            .split(r#""content":""#)
            .nth(1)
            .and_then(|r| r.split('"').next())
        else {
            continue;
        };
        let frame: Utf8Bytes = format!(
            r#"{{"type":"message","from_id":{id},"from_name":"User{id}","content":"{content}","timestamp":0}}"#
        )
        .into();
        for peer in peers.read().unwrap().values() {
            let _ = peer.send(frame.clone());
        }
    }
    peers.write().unwrap().remove(&id);
    writer.abort();
    Ok(())
}

//! Reading every room's stored history back, page by page, to count each soak
//! message's copies.

use crate::client::{Socket, next_text, wait_for};
use futures_util::SinkExt;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// The next `history` page, or `None` when the request was rate-limited.
async fn page_or_rate_limited(socket: &mut Socket) -> anyhow::Result<Option<Value>> {
    loop {
        let frame: Value = serde_json::from_str(&next_text(socket).await?)?;
        match frame["type"].as_str() {
            Some("history") => return Ok(Some(frame)),
            Some("error") if frame["content"]["code"] == "rate_limited" => return Ok(None),
            Some("error") => anyhow::bail!("reading history: {frame}"),
            _ => {}
        }
    }
}

/// Soak message content → how many times it is stored.
pub async fn read_back(base: &str, rooms: &[&str]) -> anyhow::Result<HashMap<String, u32>> {
    let (mut socket, _) = tokio_tungstenite::connect_async(format!("{base}/ws?v=2")).await?;
    wait_for(&mut socket, "welcome").await?;
    let mut copies = HashMap::new();
    for room in rooms {
        let join = json!({"type":"join_room","room":room});
        socket.send(Message::text(join.to_string())).await?;
        wait_for(&mut socket, "room_joined").await?;
        read_room(&mut socket, room, &mut copies).await?;
    }
    Ok(copies)
}

async fn read_room(
    socket: &mut Socket,
    room: &str,
    copies: &mut HashMap<String, u32>,
) -> anyhow::Result<()> {
    let mut after = 0u64;
    loop {
        // Under the server's rate limit (50 a second here): a reader that keeps
        // striking it is disconnected like any other client.
        tokio::time::sleep(Duration::from_millis(25)).await;
        let ask = json!({"type":"get_history","room":room,"after_id":after,"limit":100});
        socket.send(Message::text(ask.to_string())).await?;
        let Some(page) = page_or_rate_limited(socket).await? else {
            // The reader is a client like any other, under the same rate limit.
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        let messages = page["content"]["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let Some(last) = messages.last().and_then(|m| m["id"].as_u64()) else {
            return Ok(());
        };
        for message in &messages {
            if let Some(content) = message["content"]
                .as_str()
                .filter(|c| c.starts_with("soak "))
            {
                *copies.entry(content.to_owned()).or_default() += 1;
            }
        }
        after = last;
    }
}

//! Connecting many clients, and reading the few fields the tool needs.

use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Common {
    pub url: String,
    pub pid: Option<u32>,
    pub handshakes: usize,
}

/// Opens `count` connections, at most `handshakes` at once, and returns each once
/// its `welcome` has arrived (with the frames read up to it discarded).
pub async fn connect_many(
    url: &str,
    count: usize,
    handshakes: usize,
) -> anyhow::Result<Vec<Socket>> {
    let gate = Arc::new(Semaphore::new(handshakes.max(1)));
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let (gate, url) = (gate.clone(), url.to_owned());
            tokio::spawn(async move {
                let _permit = gate.acquire().await?;
                let (mut socket, _) = tokio_tungstenite::connect_async(&url).await?;
                wait_for(&mut socket, "welcome").await?;
                anyhow::Ok(socket)
            })
        })
        .collect();
    let mut sockets = Vec::with_capacity(count);
    for task in tasks {
        sockets.push(task.await??);
    }
    Ok(sockets)
}

/// Reads until a frame of type `kind` arrives.
pub async fn wait_for(socket: &mut Socket, kind: &str) -> anyhow::Result<String> {
    let needle = format!(r#""type":"{kind}""#);
    loop {
        let text = next_text(socket).await?;
        if text.contains(&needle) {
            return Ok(text);
        }
    }
}

/// The next text frame, within a minute (pings and pongs do not extend it).
pub async fn next_text(socket: &mut Socket) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next()).await?;
        match frame {
            Some(Ok(Message::Text(text))) => return Ok(text.to_string()),
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => anyhow::bail!("closed while waiting for a frame"),
        }
    }
}

/// The `content` string of a message frame, found without a full JSON parse (the
/// tool's own CPU competes with the server's). Only for content without escapes.
pub fn content_of(frame: &str) -> Option<&str> {
    if !frame.contains(r#""type":"message""#) {
        return None;
    }
    let start = frame.find(r#""content":""#)? + r#""content":""#.len();
    let len = frame[start..].find('"')?;
    Some(&frame[start..start + len])
}

/// The `id` of a message frame (Confab's extension), found as `content_of` finds
/// the content: `"id":` preceded by a quote is not `"from_id":`.
pub fn id_of(frame: &str) -> Option<u64> {
    let start = frame.find(r#""id":"#)? + r#""id":"#.len();
    let digits = frame[start..].find(|c: char| !c.is_ascii_digit())?;
    frame[start..start + digits].parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_content() {
        let frame = r#"{"type":"message","from_id":1,"from_name":"U","content":"3:17:999:xx","timestamp":1}"#;
        assert_eq!(super::content_of(frame), Some("3:17:999:xx"));
        assert_eq!(super::content_of(r#"{"type":"join","content":{}}"#), None);
    }

    #[test]
    fn finds_the_message_id_not_the_sender_id() {
        let frame = r#"{"type":"message","from_id":1,"content":"x","timestamp":1,"id":42,"room":"general"}"#;
        assert_eq!(super::id_of(frame), Some(42));
        assert_eq!(super::id_of(r#"{"type":"message","from_id":1}"#), None);
    }
}

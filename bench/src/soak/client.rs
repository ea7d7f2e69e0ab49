//! One soak client: chats in its room at a steady rate, and now and then drops
//! its connection (a clean close meaning to resume, a vanished TCP connection,
//! or leaving for good to come back as someone new). Whatever it sent and was
//! not acknowledged it sends again, with the same `txn_id`, after every
//! reconnect, as Confab's own client does.

use super::Tally;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{Instant, sleep, sleep_until, timeout};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

/// Most messages in flight before the client waits for acknowledgements.
const WINDOW: usize = 50;
/// After the sending stops, how long a client keeps trying to get its last
/// messages acknowledged.
const SETTLE: Duration = Duration::from_secs(30);

pub struct Plan {
    pub id: usize,
    pub base: String,
    pub room: String,
    pub per_second: f64,
    /// Mean seconds between deliberate disconnects.
    pub churn_every: f64,
    pub until: Instant,
}

enum Churn {
    /// Close 4000 ("I will resume"), then resume.
    CloseAndResume,
    /// The TCP connection just goes away, then resume.
    Vanish,
    /// Close 1000 and come back as a new user (only with nothing in flight).
    StartOver,
}

/// A small deterministic generator per client.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub async fn run(plan: Plan, tally: Arc<Tally>) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (plan.id as u64 + 1));
    let mut token: Option<String> = None;
    let mut user: Option<u64> = None;
    let mut pending: BTreeMap<u64, String> = BTreeMap::new();
    let mut seq = 0u64;
    let stop = plan.until + SETTLE;
    let interval = Duration::from_secs_f64(1.0 / plan.per_second);
    while Instant::now() < stop && (Instant::now() < plan.until || !pending.is_empty()) {
        let url = match &token {
            Some(t) => format!("{}/ws?v=2&resume={t}", plan.base),
            None => format!("{}/ws?v=2", plan.base),
        };
        let Ok(Ok((socket, _))) = timeout(
            Duration::from_secs(5),
            tokio_tungstenite::connect_async(&url),
        )
        .await
        else {
            // The server is restarting.
            sleep(Duration::from_millis(200)).await;
            continue;
        };
        let (mut sink, mut stream) = socket.split();
        tally.connects.fetch_add(1, Relaxed);
        let mut welcomed = false;
        let churn_in = -plan.churn_every * (1.0 - rng.next()).ln();
        let churn_at = Instant::now() + Duration::from_secs_f64(churn_in.min(3600.0));
        let mut next_send = Instant::now() + interval;
        let churn = loop {
            tokio::select! {
                // Whatever happens, a client gives up at the end.
                () = sleep_until(stop) => break None,
                () = sleep_until(next_send), if welcomed => {
                    next_send += interval;
                    if Instant::now() >= plan.until {
                        if pending.is_empty() { break None; }
                        continue;
                    }
                    if pending.len() >= WINDOW { continue; }
                    seq += 1;
                    let content = format!("soak {} {seq}", plan.id);
                    let frame = json!({"type":"message","content":content,"txn_id":format!("{}-{seq}", plan.id),"room":plan.room});
                    if sink.send(Message::text(frame.to_string())).await.is_err() { break None; }
                    pending.insert(seq, content);
                    tally.sent.fetch_add(1, Relaxed);
                }
                () = sleep_until(churn_at), if welcomed => {
                    break Some(match rng.next() {
                        x if x < 0.4 => Churn::CloseAndResume,
                        x if x < 0.8 => Churn::Vanish,
                        _ if pending.is_empty() => Churn::StartOver,
                        _ => Churn::Vanish,
                    });
                }
                frame = stream.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        let Ok(value) = serde_json::from_str::<Value>(text.as_str()) else {
                            tally.error(format!("undecodable frame {text}"));
                            continue;
                        };
                        match value["type"].as_str() {
                            Some("welcome") => {
                                let id = value["content"]["user_id"].as_u64();
                                if user.is_some() && id != user {
                                    tally.identity_lost.fetch_add(1, Relaxed);
                                }
                                user = id;
                                token = value["content"]["resume_token"].as_str().map(str::to_owned);
                                welcomed = true;
                                let join = json!({"type":"join_room","room":plan.room});
                                if sink.send(Message::text(join.to_string())).await.is_err() { break None; }
                                for (seq, content) in &pending {
                                    let frame = json!({"type":"message","content":content,"txn_id":format!("{}-{seq}", plan.id),"room":plan.room});
                                    if sink.send(Message::text(frame.to_string())).await.is_err() { break; }
                                    tally.resent.fetch_add(1, Relaxed);
                                }
                            }
                            Some("message") if value["from_id"].as_u64() == user => {
                                let acked = value["txn_id"].as_str()
                                    .and_then(|t| t.rsplit_once('-'))
                                    .and_then(|(_, s)| s.parse::<u64>().ok())
                                    .and_then(|s| pending.remove(&s));
                                if let Some(content) = acked {
                                    tally.acked.lock().unwrap().push(content);
                                }
                            }
                            Some("error") => {
                                let code = value["content"]["code"].as_str().unwrap_or("none");
                                tally.error(format!("error {code}: {}", value["content"]["message"]));
                            }
                            _ => {}
                        }
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let code = frame.as_ref().map_or(0, |f| u16::from(f.code));
                        if code != 1012 {
                            tally.error(format!("closed by the server with {code}"));
                        }
                        break None;
                    }
                    Some(Ok(_)) => {}
                    // The server was killed: reconnect.
                    Some(Err(_)) | None => break None,
                },
            }
        };
        match churn {
            Some(Churn::CloseAndResume) => {
                let close = CloseFrame {
                    code: 4000.into(),
                    reason: "resuming".into(),
                };
                let _ = sink.send(Message::Close(Some(close))).await;
            }
            Some(Churn::Vanish) => drop((sink, stream)),
            Some(Churn::StartOver) => {
                let _ = sink.send(Message::Close(None)).await;
                token = None;
                user = None;
            }
            None => {}
        }
    }
    tally.unacked.fetch_add(pending.len() as u64, Relaxed);
}

use std::sync::atomic::Ordering::Relaxed;

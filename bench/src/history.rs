//! `history`: fills rooms, then times how long newcomers wait for their history.

use crate::client::{self, Common};
use futures_util::SinkExt;
use hdrhistogram::Histogram;
use std::time::Instant;
use tokio_tungstenite::tungstenite::Message;

#[derive(clap::Args)]
pub struct Args {
    /// Messages stored in each room first (Confab keeps and sends the last 100).
    #[arg(long, default_value_t = 100)]
    messages: usize,
    /// Newcomers to time.
    #[arg(long, default_value_t = 50)]
    joins: usize,
}

pub async fn run(common: &Common, args: Args) -> anyhow::Result<()> {
    let mut writer = client::connect_many(&common.url, 1, 1).await?.remove(0);
    writer
        .send(Message::text(r#"{"type":"join_room","room":"random"}"#))
        .await?;
    client::wait_for(&mut writer, "room_joined").await?;
    let filled = Instant::now();
    for room in ["general", "random"] {
        for i in 0..args.messages {
            let text = format!(
                r#"{{"type":"message","room":"{room}","content":"history {i} {}","txn_id":"h{room}{i}"}}"#,
                "x".repeat(48)
            );
            writer.send(Message::text(text)).await?;
            client::wait_for(&mut writer, "message").await?; // stored and echoed
        }
    }
    println!(
        "history: stored {} messages one at a time in {:.2} s ({:.0}/s, each awaited)",
        2 * args.messages,
        filled.elapsed().as_secs_f64(),
        (2 * args.messages) as f64 / filled.elapsed().as_secs_f64()
    );
    let mut on_connect = Histogram::<u64>::new(3)?;
    let mut on_join = Histogram::<u64>::new(3)?;
    for _ in 0..args.joins {
        let started = Instant::now();
        let (mut socket, _) = tokio_tungstenite::connect_async(&common.url).await?;
        let history = client::wait_for(&mut socket, "history").await?;
        on_connect.record(started.elapsed().as_micros() as u64)?;
        anyhow::ensure!(history.matches(r#""type":"message""#).count() >= args.messages.min(100));
        let started = Instant::now();
        socket
            .send(Message::text(r#"{"type":"join_room","room":"random"}"#))
            .await?;
        client::wait_for(&mut socket, "room_joined").await?;
        on_join.record(started.elapsed().as_micros() as u64)?;
        socket.close(None).await?;
    }
    let ms = |h: &Histogram<u64>, q: f64| h.value_at_quantile(q) as f64 / 1e3;
    println!(
        "connect → history of {} messages: p50 {:.2} ms, p99 {:.2} ms ({} newcomers, handshake included)",
        args.messages.min(100),
        ms(&on_connect, 0.5),
        ms(&on_connect, 0.99),
        args.joins
    );
    println!(
        "join_room → room_joined with its history: p50 {:.2} ms, p99 {:.2} ms",
        ms(&on_join, 0.5),
        ms(&on_join, 0.99)
    );
    Ok(())
}

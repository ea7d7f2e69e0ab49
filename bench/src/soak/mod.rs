//! `soak`: Confab under churn for minutes on end, with kill -9 restarts, then a
//! count of what was lost or doubled, and the server's memory over time.
//!
//! The tool starts the server itself (`--binary`), so that it can crash it.
//! Clients chat in a few rooms at a steady rate and keep disconnecting (closing
//! to resume, vanishing, or starting over as someone new); every
//! `--restart-every` seconds the server is killed with SIGKILL and started
//! again on the same database. At the end the server is restarted cleanly and
//! every room's stored history is read back: each acknowledged message must be
//! there exactly once.

mod client;
mod server;
mod verify;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// The confab binary to soak.
    #[arg(long, default_value = "target/release/confab")]
    binary: PathBuf,
    /// How long the clients chat.
    #[arg(long, default_value_t = 10.0)]
    minutes: f64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 30)]
    clients: usize,
    /// Messages a second each client sends.
    #[arg(long, default_value_t = 2.0)]
    rate: f64,
    /// Mean seconds between one client's deliberate disconnects.
    #[arg(long, default_value_t = 20.0)]
    churn_every: f64,
    /// Seconds between kill -9 restarts of the server.
    #[arg(long, default_value_t = 120)]
    restart_every: u64,
}

const ROOMS: [&str; 3] = ["general", "random", "gaming"];

/// What the clients saw.
#[derive(Default)]
pub struct Tally {
    pub sent: AtomicU64,
    pub resent: AtomicU64,
    pub connects: AtomicU64,
    /// A resume that came back as a different user.
    pub identity_lost: AtomicU64,
    /// Sent, never acknowledged, when the client gave up.
    pub unacked: AtomicU64,
    pub acked: Mutex<Vec<String>>,
    errors: Mutex<HashMap<String, u64>>,
}

impl Tally {
    pub fn error(&self, what: String) {
        *self.errors.lock().unwrap().entry(what).or_default() += 1;
    }
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("confab-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("soak.db");
    let mut server = server::Supervised::start(&args.binary, &db)?;
    let base = format!("ws://{}", server.addr);
    println!(
        "soak: {} clients, {} msg/s each, {} min, kill -9 every {} s, server at {}",
        args.clients, args.rate, args.minutes, args.restart_every, server.addr
    );
    let began = Instant::now();
    let until = began + Duration::from_secs_f64(args.minutes * 60.0);
    let tally = Arc::new(Tally::default());
    let clients: Vec<_> = (0..args.clients)
        .map(|id| {
            let plan = client::Plan {
                id,
                base: base.clone(),
                room: ROOMS[id % ROOMS.len()].to_owned(),
                per_second: args.rate,
                churn_every: args.churn_every,
                until,
            };
            tokio::spawn(client::run(plan, tally.clone()))
        })
        .collect();

    let mut samples = Vec::new();
    let mut next_crash = began + Duration::from_secs(args.restart_every);
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    while Instant::now() < until {
        tick.tick().await;
        samples.extend(server.sample(began.elapsed()));
        if Instant::now() >= next_crash && Instant::now() + Duration::from_secs(20) < until {
            server.crash_and_restart()?;
            next_crash += Duration::from_secs(args.restart_every);
        }
    }
    for client in clients {
        client.await?;
    }
    samples.extend(server.sample(began.elapsed()));
    println!(
        "clients done: sent {}, acknowledged {}, unacknowledged {}, errors {:?}",
        tally.sent.load(Relaxed),
        tally.acked.lock().unwrap().len(),
        tally.unacked.load(Relaxed),
        tally.errors.lock().unwrap()
    );
    server.restart_cleanly()?;
    let stored = verify::read_back(&base, &ROOMS).await?;
    server.stop()?;
    report(&args, &tally, &samples, &stored, server.restarts);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}

fn report(
    args: &Args,
    tally: &Tally,
    samples: &[server::RssSample],
    stored: &HashMap<String, u32>,
    restarts: u32,
) {
    let acked = tally.acked.lock().unwrap();
    let lost = acked.iter().filter(|c| !stored.contains_key(*c)).count();
    let doubled = stored.values().filter(|n| **n > 1).count();
    let unacked_stored = stored.len().saturating_sub(acked.len() - lost);
    println!(
        "\n== soak: {} min, {restarts} kill -9 restarts",
        args.minutes
    );
    println!(
        "sent {}, resent after reconnects {}, connections {}, acknowledged {}",
        tally.sent.load(Relaxed),
        tally.resent.load(Relaxed),
        tally.connects.load(Relaxed),
        acked.len()
    );
    println!(
        "stored {} (of which never acknowledged: {unacked_stored}); still unacknowledged at the end: {}",
        stored.len(),
        tally.unacked.load(Relaxed)
    );
    println!("LOST (acknowledged, not stored): {lost}");
    println!("DOUBLED (stored more than once): {doubled}");
    println!(
        "resumes that came back as another user: {}",
        tally.identity_lost.load(Relaxed)
    );
    let errors = tally.errors.lock().unwrap();
    if errors.is_empty() {
        println!("errors: none");
    }
    for (what, count) in errors.iter() {
        println!("error x{count}: {what}");
    }
    println!("\nRSS over time (MB), one line a server run: first sample, after 60 s, last");
    let runs = samples.iter().map(|s| s.run).max().unwrap_or(0);
    for run in 0..=runs {
        let of_run: Vec<_> = samples.iter().filter(|s| s.run == run).collect();
        let (Some(first), Some(last)) = (of_run.first(), of_run.last()) else {
            continue;
        };
        let warm = of_run
            .iter()
            .find(|s| s.at >= first.at + Duration::from_secs(60))
            .unwrap_or(last);
        let mb = |s: &server::RssSample| s.rss_bytes as f64 / 1e6;
        println!(
            "run {run}: {:.1} at {:.0} s, {:.1} at {:.0} s, {:.1} at {:.0} s",
            mb(first),
            first.at.as_secs_f64(),
            mb(warm),
            warm.at.as_secs_f64(),
            mb(last),
            last.at.as_secs_f64()
        );
    }
}

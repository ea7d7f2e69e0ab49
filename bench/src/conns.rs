//! `conns`: many idle clients; how long until all are welcomed, and what each costs.

use crate::client::{self, Common};
use crate::proc_stats;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Idle clients to open.
    #[arg(long, default_value_t = 10_000)]
    clients: usize,
    /// Seconds to hold them open after the last welcome, before measuring memory.
    #[arg(long, default_value_t = 2)]
    settle: u64,
}

pub async fn run(common: &Common, args: Args) -> anyhow::Result<()> {
    let pid = common.pid.map(|p| p.to_string());
    let before = pid.as_deref().and_then(proc_stats::sample);
    let started = Instant::now();
    let sockets = client::connect_many(&common.url, args.clients, common.handshakes).await?;
    let seated = started.elapsed();
    println!(
        "conns: {} clients welcomed in {:.2} s ({})",
        args.clients,
        seated.as_secs_f64(),
        common.url
    );
    tokio::time::sleep(Duration::from_secs(args.settle)).await;
    let after = pid.as_deref().and_then(proc_stats::sample);
    if let (Some(before), Some(after)) = (before, after) {
        let per = after.rss_bytes.saturating_sub(before.rss_bytes) as f64 / args.clients as f64;
        println!(
            "server RSS {:.1} MB → {:.1} MB: {:.1} KB per connection; CPU {:.2} s",
            before.rss_bytes as f64 / 1e6,
            after.rss_bytes as f64 / 1e6,
            per / 1e3,
            after.cpu_secs - before.cpu_secs
        );
    }
    drop(sockets);
    Ok(())
}

//! `confab-bench`: load for any server that speaks the tutorial's chat protocol.
//!
//! - `fanout`: N clients in one room; S of them send, at a fixed rate or as fast as
//!   a bounded window of unacknowledged messages allows. Every message carries its
//!   sender, sequence number and send time, so each receiver counts losses,
//!   duplicates and reordering, and latency. With `--receipts`, typing and read
//!   receipts ride along.
//! - `conns`: N idle clients; time until all are welcomed, and memory per connection.
//! - `history`: time from connecting to holding the room's history.
//! - `soak`: minutes of churn and kill -9 restarts of a Confab it starts itself,
//!   then lost and doubled counts and memory over time.
//!
//! With `--pid`, the server's CPU time and RSS are sampled from `/proc`, and the
//! tool's own CPU is reported beside them (on 2 cores the two compete).

mod client;
mod conns;
mod fanout;
mod history;
mod proc_stats;
mod receipts;
mod soak;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "confab-bench", about, version)]
struct Cli {
    /// WebSocket URL of the server.
    #[arg(long, global = true, default_value = "ws://127.0.0.1:8080/")]
    url: String,
    /// Server process id, to sample its CPU time and memory from /proc.
    #[arg(long, global = true)]
    pid: Option<u32>,
    /// Handshakes in flight at once while connecting.
    #[arg(long, global = true, default_value_t = 64)]
    handshakes: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Fanout(fanout::Args),
    Conns(conns::Args),
    History(history::Args),
    /// Churn, kill -9 restarts, and a count of lost and doubled messages.
    Soak(soak::Args),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Thousands of sockets need more descriptors than the usual soft limit of 1024.
    rlimit::increase_nofile_limit(u64::MAX)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let common = client::Common {
        url: cli.url,
        pid: cli.pid,
        handshakes: cli.handshakes,
    };
    runtime.block_on(async move {
        match cli.command {
            Command::Fanout(args) => fanout::run(&common, args).await,
            Command::Conns(args) => conns::run(&common, args).await,
            Command::History(args) => history::run(&common, args).await,
            Command::Soak(args) => soak::run(args).await,
        }
    })
}

//! `fanout`: one room, many readers, some senders; what arrives, how fast, and at what cost.

use crate::client::{self, Common, Socket};
use crate::proc_stats;
use crate::receipts;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::Message;

#[derive(clap::Args)]
pub struct Args {
    /// Clients in the room (all of them read).
    #[arg(long, default_value_t = 200)]
    clients: usize,
    /// How many of the clients send.
    #[arg(long, default_value_t = 20)]
    senders: usize,
    /// Messages per second per sender; 0 means as fast as `--window` allows.
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// Messages a sender may have unacknowledged (not yet echoed back) when `--rate 0`.
    #[arg(long, default_value_t = 16)]
    window: usize,
    /// Seconds of sending.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Message content size in bytes.
    #[arg(long, default_value_t = 64)]
    size: usize,
    /// Start every sender's clock at the same instant, so all of them send together
    /// (bursts of `--senders` messages). By default each sender starts at its own
    /// point within the period, as independent people do.
    #[arg(long)]
    aligned: bool,
    /// Whether the server echoes messages to their sender (Confab does; the
    /// tutorial's server does not, and then `--rate 0` is not available).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    echo: bool,
    /// Confab's typing indicators and read receipts mixed in: each sender says
    /// `typing` before every message, and every client sends `read` for the
    /// newest message it has once a second.
    #[arg(long)]
    receipts: bool,
}

/// What one receiver saw.
struct Seen {
    received: u64,
    duplicates: u64,
    reordered: u64,
    latency_us: Histogram<u64>,
}

pub async fn run(common: &Common, args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.senders <= args.clients,
        "--senders must not exceed --clients"
    );
    anyhow::ensure!(
        args.rate > 0.0 || args.echo,
        "--rate 0 needs a server that echoes"
    );
    println!(
        "fanout: {} clients, {} senders × {}, {} B content, {} s{}, {}",
        args.clients,
        args.senders,
        if args.rate > 0.0 {
            let phase = if args.aligned {
                "all at once"
            } else {
                "phases spread"
            };
            format!("{} msg/s ({phase})", args.rate)
        } else {
            format!("max (window {})", args.window)
        },
        args.size,
        args.seconds,
        if args.receipts {
            ", typing and reads"
        } else {
            ""
        },
        common.url
    );
    let started = Instant::now();
    let sockets = client::connect_many(&common.url, args.clients, common.handshakes).await?;
    println!(
        "connected {} clients in {:.2} s",
        args.clients,
        started.elapsed().as_secs_f64()
    );

    let base = Instant::now();
    let received = Arc::new(AtomicU64::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let windows: Vec<_> = (0..args.senders)
        .map(|_| Arc::new(Semaphore::new(args.window)))
        .collect();
    let mut readers = Vec::new();
    let mut sinks = Vec::new();
    let mut newest = Vec::new();
    for (index, socket) in sockets.into_iter().enumerate() {
        let (sink, stream) = socket.split();
        sinks.push(receipts::shared(sink));
        newest.push(Arc::new(AtomicU64::new(0)));
        let own_window = windows.get(index).cloned();
        let counters = Counters {
            received: received.clone(),
            newest: newest[index].clone(),
        };
        let task = read(
            stream,
            index,
            args.senders,
            own_window,
            base,
            counters,
            stop_rx.clone(),
        );
        readers.push(tokio::spawn(task));
    }
    // Let every client drain its join announcements before timing starts.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let server_before = common.pid.and_then(|p| proc_stats::sample(&p.to_string()));
    let tool_before = proc_stats::sample("self");
    let sending_started = Instant::now();
    let deadline = sending_started + Duration::from_secs(args.seconds);
    let reporters = match args.receipts {
        true => receipts::report_reads(&sinks, &newest, sending_started, deadline),
        false => Vec::new(),
    };
    let senders: Vec<_> = sinks
        .iter()
        .take(args.senders)
        .cloned()
        .zip(windows)
        .enumerate()
        .map(|(i, (sink, window))| {
            let pace = (args.rate > 0.0).then(|| {
                let period = Duration::from_secs_f64(1.0 / args.rate);
                let phase = if args.aligned {
                    Duration::ZERO
                } else {
                    period.mul_f64(i as f64 / args.senders as f64)
                };
                (sending_started + phase, period)
            });
            let sender = Sender {
                index: i,
                pace,
                window,
                size: args.size,
                typing: args.receipts,
            };
            tokio::spawn(send(sink, sender, base, deadline))
        })
        .collect();
    let mut sent = 0;
    for sender in senders {
        sent += sender.await??;
    }
    let per_message = if args.echo {
        args.clients
    } else {
        args.clients - 1
    } as u64;
    let expected = sent * per_message;
    // Drain: wait while deliveries still arrive, up to 10 s of silence.
    let mut last = (received.load(Ordering::Relaxed), Instant::now());
    while received.load(Ordering::Relaxed) < expected && last.1.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = received.load(Ordering::Relaxed);
        if now != last.0 {
            last = (now, Instant::now());
        }
    }
    // Up to the last delivery, not the end of the wait for stragglers.
    let elapsed = last
        .1
        .duration_since(sending_started)
        .max(Duration::from_millis(1));
    let server_after = common.pid.and_then(|p| proc_stats::sample(&p.to_string()));
    let tool_after = proc_stats::sample("self");
    stop_tx.send(true)?;
    // Only now: a reporter ends at its first tick past the deadline, up to a
    // second later, which must not count as time spent delivering.
    let mut reads = 0;
    for reporter in reporters {
        reads += reporter.await??;
    }

    let mut total = Seen {
        received: 0,
        duplicates: 0,
        reordered: 0,
        latency_us: histogram(),
    };
    for reader in readers {
        let seen = reader.await?;
        total.received += seen.received;
        total.duplicates += seen.duplicates;
        total.reordered += seen.reordered;
        total.latency_us.add(&seen.latency_us)?;
    }
    drop(sinks);
    let unique = total.received - total.duplicates;
    let lost = expected.saturating_sub(unique);
    let rate = total.received as f64 / elapsed.as_secs_f64();
    println!(
        "sent {sent} messages ({:.0} msg/s acknowledged and stored)",
        sent as f64 / args.seconds as f64
    );
    if args.receipts {
        println!("sent {sent} typing and {reads} read frames besides");
    }
    println!(
        "deliveries: expected {expected}, received {} (lost {lost}, duplicated {}, reordered {}); delivered/asked {:.2}",
        total.received,
        total.duplicates,
        total.reordered,
        unique as f64 / expected.max(1) as f64
    );
    println!("deliveries/s: {rate:.0}");
    let h = &total.latency_us;
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        h.value_at_quantile(0.5) as f64 / 1e3,
        h.value_at_quantile(0.9) as f64 / 1e3,
        h.value_at_quantile(0.99) as f64 / 1e3,
        h.max() as f64 / 1e3
    );
    if let Some(cpu) = proc_stats::cpu_between(server_before, server_after) {
        let rss = server_after.map_or(0, |s| s.rss_bytes) as f64 / 1e6;
        println!(
            "server: CPU {cpu:.2} s = {:.2} µs per delivery; RSS {rss:.1} MB",
            cpu * 1e6 / total.received.max(1) as f64
        );
    }
    if let Some(cpu) = proc_stats::cpu_between(tool_before, tool_after) {
        println!("load tool: CPU {cpu:.2} s (it shares the machine with the server)");
    }
    Ok(())
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid bounds")
}

/// One sending client.
struct Sender {
    index: usize,
    /// When to send the first message, and the time between messages; `None`
    /// sends whenever `window` allows.
    pace: Option<(Instant, Duration)>,
    window: Arc<Semaphore>,
    size: usize,
    /// Say `typing` before each message.
    typing: bool,
}

/// What a reader adds to: deliveries of all, and the newest message id it holds.
struct Counters {
    received: Arc<AtomicU64>,
    newest: Arc<AtomicU64>,
}

/// Sends `sender:seq:sent_at_ns:padding` messages until `deadline`; returns how many.
async fn send(
    sink: receipts::SharedSink,
    Sender {
        index: sender,
        pace,
        window,
        size,
        typing,
    }: Sender,
    base: Instant,
    deadline: Instant,
) -> anyhow::Result<u64> {
    let mut ticker = pace.map(|(first, period)| tokio::time::interval_at(first.into(), period));
    let mut seq = 0u64;
    while Instant::now() < deadline {
        match ticker.as_mut() {
            Some(t) => {
                t.tick().await;
            }
            None => match tokio::time::timeout_at(deadline.into(), window.acquire()).await {
                Ok(permit) => permit?.forget(),
                Err(_) => break,
            },
        }
        seq += 1;
        let stamp = format!("{sender}:{seq}:{}:", base.elapsed().as_nanos());
        let content = format!("{stamp}{}", "x".repeat(size.saturating_sub(stamp.len())));
        let frame = format!(r#"{{"type":"message","content":"{content}"}}"#);
        let mut sink = sink.lock().await;
        if typing {
            sink.feed(Message::text(receipts::TYPING)).await?;
        }
        sink.send(Message::text(frame)).await?;
    }
    Ok(seq)
}

/// Reads until told to stop, checking every benchmark message's sequence.
async fn read(
    mut stream: futures_util::stream::SplitStream<Socket>,
    me: usize,
    senders: usize,
    own_window: Option<Arc<Semaphore>>,
    base: Instant,
    Counters { received, newest }: Counters,
    mut stop: watch::Receiver<bool>,
) -> Seen {
    let mut seen = Seen {
        received: 0,
        duplicates: 0,
        reordered: 0,
        latency_us: histogram(),
    };
    let mut last_seq = vec![0u64; senders];
    loop {
        let frame = tokio::select! {
            frame = stream.next() => frame,
            _ = stop.changed() => break,
        };
        let Some(Ok(Message::Text(text))) = frame else {
            if matches!(frame, None | Some(Err(_))) {
                break;
            }
            continue;
        };
        let Some(content) = client::content_of(text.as_str()) else {
            continue;
        };
        if let Some(id) = client::id_of(text.as_str()) {
            newest.fetch_max(id, Ordering::Relaxed);
        }
        let mut parts = content.splitn(4, ':');
        let (Some(Ok(sender)), Some(Ok(seq)), Some(Ok(at))) = (
            parts.next().map(str::parse::<usize>),
            parts.next().map(str::parse::<u64>),
            parts.next().map(str::parse::<u128>),
        ) else {
            continue;
        };
        let now = base.elapsed().as_nanos();
        let _ = seen
            .latency_us
            .record((now.saturating_sub(at) / 1000).max(1) as u64);
        seen.received += 1;
        received.fetch_add(1, Ordering::Relaxed);
        if let Some(last) = last_seq.get_mut(sender) {
            if seq == *last {
                seen.duplicates += 1;
            } else if seq < *last {
                seen.reordered += 1;
            } else {
                *last = seq;
            }
        }
        if sender == me
            && let Some(window) = &own_window
        {
            window.add_permits(1);
        }
    }
    seen
}

//! The core's hot paths, per message: decode what a client sent, route a stored
//! message to a room of 200, encode a frame. `cargo bench -p confab`.

use confab::chat::ports::{Snapshot, StoredMessage, StoredRoom, Write};
use confab::chat::{Arrival, Hub, HubSettings, Inbox, outbox};
use confab_shared::client;
use confab_shared::server::ServerMessage;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

const ROOM: usize = 200;
const FRAME: &str = r#"{"type":"message","content":"0:123:45678901234:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","txn_id":"t-1"}"#;

fn decode(c: &mut Criterion) {
    c.bench_function("decode a message frame", |b| {
        b.iter(|| client::decode(black_box(FRAME)))
    });
}

fn encode(c: &mut Criterion) {
    let message = ServerMessage::Message {
        from_id: 7,
        from_name: "User7".into(),
        content: "x".repeat(64),
        timestamp: 1_795_000_000,
        txn_id: None,
        id: Some(12345),
        room: Some("general".into()),
        reply_to: None,
        attachments: Vec::new(),
    };
    c.bench_function("encode a message frame", |b| {
        b.iter(|| black_box(&message).encode())
    });
}

fn route(c: &mut Criterion) {
    let (persist, _stored) = mpsc::channel(16);
    let settings = HubSettings {
        resume_grace: Duration::ZERO,
        max_rooms: 10,
        big_room: 1000,
        room_create_per_hour: 10,
        room_archive_after: None,
        flood_repeats: 0,
        flood_strikes: 0,
        flood_mute: Duration::from_secs(60),
    };
    let snapshot = Snapshot {
        rooms: vec![StoredRoom {
            name: "general".into(),
            read_only: false,
            recent: vec![],
            last_position: 0,
        }],
        max_user_id: 0,
        ..Snapshot::default()
    };
    let mut hub = Hub::new(settings, persist, snapshot);
    let queues: Vec<Inbox> = (0..ROOM)
        .map(|_| {
            let (outbox, inbox) = outbox::channel(4096);
            hub.connect(outbox, Arrival::default());
            inbox
        })
        .collect();
    let mut id = 0;
    let mut group = c.benchmark_group("route a stored message");
    group.throughput(Throughput::Elements(ROOM as u64));
    group.bench_function("to a room of 200 (per delivery)", |b| {
        b.iter(|| {
            id += 1;
            let message = StoredMessage {
                room: "general".into(),
                id,
                from_id: 1,
                from_name: "User1".into(),
                content: "x".repeat(64),
                timestamp: 1_795_000_000,
                txn_id: None,
                session: 1,
                deleted: false,
                edited_at: None,
                rev: 0,
                reply_to: None,
                attachments: Vec::new(),
                reactions: Vec::new(),
            };
            hub.committed(&[Write::Message(Arc::new(message))], true);
            for queue in &queues {
                black_box(queue.try_recv(usize::MAX));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, decode, encode, route);
criterion_main!(benches);

//! A sequence of client actions applied to the chat core against the in-memory
//! store, with the invariants checked after every step: rooms and members list
//! each other, no member stays without a connection past the grace period, and
//! each connection sees a room's message ids only increase.

use super::now_ready;
use crate::chat::memory_store::MemoryStore;
use crate::chat::outbox::{self, Inbox, Received};
use crate::chat::ports::{Store, Write};
use crate::chat::{Arrival, Departure, Hub, HubSettings, SessionId};
use confab_shared::MessageId;
use confab_shared::limits::MAX_HISTORY;
use confab_shared::server::ServerMessage;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const SLOTS: usize = 6;
const GRACE: Duration = Duration::from_secs(30);

/// Reads the fuzzer's bytes as choices; zeros once they run out.
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }
    fn pick(&mut self, n: usize) -> usize {
        usize::from(self.byte().unwrap_or(0)) % n
    }
    fn text(&mut self) -> String {
        let len = self.pick(64);
        let (taken, rest) = self.0.split_at(len.min(self.0.len()));
        self.0 = rest;
        String::from_utf8_lossy(taken).into_owned()
    }
}

#[derive(Default)]
struct Slot {
    live: Option<(SessionId, Inbox)>,
    token: Option<String>,
    /// The last message id this connection saw live, per room.
    seen: HashMap<String, MessageId>,
    /// How often each `txn_id` was sent: a repeated one is answered with the
    /// first one's message again (its id included), which is no disorder.
    txns: HashMap<String, u32>,
}

struct World {
    hub: Hub,
    store: Arc<MemoryStore>,
    stored: mpsc::Receiver<Write>,
    slots: Vec<Slot>,
    now: Instant,
}

fn settings() -> HubSettings {
    HubSettings {
        resume_grace: GRACE,
        max_rooms: 6,
        big_room: 3,
        room_create_per_hour: 100,
        room_archive_after: Some(Duration::from_secs(120)),
        flood_repeats: 5,
        flood_strikes: 3,
        flood_mute: Duration::from_secs(300),
    }
}

fn new_hub(store: &MemoryStore) -> (Hub, mpsc::Receiver<Write>) {
    let snapshot = now_ready(store.load(MAX_HISTORY)).expect("the memory store loads");
    let (persist, stored) = mpsc::channel(4096);
    (Hub::new(settings(), persist, snapshot), stored)
}

/// A hub with one member, for the inbound frame target.
pub(super) fn one_member() -> (Hub, SessionId) {
    let (mut hub, _) = new_hub(&MemoryStore::seeded());
    let (outbox, _inbox) = outbox::channel(1 << 16);
    let session = hub.apply(|hub| hub.connect(outbox, Arrival::default()));
    (hub, session)
}

const ROOMS: [&str; 4] = ["general", "random", "lounge", "x"];

/// One client frame: mostly well-formed requests with chosen fields, sometimes
/// the fuzzer's own text.
fn frame(choices: &mut Choices) -> String {
    let room = ROOMS[choices.pick(ROOMS.len())];
    let text = choices.text();
    let n = choices.pick(8) as u64;
    let value = match choices.pick(12) {
        0 => serde_json::json!({"type":"message","content":text,"txn_id":format!("t{n}")}),
        1 => serde_json::json!({"type":"message","content":text,"room":room}),
        2 => serde_json::json!({"type":"set_name","name":text}),
        3 => serde_json::json!({"type":"private_message","to_id":n,"content":text}),
        4 => serde_json::json!({"type":"create_room","room":room}),
        5 => serde_json::json!({"type":"join_room","room":room}),
        6 => serde_json::json!({"type":"leave_room","room":room}),
        7 => serde_json::json!({"type":"get_history","room":room,"before_id":n}),
        8 => serde_json::json!({"type":"get_users","room":room}),
        9 => serde_json::json!({"type":"get_stats"}),
        10 => serde_json::json!({"type":"list_rooms"}),
        // Drawn here, not above, so earlier corpus inputs keep their meaning.
        _ => match choices.pick(4) {
            0 => serde_json::json!({"type":"read","room":room,"id":n}),
            1 => serde_json::json!({"type":"typing","room":room}),
            2 => serde_json::json!({"type":"edit_message","room":room,"id":n,"content":text}),
            _ => return text,
        },
    };
    value.to_string()
}

pub fn core_sequence(data: &[u8]) {
    let store = MemoryStore::seeded();
    let (hub, stored) = new_hub(&store);
    let mut world = World {
        hub,
        store,
        stored,
        slots: (0..SLOTS).map(|_| Slot::default()).collect(),
        now: Instant::now(),
    };
    let mut choices = Choices(data);
    while let Some(action) = choices.byte() {
        let slot = choices.pick(SLOTS);
        match action % 8 {
            0 => world.connect(slot, &mut choices),
            1 | 2 => world.send(slot, &mut choices),
            3 => world.disconnect(slot, &mut choices),
            4 => world.commit(choices.pick(4) != 0),
            5 => world.now += Duration::from_secs(choices.pick(40) as u64),
            6 => world.read(slot),
            _ => world.hub.apply(|hub| {
                hub.announce_counts();
                hub.announce_reads();
                hub.announce_typing();
            }),
        }
        let now = world.now;
        world.hub.apply(|hub| hub.expire(now));
        if let Err(broken) = world.hub.check_invariants(now) {
            panic!("invariant broken: {broken}");
        }
    }
}

impl World {
    fn connect(&mut self, slot: usize, choices: &mut Choices) {
        if self.slots[slot].live.is_some() {
            return;
        }
        let resume = if choices.pick(2) == 0 {
            self.slots[slot].token.clone()
        } else {
            None
        };
        let (outbox, inbox) = outbox::channel(4 + choices.pick(64));
        let arrival = Arrival {
            resume,
            resumable: choices.pick(4) != 0,
            ..Arrival::default()
        };
        let session = self.hub.apply(|hub| hub.connect(outbox, arrival));
        let slot = &mut self.slots[slot];
        slot.live = Some((session, inbox));
        slot.seen.clear();
    }

    fn send(&mut self, slot: usize, choices: &mut Choices) {
        let Some((session, _)) = &self.slots[slot].live else {
            return;
        };
        let session = *session;
        let text = frame(choices);
        if let Some(txn) = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["txn_id"].as_str().map(str::to_owned))
        {
            *self.slots[slot].txns.entry(txn).or_default() += 1;
        }
        if let Some(followup) = self.hub.apply(|hub| hub.handle_text(session, &text)) {
            let answer = now_ready(followup.ask(self.store.as_ref()));
            self.hub.apply(|hub| hub.complete(followup, answer));
        }
    }

    fn disconnect(&mut self, slot: usize, choices: &mut Choices) {
        let Some((session, _)) = self.slots[slot].live.take() else {
            return;
        };
        let departure = if choices.pick(2) == 0 {
            Departure::Left
        } else {
            Departure::Dropped
        };
        self.hub.apply(|hub| hub.disconnect(session, departure));
    }

    /// The group commit: stores (or fails to store) everything queued.
    fn commit(&mut self, ok: bool) {
        let mut batch = Vec::new();
        while let Ok(write) = self.stored.try_recv() {
            batch.push(write);
        }
        let ok = ok && now_ready(self.store.write(&batch)).is_ok();
        self.hub.apply(|hub| hub.committed(&batch, ok));
    }

    /// Reads what a connection was sent, as its socket would; an eviction ends
    /// the connection as the socket's task would.
    fn read(&mut self, slot: usize) {
        let Some((session, inbox)) = &mut self.slots[slot].live else {
            return;
        };
        let session = *session;
        let mut ended = false;
        let mut messages = Vec::new();
        while let Some(received) = inbox.try_recv(usize::MAX) {
            match received {
                Received::Frames(frames) => messages.extend(frames.into_iter().map(|frame| {
                    serde_json::from_str::<ServerMessage>(frame.as_str())
                        .expect("the server's frames decode")
                })),
                Received::Closed(_) => {
                    ended = true;
                    break;
                }
            }
        }
        for message in messages {
            note(&mut self.slots[slot], message);
        }
        if ended {
            self.slots[slot].live = None;
            self.hub
                .apply(|hub| hub.disconnect(session, Departure::Dropped));
        }
    }
}

fn note(slot: &mut Slot, message: ServerMessage) {
    match message {
        ServerMessage::Welcome { content, .. } => slot.token = content.resume_token,
        ServerMessage::Message {
            id: Some(id),
            room: Some(room),
            txn_id,
            ..
        } => {
            if txn_id.is_some_and(|t| slot.txns.get(&t).is_some_and(|n| *n > 1)) {
                return;
            }
            let last = slot.seen.insert(room.clone(), id);
            assert!(
                last.is_none_or(|last| last < id),
                "room {room}: id {id} after {last:?}"
            );
        }
        _ => {}
    }
}

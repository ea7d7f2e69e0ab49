//! A [`Store`] in memory, for the core's unit tests: the port is a real seam when
//! the core runs against something other than SQLite.

mod moderation;
mod uploads;

use crate::chat::ports::toggle_reaction;
use crate::chat::ports::{
    ArchivedRoom, Range, SearchQuery, SessionRecord, SessionTxn, Snapshot, Store, StoreError,
    StoredMessage, StoredRoom, Write,
};
use crate::chat::ports::{ConversationSummary, RoomRead, StoredPrivate, StoredUpload};
use confab_shared::limits::SEED_ROOMS;
use confab_shared::moderation::AuditEntry;
use confab_shared::{MessageId, UnixSeconds, UserId};
use futures_util::future::BoxFuture;
use moderation::Moderation;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use uploads::MemoryUploads;

/// Room name → archived or not, and its messages by id.
pub(super) type Rooms = BTreeMap<String, (bool, BTreeMap<MessageId, StoredMessage>)>;

#[derive(Default)]
pub struct MemoryStore {
    rooms: Mutex<Rooms>,
    sessions: Mutex<std::collections::HashMap<u64, SessionRecord>>,
    privates: Mutex<Vec<StoredPrivate>>,
    /// (reader, other side) → read up to this id.
    reads: Mutex<std::collections::HashMap<(UserId, UserId), MessageId>>,
    /// (reader, room) → read up to this id.
    room_reads: Mutex<BTreeMap<(UserId, String), MessageId>>,
    /// Mutes and bans in force, roles, and the audit log (newest last).
    moderation: Mutex<Moderation>,
    uploads: MemoryUploads,
    /// While set, every write fails (a full disk, say).
    pub failing: AtomicBool,
}

impl MemoryStore {
    pub fn seeded() -> Arc<Self> {
        let store = Self::default();
        for room in SEED_ROOMS {
            store.lock().insert(room.into(), (false, BTreeMap::new()));
        }
        Arc::new(store)
    }

    pub fn count(&self, room: &str) -> usize {
        self.lock().get(room).map_or(0, |(_, m)| m.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Rooms> {
        self.rooms.lock().expect("not poisoned")
    }
}

fn refused() -> StoreError {
    StoreError::new("memory store told to fail", "failing")
}

impl Store for MemoryStore {
    fn load(&self, recent_per_room: u32) -> BoxFuture<'_, Result<Snapshot, StoreError>> {
        Box::pin(async move {
            let rooms = self.lock();
            let mut snapshot = Snapshot::default();
            for (name, (archived, messages)) in rooms.iter() {
                if *archived {
                    let last = messages.values().map(StoredMessage::position).max();
                    let next_id = last.map_or(1, |id| id + 1);
                    snapshot.archived.push(ArchivedRoom {
                        name: name.clone(),
                        next_id,
                    });
                    continue;
                }
                let skip = messages.len().saturating_sub(recent_per_room as usize);
                let recent = messages.values().skip(skip).cloned().collect();
                let last_position = messages.values().map(StoredMessage::position).max();
                snapshot.rooms.push(StoredRoom {
                    name: name.clone(),
                    read_only: false,
                    recent,
                    last_position: last_position.unwrap_or(0),
                });
            }
            let moderation = self.moderation.lock().expect("not poisoned");
            snapshot.mutes = moderation.mutes.values().cloned().collect();
            snapshot.bans = moderation.bans.values().cloned().collect();
            snapshot.roles = moderation.roles.iter().map(|(k, v)| (*k, *v)).collect();
            let reads = self.room_reads.lock().unwrap();
            snapshot.reads = reads
                .iter()
                .map(|((user, room), up_to)| RoomRead {
                    user: *user,
                    room: room.clone(),
                    up_to: *up_to,
                })
                .collect();
            Ok(snapshot)
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        let failing = self.failing.load(Ordering::Relaxed);
        Box::pin(async move { if failing { Err(refused()) } else { Ok(()) } })
    }

    fn write<'a>(&'a self, batch: &'a [Write]) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            if self.failing.load(Ordering::Relaxed) {
                return Err(refused());
            }
            let mut rooms = self.lock();
            for write in batch {
                match write {
                    Write::Room { name, .. } => {
                        rooms.entry(name.clone()).or_default().0 = false;
                    }
                    Write::ArchiveRoom { name, .. } => {
                        rooms.entry(name.clone()).or_default().0 = true;
                    }
                    Write::Message(m) => {
                        let room = rooms.entry(m.room.clone()).or_default();
                        room.1.insert(m.id, (**m).clone());
                    }
                    Write::Private(m) => self.privates.lock().unwrap().push((**m).clone()),
                    Write::PrivateRead {
                        user,
                        with_id,
                        up_to,
                    } => {
                        let mut reads = self.reads.lock().unwrap();
                        let marker = reads.entry((*user, *with_id)).or_default();
                        *marker = (*marker).max(*up_to);
                    }
                    Write::Edit(edit) => {
                        let found = rooms
                            .get_mut(&edit.room)
                            .and_then(|(_, m)| m.get_mut(&edit.id));
                        if let Some(message) = found {
                            message.content.clone_from(&edit.content);
                            message.edited_at = Some(edit.edited_at);
                            message.rev = edit.rev;
                        }
                    }
                    Write::React(change) => {
                        let found = rooms
                            .get_mut(&change.room)
                            .and_then(|(_, m)| m.get_mut(&change.id));
                        if let Some(message) = found {
                            let on = change.on;
                            toggle_reaction(&mut message.reactions, &change.emoji, change.user, on);
                            message.rev = change.rev;
                        }
                    }
                    Write::RoomReads(marks) => {
                        let mut reads = self.room_reads.lock().unwrap();
                        for mark in marks {
                            let marker = reads.entry((mark.user, mark.room.clone())).or_default();
                            *marker = (*marker).max(mark.up_to);
                        }
                    }
                    Write::Moderation(write) => {
                        let mut moderation = self.moderation.lock().expect("not poisoned");
                        moderation.apply(write, &mut rooms);
                    }
                    Write::Session(record) => {
                        let mut sessions = self.sessions.lock().unwrap();
                        sessions.insert(record.session, record.clone());
                    }
                }
            }
            Ok(())
        })
    }

    fn history<'a>(
        &'a self,
        room: &'a str,
        range: Range,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<StoredMessage>, StoreError>> {
        Box::pin(async move {
            let rooms = self.lock();
            let Some((_, messages)) = rooms.get(room) else {
                return Ok(Vec::new());
            };
            let limit = limit as usize;
            let found: Vec<_> = match range {
                Range::Latest => messages.values().rev().take(limit).cloned().collect(),
                Range::Before(id) => messages
                    .range(..id)
                    .rev()
                    .take(limit)
                    .map(|(_, m)| m.clone())
                    .collect(),
                Range::After(id) => {
                    let mut found: Vec<_> = messages
                        .values()
                        .filter(|m| m.position() > id)
                        .cloned()
                        .collect();
                    found.sort_by_key(StoredMessage::position);
                    found.truncate(limit);
                    return Ok(found);
                }
            };
            Ok(found.into_iter().rev().collect())
        })
    }

    fn message<'a>(
        &'a self,
        room: &'a str,
        id: MessageId,
    ) -> BoxFuture<'a, Result<Option<StoredMessage>, StoreError>> {
        Box::pin(async move { Ok(self.lock().get(room).and_then(|(_, m)| m.get(&id).cloned())) })
    }

    fn search<'a>(
        &'a self,
        query: &'a SearchQuery,
    ) -> BoxFuture<'a, Result<Vec<StoredMessage>, StoreError>> {
        Box::pin(async move {
            let rooms = self.lock();
            let mut found: Vec<StoredMessage> = query
                .rooms
                .iter()
                .filter_map(|room| rooms.get(room))
                .flat_map(|(_, messages)| messages.values())
                .filter(|m| !m.deleted && confab_shared::search::matches(&m.content, &query.terms))
                .map(|m| StoredMessage {
                    reactions: Vec::new(),
                    ..m.clone()
                })
                .collect();
            found.sort_by_key(|m| std::cmp::Reverse((m.timestamp, m.id)));
            found.truncate(query.limit as usize);
            Ok(found)
        })
    }

    fn private_history(
        &self,
        user: UserId,
        with_id: UserId,
        before: Option<MessageId>,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<StoredPrivate>, StoreError>> {
        Box::pin(async move {
            let between = |m: &&StoredPrivate| {
                (m.from_id, m.to_id) == (user, with_id) || (m.from_id, m.to_id) == (with_id, user)
            };
            let privates = self.privates.lock().unwrap();
            Ok(privates
                .iter()
                .rev()
                .filter(between)
                .filter(|m| before.is_none_or(|b| m.id < b))
                .take(limit as usize)
                .cloned()
                .collect())
        })
    }

    fn conversations(
        &self,
        user: UserId,
    ) -> BoxFuture<'_, Result<Vec<ConversationSummary>, StoreError>> {
        Box::pin(async move {
            let privates = self.privates.lock().unwrap();
            let reads = self.reads.lock().unwrap();
            let mut by_peer = BTreeMap::<UserId, ConversationSummary>::new();
            for m in privates
                .iter()
                .filter(|m| m.from_id == user || m.to_id == user)
            {
                let (peer, peer_name) = match m.from_id == user {
                    true => (m.to_id, &m.to_name),
                    false => (m.from_id, &m.from_name),
                };
                let read = reads.get(&(user, peer)).copied().unwrap_or(0);
                let unread = u32::from(m.to_id == user && m.id > read);
                let entry = by_peer.entry(peer).or_insert_with(|| ConversationSummary {
                    with_id: peer,
                    with_name: peer_name.clone(),
                    last: m.clone(),
                    unread: 0,
                    seen_up_to: reads.get(&(peer, user)).copied(),
                });
                entry.unread += unread;
                if m.id > entry.last.id {
                    entry.last = m.clone();
                    entry.with_name = peer_name.clone();
                }
            }
            let mut found: Vec<_> = by_peer.into_values().collect();
            found.sort_by_key(|c| std::cmp::Reverse(c.last.id));
            Ok(found)
        })
    }

    fn member_session(
        &self,
        session: u64,
    ) -> BoxFuture<'_, Result<Option<SessionRecord>, StoreError>> {
        Box::pin(async move { Ok(self.sessions.lock().unwrap().get(&session).cloned()) })
    }

    fn audit(
        &self,
        before: Option<u64>,
        since: Option<UnixSeconds>,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>> {
        let moderation = self.moderation.lock().expect("not poisoned");
        // Ids are places in the log, from 1.
        let found = (moderation.audit.iter().enumerate().rev())
            .map(|(at, e)| AuditEntry {
                id: Some(at as u64 + 1),
                ..e.clone()
            })
            .filter(|e| before.is_none_or(|b| e.id < Some(b)))
            .filter(|e| since.is_none_or(|s| e.at >= s))
            .take(limit as usize)
            .collect();
        Box::pin(async move { Ok(found) })
    }

    fn save_upload<'a>(
        &'a self,
        upload: &'a StoredUpload,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { self.uploads.save(upload) })
    }

    fn upload<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<StoredUpload>, StoreError>> {
        Box::pin(async move { Ok(self.uploads.get(id)) })
    }

    fn uploaded_bytes_since(
        &self,
        owner: UserId,
        since: UnixSeconds,
    ) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(async move { Ok(self.uploads.bytes_since(owner, since)) })
    }

    fn session_txns(
        &self,
        session: u64,
        since: UnixSeconds,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<SessionTxn>, StoreError>> {
        Box::pin(async move {
            let rooms = self.lock();
            let mut found: Vec<_> = rooms
                .values()
                .flat_map(|(_, messages)| messages.values())
                .filter(|m| m.session == session && m.timestamp >= since)
                .filter_map(|m| {
                    Some((
                        m.timestamp,
                        SessionTxn {
                            room: m.room.clone(),
                            txn_id: m.txn_id.clone()?,
                            id: m.id,
                        },
                    ))
                })
                .collect();
            found.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
            Ok(found
                .into_iter()
                .take(limit as usize)
                .map(|(_, t)| t)
                .collect())
        })
    }
}

//! Durable storage of rooms and public messages, behind the [`Store`] trait so the
//! chat core and its tests do not depend on SQLite.
//!
//! Writes go through one group-commit loop ([`commit`]): the hub queues them, the
//! loop writes everything queued in one transaction, and only then does the hub
//! broadcast, so a sender's echo always means "stored".

pub mod commit;
mod sqlite;

pub use sqlite::SqliteStore;

use confab_shared::server::{HistoryItem, MessageKind};
use confab_shared::{MessageId, UnixSeconds, UserId};
use futures_util::future::BoxFuture;
use std::sync::Arc;
use thiserror::Error;

/// A public message as stored, and as kept in a room's recent history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub room: String,
    pub id: MessageId,
    pub from_id: UserId,
    pub from_name: String,
    pub content: String,
    pub timestamp: UnixSeconds,
    pub txn_id: Option<String>,
}

impl StoredMessage {
    pub fn to_item(&self) -> HistoryItem {
        HistoryItem {
            kind: MessageKind::Message,
            id: self.id,
            room: self.room.clone(),
            from_id: self.from_id,
            from_name: self.from_name.clone(),
            content: self.content.clone(),
            timestamp: self.timestamp,
        }
    }
}

/// One write queued for the group commit.
#[derive(Debug, Clone)]
pub enum Write {
    Room {
        name: String,
        created_at: UnixSeconds,
        by: UserId,
    },
    Message(Arc<StoredMessage>),
}

/// Which stored messages of a room to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    Latest,
    Before(MessageId),
    After(MessageId),
}

/// One room as found at start-up.
#[derive(Debug, Clone)]
pub struct StoredRoom {
    pub name: String,
    /// Its latest messages, oldest first.
    pub recent: Vec<StoredMessage>,
}

/// Everything the hub needs at start-up.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub rooms: Vec<StoredRoom>,
    /// Highest user id that ever sent a message, so ids are never reused.
    pub max_user_id: UserId,
}

#[derive(Debug, Error)]
#[error("storage error: {0}")]
pub struct StoreError(pub String);

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError(error.to_string())
    }
}

/// Durable storage. Implementations must make a batch durable, all or nothing,
/// before `write` resolves.
pub trait Store: Send + Sync + 'static {
    fn load(&self, recent_per_room: u32) -> BoxFuture<'_, Result<Snapshot, StoreError>>;
    fn write<'a>(&'a self, batch: &'a [Write]) -> BoxFuture<'a, Result<(), StoreError>>;
    fn history<'a>(
        &'a self,
        room: &'a str,
        range: Range,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<StoredMessage>, StoreError>>;
}

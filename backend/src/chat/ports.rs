//! The core's ports: what it needs from the outside, as traits it owns, with the
//! domain types they speak.
//!
//! - [`Store`]: durable rooms and messages. `store::SqliteStore` implements it; the
//!   core's unit tests use [`super::memory_store::MemoryStore`].
//! - [`Bus`]: fan-out of stored messages to other nodes. One node needs none:
//!   [`LocalBus`] drops them. A second node's adapter plugs in here.
//!
//! Writes go through one group-commit loop ([`super::commit`]): the hub queues them,
//! the loop writes everything queued in one batch through [`Store::write`], and
//! only then does the hub broadcast, so a sender's echo always means "stored".

use super::moderation::{Ban, ModerationWrite, Mute};
use confab_shared::api::Role;
use confab_shared::moderation::AuditEntry;
use confab_shared::server::{Conversation, HistoryItem, MessageKind, PrivateItem};
use confab_shared::{MessageId, UnixSeconds, UserId};
use futures_util::future::BoxFuture;
use std::sync::Arc;
use thiserror::Error;

pub use super::changes::{MessageEdit, ReactionChange, StoredReaction, toggle_reaction};
pub use super::uploads::StoredUpload;
use confab_shared::attachments::Attachment;

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
    /// The sender's session key: with `room`, the scope of `txn_id`.
    pub session: u64,
    /// Deleted: a tombstone, its content gone.
    pub deleted: bool,
    /// When its sender last edited it.
    pub edited_at: Option<UnixSeconds>,
    /// The room's id when it last changed (edited, deleted); 0 if never.
    pub rev: MessageId,
    /// The message of this room it answers.
    pub reply_to: Option<MessageId>,
    /// Its reactions, in the order first made, each with everyone who made it.
    pub reactions: Vec<StoredReaction>,
    /// Uploaded images it shows.
    pub attachments: Vec<Attachment>,
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
            deleted: self.deleted,
            edited_at: self.edited_at,
            rev: (self.rev > 0).then_some(self.rev),
            reply_to: self.reply_to,
            reactions: self.reactions.iter().map(StoredReaction::to_wire).collect(),
            attachments: self.attachments.clone(),
        }
    }

    /// Where it stands in its room's sequence: its id, or its last change.
    pub fn position(&self) -> MessageId {
        self.id.max(self.rev)
    }
}

/// A private message between accounts, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPrivate {
    pub id: MessageId,
    pub from_id: UserId,
    pub from_name: String,
    pub to_id: UserId,
    pub to_name: String,
    pub content: String,
    pub timestamp: UnixSeconds,
}

impl StoredPrivate {
    pub fn to_item(&self) -> PrivateItem {
        PrivateItem {
            id: self.id,
            from_id: self.from_id,
            from_name: self.from_name.clone(),
            to_id: self.to_id,
            content: self.content.clone(),
            timestamp: self.timestamp,
        }
    }
}

/// One of a user's conversations, as the store sums it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    pub with_id: UserId,
    pub with_name: String,
    pub last: StoredPrivate,
    pub unread: u32,
    /// The last message `with_id` has read.
    pub seen_up_to: Option<MessageId>,
}

impl ConversationSummary {
    pub fn to_wire(&self) -> Conversation {
        Conversation {
            with_id: self.with_id,
            with_name: self.with_name.clone(),
            last: self.last.to_item(),
            unread: self.unread,
            seen_up_to: self.seen_up_to,
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
        read_only: bool,
    },
    Message(Arc<StoredMessage>),
    /// The room was empty and silent long enough: hide it until created again.
    ArchiveRoom {
        name: String,
        at: UnixSeconds,
    },
    /// Who a member is and which rooms it is in, so its session survives a restart.
    Session(SessionRecord),
    /// A private message between accounts.
    Private(Arc<StoredPrivate>),
    /// `user` has read its conversation with `with_id` up to message `up_to`.
    PrivateRead {
        user: UserId,
        with_id: UserId,
        up_to: MessageId,
    },
    /// Accounts' read markers that moved since the last such write, gathered by
    /// the hub twice a second (see `chat::reads`).
    RoomReads(Vec<RoomRead>),
    /// Moderation (see [`super::moderation`]).
    Moderation(ModerationWrite),
    /// A sender's edit of its message.
    Edit(MessageEdit),
    /// A reaction added or taken back.
    React(ReactionChange),
}

/// Account `user` has read `room` up to message `up_to`. The store keeps the
/// larger of this and what it had: a marker never moves back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRead {
    pub user: UserId,
    pub room: String,
    pub up_to: MessageId,
}

/// What is kept of a member for its session to outlive the process: its id, name
/// and rooms, under its session key. A guest's is kept for a token's lifetime, an
/// account's for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub session: u64,
    pub user_id: UserId,
    pub name: String,
    pub rooms: Vec<String>,
    pub updated_at: UnixSeconds,
}

/// A transaction a session stored: enough to answer a resend with its echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTxn {
    pub room: String,
    pub txn_id: String,
    pub id: MessageId,
}

/// An archived room: its name, and the id its next message will get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedRoom {
    pub name: String,
    pub next_id: MessageId,
}

/// Which stored messages of a room to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    Latest,
    Before(MessageId),
    /// A catch-up: messages whose id *or* last change is past this id, in the
    /// order of the larger ([`StoredMessage::position`]).
    After(MessageId),
}

/// One room as found at start-up.
#[derive(Debug, Clone)]
pub struct StoredRoom {
    pub name: String,
    /// Only moderators may post.
    pub read_only: bool,
    /// Its latest messages, oldest first.
    pub recent: Vec<StoredMessage>,
    /// The largest id or `rev` of any of its messages: the next id comes after.
    pub last_position: MessageId,
}

/// A search as the store runs it (see `confab_shared::search`): messages of
/// `rooms` holding every term, any case, deleted ones left out, newest first,
/// at most `limit`. Results carry no reactions: a list of finds shows none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Lowercase words, each looked for as a substring.
    pub terms: Vec<String>,
    pub rooms: Vec<String>,
    pub limit: u32,
}

/// Everything the hub needs at start-up.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub rooms: Vec<StoredRoom>,
    /// Highest user id that ever sent a message or holds an account, so ids are
    /// never reused.
    pub max_user_id: UserId,
    pub archived: Vec<ArchivedRoom>,
    /// The key resume tokens are signed with (see `chat::tokens`).
    pub secret: [u8; 32],
    /// Every account's name key, id and name: registered names are reserved.
    pub accounts: Vec<(String, UserId, String)>,
    /// Highest private message id given so far.
    pub max_private_id: MessageId,
    /// Accounts whose role is not `member`.
    pub roles: Vec<(UserId, Role)>,
    /// Mutes and bans that have not run out.
    pub mutes: Vec<Mute>,
    pub bans: Vec<Ban>,
    /// Accounts' read markers.
    pub reads: Vec<RoomRead>,
}

/// Why storage failed: what was being done, and the adapter's own error as the
/// source (the core knows no SQL, so it keeps the error without knowing its type).
#[derive(Debug, Error)]
#[error("storage failed: {context}")]
pub struct StoreError {
    pub context: &'static str,
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    pub fn new(
        context: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            context,
            source: source.into(),
        }
    }
}

/// Durable storage. Implementations must make a batch durable, all or nothing,
/// before `write` resolves.
pub trait Store: Send + Sync + 'static {
    fn load(&self, recent_per_room: u32) -> BoxFuture<'_, Result<Snapshot, StoreError>>;
    /// Whether the store answers at all (for `/readyz`).
    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>>;
    fn write<'a>(&'a self, batch: &'a [Write]) -> BoxFuture<'a, Result<(), StoreError>>;
    fn history<'a>(
        &'a self,
        room: &'a str,
        range: Range,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<StoredMessage>, StoreError>>;
    /// One stored message, if it exists.
    fn message<'a>(
        &'a self,
        room: &'a str,
        id: MessageId,
    ) -> BoxFuture<'a, Result<Option<StoredMessage>, StoreError>>;
    /// Messages matching `query`, newest first.
    fn search<'a>(
        &'a self,
        query: &'a SearchQuery,
    ) -> BoxFuture<'a, Result<Vec<StoredMessage>, StoreError>>;
    /// Private messages between `user` and `with_id`, newest first: the latest,
    /// or those before `before`; at most `limit`.
    fn private_history(
        &self,
        user: UserId,
        with_id: UserId,
        before: Option<MessageId>,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<StoredPrivate>, StoreError>>;
    /// `user`'s conversations, the most recent first.
    fn conversations(
        &self,
        user: UserId,
    ) -> BoxFuture<'_, Result<Vec<ConversationSummary>, StoreError>>;
    /// The member kept under `session`, if any (see [`SessionRecord`]).
    fn member_session(
        &self,
        session: u64,
    ) -> BoxFuture<'_, Result<Option<SessionRecord>, StoreError>>;
    /// The audit log, newest first: entries before id `before`, at or after
    /// `since`; at most `limit`.
    fn audit(
        &self,
        before: Option<u64>,
        since: Option<UnixSeconds>,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>>;
    /// Records an upload whose file is already on disk.
    fn save_upload<'a>(&'a self, upload: &'a StoredUpload)
    -> BoxFuture<'a, Result<(), StoreError>>;
    /// The upload with this id, if any.
    fn upload<'a>(&'a self, id: &'a str)
    -> BoxFuture<'a, Result<Option<StoredUpload>, StoreError>>;
    /// Bytes `owner` has uploaded since `since`: what its quota has used.
    fn uploaded_bytes_since(
        &self,
        owner: UserId,
        since: UnixSeconds,
    ) -> BoxFuture<'_, Result<u64, StoreError>>;
    /// The newest transactions (at most `limit`) stored by `session` since `since`.
    fn session_txns(
        &self,
        session: u64,
        since: UnixSeconds,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<SessionTxn>, StoreError>>;
}

/// Where stored messages go beyond this node.
pub trait Bus: Send + Sync + 'static {
    /// Called once per stored message, in the order everyone sees. Must not block:
    /// it runs under the hub's lock.
    fn publish(&self, message: &Arc<StoredMessage>);
}

/// The bus of a single node: nothing to tell anyone.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalBus;

impl Bus for LocalBus {
    fn publish(&self, _message: &Arc<StoredMessage>) {}
}

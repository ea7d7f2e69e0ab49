//! [`Store`] on SQLite through sqlx, in WAL mode. With `synchronous=FULL` (the
//! default) a committed batch survives power loss; with `NORMAL`, a crash of the process.
//!
//! Writes go through one dedicated connection, and a batch of messages is one
//! multi-row `INSERT`. sqlx runs each SQLite connection on its own thread and every
//! statement is a round trip to it, so this is one round trip per batch where
//! `BEGIN`, an `INSERT` per message and `COMMIT` (plus the pool's check on acquire)
//! were four or more: each a pair of thread wake-ups, which under a steady chat
//! load cost more CPU than SQLite itself.

use super::sqlite_messages::{COLUMNS, insert_messages, message};
use super::{sqlite_moderation, sqlite_private, sqlite_reactions, sqlite_reads};
use super::{sqlite_search, sqlite_sessions, sqlite_uploads};
use crate::chat::ports::{
    ArchivedRoom, Range, SessionRecord, SessionTxn, Snapshot, Store, StoreError, StoredMessage,
    StoredRoom, Write,
};
use crate::chat::ports::{ConversationSummary, SearchQuery, StoredPrivate, StoredUpload};
use crate::config::Durability;
use confab_shared::moderation::AuditEntry;
use confab_shared::{MessageId, UnixSeconds, UserId};
use futures_util::future::BoxFuture;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, Row, SqlitePool};
use std::path::Path;
use std::time::Duration;

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::new("database", error)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        StoreError::new("database migration", error)
    }
}

pub struct SqliteStore {
    /// For reads (history older than memory holds) and migrations.
    pool: SqlitePool,
    /// The one connection that writes; only the group commit uses it.
    writer: tokio::sync::Mutex<SqliteConnection>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub async fn open(path: &Path, durability: Durability) -> Result<Self, StoreError> {
        let synchronous = match durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let writer = tokio::sync::Mutex::new(options.connect().await?);
        Ok(Self { pool, writer })
    }

    pub(super) fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

impl Store for SqliteStore {
    fn load(&self, recent_per_room: u32) -> BoxFuture<'_, Result<Snapshot, StoreError>> {
        Box::pin(async move {
            let names: Vec<(String, bool)> = sqlx::query_as(
                "SELECT name, read_only FROM rooms WHERE archived_at IS NULL \
                 ORDER BY created_at, name",
            )
            .fetch_all(&self.pool)
            .await?;
            let archived = sqlx::query(
                "SELECT r.name, COALESCE(MAX(max(m.id, m.rev)), 0) AS last FROM rooms r \
                 LEFT JOIN messages m ON m.room = r.name \
                 WHERE r.archived_at IS NOT NULL GROUP BY r.name",
            )
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| ArchivedRoom {
                name: row.get("name"),
                next_id: row.get::<i64, _>("last") as u64 + 1,
            })
            .collect();
            let mut rooms = Vec::with_capacity(names.len());
            for (name, read_only) in names {
                let recent = self.history(&name, Range::Latest, recent_per_room).await?;
                let last_position: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(max(id, rev)), 0) FROM messages WHERE room = ?",
                )
                .bind(&name)
                .fetch_one(&self.pool)
                .await?;
                rooms.push(StoredRoom {
                    name,
                    read_only,
                    recent,
                    last_position: last_position as u64,
                });
            }
            let now = crate::chat::now_unix();
            let (roles, mutes, bans) = sqlite_moderation::load(&self.pool, now).await?;
            let token_lifetime = crate::chat::tokens::TOKEN_LIFETIME.as_secs() as i64;
            sqlite_sessions::prune(&self.pool, crate::chat::now_unix() - token_lifetime).await?;
            let max_user_id: i64 = sqlx::query_scalar(
                "SELECT MAX((SELECT COALESCE(MAX(from_id), 0) FROM messages), \
                 (SELECT COALESCE(MAX(user_id), 0) FROM accounts), \
                 (SELECT COALESCE(MAX(user_id), 0) FROM member_sessions))",
            )
            .fetch_one(&self.pool)
            .await?;
            let accounts = sqlx::query("SELECT name_key, user_id, username FROM accounts")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|row| {
                    let id = row.get::<i64, _>("user_id") as u64;
                    (row.get("name_key"), id, row.get("username"))
                })
                .collect();
            Ok(Snapshot {
                rooms,
                max_user_id: max_user_id as u64,
                archived,
                secret: sqlite_sessions::secret(&self.pool).await?,
                accounts,
                max_private_id: sqlite_private::max_id(&self.pool).await?,
                roles,
                mutes,
                bans,
                reads: sqlite_reads::load(&self.pool).await?,
            })
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        })
    }

    fn write<'a>(&'a self, batch: &'a [Write]) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut writer = self.writer.lock().await;
            let messages = || {
                batch.iter().filter_map(|write| match write {
                    Write::Message(m) => Some(&**m),
                    _ => None,
                })
            };
            // One statement is atomic by itself: no transaction needed.
            if messages().count() == batch.len() {
                insert_messages(&mut writer, messages()).await?;
                return Ok(());
            }
            // New rooms are rare; their messages must follow them in one transaction.
            let mut tx = writer.begin().await?;
            for write in batch {
                let query = match write {
                    // Creating an archived room's name again brings it back.
                    Write::Room {
                        name,
                        created_at,
                        read_only,
                        ..
                    } => sqlx::query(
                        "INSERT INTO rooms (name, created_at, read_only) VALUES (?, ?, ?) \
                         ON CONFLICT (name) DO UPDATE SET archived_at = NULL, \
                         read_only = excluded.read_only",
                    )
                    .bind(name)
                    .bind(created_at)
                    .bind(read_only),
                    Write::ArchiveRoom { name, at } => {
                        sqlx::query("UPDATE rooms SET archived_at = ? WHERE name = ?")
                            .bind(at)
                            .bind(name)
                    }
                    Write::Session(record) => {
                        sqlite_sessions::upsert(&mut tx, record).await?;
                        continue;
                    }
                    Write::Private(message) => {
                        sqlite_private::insert(&mut tx, std::iter::once(&**message)).await?;
                        continue;
                    }
                    Write::PrivateRead {
                        user,
                        with_id,
                        up_to,
                    } => {
                        sqlite_private::mark_read(&mut tx, *user, *with_id, *up_to).await?;
                        continue;
                    }
                    Write::Moderation(write) => {
                        sqlite_moderation::write(&mut tx, write).await?;
                        continue;
                    }
                    Write::Edit(edit) => sqlx::query(
                        "UPDATE messages SET content = ?, edited_at = ?, rev = ? \
                         WHERE room = ? AND id = ?",
                    )
                    .bind(&edit.content)
                    .bind(edit.edited_at)
                    .bind(edit.rev as i64)
                    .bind(&edit.room)
                    .bind(edit.id as i64),
                    Write::React(change) => {
                        sqlite_reactions::write(&mut tx, change).await?;
                        continue;
                    }
                    Write::RoomReads(reads) => {
                        sqlite_reads::upsert(&mut tx, reads).await?;
                        continue;
                    }
                    Write::Message(_) => continue,
                };
                query.execute(&mut *tx).await?;
            }
            if messages().next().is_some() {
                insert_messages(&mut tx, messages()).await?;
            }
            tx.commit().await?;
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
            // `max(id, rev)` exactly as the index `messages_position` has it.
            let (filter, bound, order) = match range {
                Range::Latest => ("", i64::MAX, "id DESC"),
                Range::Before(id) => ("AND id < ?", id as i64, "id DESC"),
                Range::After(id) => ("AND max(id, rev) > ?", id as i64, "max(id, rev) ASC"),
            };
            let newest_first = !matches!(range, Range::After(_));
            let sql = format!(
                "SELECT {COLUMNS} FROM messages WHERE room = ? {filter} ORDER BY {order} LIMIT ?"
            );
            let mut query = sqlx::query(&sql).bind(room);
            if !filter.is_empty() {
                query = query.bind(bound);
            }
            let rows = query.bind(i64::from(limit)).fetch_all(&self.pool).await?;
            let mut messages: Vec<_> = rows.iter().map(message).collect();
            if newest_first {
                messages.reverse();
            }
            sqlite_reactions::attach(&self.pool, room, &mut messages).await?;
            Ok(messages)
        })
    }

    fn message<'a>(
        &'a self,
        room: &'a str,
        id: MessageId,
    ) -> BoxFuture<'a, Result<Option<StoredMessage>, StoreError>> {
        Box::pin(async move {
            let sql = format!("SELECT {COLUMNS} FROM messages WHERE room = ? AND id = ?");
            let row = sqlx::query(&sql)
                .bind(room)
                .bind(id as i64)
                .fetch_optional(&self.pool)
                .await?;
            let mut found: Vec<_> = row.as_ref().map(message).into_iter().collect();
            sqlite_reactions::attach(&self.pool, room, &mut found).await?;
            Ok(found.pop())
        })
    }

    fn search<'a>(
        &'a self,
        query: &'a SearchQuery,
    ) -> BoxFuture<'a, Result<Vec<StoredMessage>, StoreError>> {
        Box::pin(async move { Ok(sqlite_search::search(&self.pool, query).await?) })
    }

    fn member_session(
        &self,
        session: u64,
    ) -> BoxFuture<'_, Result<Option<SessionRecord>, StoreError>> {
        Box::pin(sqlite_sessions::find(&self.pool, session))
    }

    fn private_history(
        &self,
        user: UserId,
        with_id: UserId,
        before: Option<MessageId>,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<StoredPrivate>, StoreError>> {
        Box::pin(sqlite_private::history(
            &self.pool, user, with_id, before, limit,
        ))
    }

    fn conversations(
        &self,
        user: UserId,
    ) -> BoxFuture<'_, Result<Vec<ConversationSummary>, StoreError>> {
        Box::pin(sqlite_private::conversations(&self.pool, user))
    }

    fn audit(
        &self,
        before: Option<u64>,
        since: Option<UnixSeconds>,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<AuditEntry>, StoreError>> {
        Box::pin(sqlite_moderation::audit(&self.pool, before, since, limit))
    }

    fn save_upload<'a>(
        &'a self,
        upload: &'a StoredUpload,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(sqlite_uploads::save(&self.pool, upload))
    }

    fn upload<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<StoredUpload>, StoreError>> {
        Box::pin(sqlite_uploads::find(&self.pool, id))
    }

    fn uploaded_bytes_since(
        &self,
        owner: UserId,
        since: UnixSeconds,
    ) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(sqlite_uploads::bytes_since(&self.pool, owner, since))
    }

    fn session_txns(
        &self,
        session: u64,
        since: UnixSeconds,
        limit: u32,
    ) -> BoxFuture<'_, Result<Vec<SessionTxn>, StoreError>> {
        Box::pin(sqlite_sessions::txns(&self.pool, session, since, limit))
    }
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;

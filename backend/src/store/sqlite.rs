//! [`Store`] on SQLite through sqlx, in WAL mode. With `synchronous=FULL` (the
//! default) a committed batch survives power loss; with `NORMAL`, a crash of the process.
//!
//! Writes go through one dedicated connection, and a batch of messages is one
//! multi-row `INSERT`. sqlx runs each SQLite connection on its own thread and every
//! statement is a round trip to it, so this is one round trip per batch where
//! `BEGIN`, an `INSERT` per message and `COMMIT` (plus the pool's check on acquire)
//! were four or more: each a pair of thread wake-ups, which under a steady chat
//! load cost more CPU than SQLite itself.

use super::{Range, Snapshot, Store, StoreError, StoredMessage, StoredRoom, Write};
use crate::config::Durability;
use futures_util::future::BoxFuture;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, QueryBuilder, Row, Sqlite, SqlitePool};
use std::path::Path;
use std::time::Duration;

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
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError(e.to_string()))?;
        let writer = tokio::sync::Mutex::new(options.connect().await?);
        Ok(Self { pool, writer })
    }
}

const COLUMNS: &str = "room, id, from_id, from_name, content, timestamp, txn_id";

fn message(row: &SqliteRow) -> StoredMessage {
    StoredMessage {
        room: row.get("room"),
        id: row.get::<i64, _>("id") as u64,
        from_id: row.get::<i64, _>("from_id") as u64,
        from_name: row.get("from_name"),
        content: row.get("content"),
        timestamp: row.get("timestamp"),
        txn_id: row.get("txn_id"),
    }
}

/// Inserts `messages` (at least one) with one multi-row `INSERT`. A batch is at
/// most `commit::MAX_BATCH` (256) rows of 7 values, far under SQLite's limit of
/// 32 766 bound values per statement.
async fn insert_messages<'m>(
    connection: &mut SqliteConnection,
    messages: impl Iterator<Item = &'m StoredMessage>,
) -> Result<(), sqlx::Error> {
    let mut insert = QueryBuilder::<Sqlite>::new(format!("INSERT INTO messages ({COLUMNS}) "));
    insert.push_values(messages, |mut row, m| {
        row.push_bind(&m.room)
            .push_bind(m.id as i64)
            .push_bind(m.from_id as i64)
            .push_bind(&m.from_name)
            .push_bind(&m.content)
            .push_bind(m.timestamp)
            .push_bind(&m.txn_id);
    });
    insert.build().execute(connection).await?;
    Ok(())
}

impl Store for SqliteStore {
    fn load(&self, recent_per_room: u32) -> BoxFuture<'_, Result<Snapshot, StoreError>> {
        Box::pin(async move {
            let names: Vec<String> =
                sqlx::query_scalar("SELECT name FROM rooms ORDER BY created_at, name")
                    .fetch_all(&self.pool)
                    .await?;
            let mut rooms = Vec::with_capacity(names.len());
            for name in names {
                let recent = self.history(&name, Range::Latest, recent_per_room).await?;
                rooms.push(StoredRoom { name, recent });
            }
            let max_user_id: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(from_id), 0) FROM messages")
                    .fetch_one(&self.pool)
                    .await?;
            Ok(Snapshot {
                rooms,
                max_user_id: max_user_id as u64,
            })
        })
    }

    fn write<'a>(&'a self, batch: &'a [Write]) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut writer = self.writer.lock().await;
            let messages = || {
                batch.iter().filter_map(|write| match write {
                    Write::Message(m) => Some(&**m),
                    Write::Room { .. } => None,
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
                if let Write::Room {
                    name, created_at, ..
                } = write
                {
                    sqlx::query("INSERT INTO rooms (name, created_at) VALUES (?, ?)")
                        .bind(name)
                        .bind(created_at)
                        .execute(&mut *tx)
                        .await?;
                }
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
            let (filter, bound, newest_first) = match range {
                Range::Latest => ("", i64::MAX, true),
                Range::Before(id) => ("AND id < ?", id as i64, true),
                Range::After(id) => ("AND id > ?", id as i64, false),
            };
            let order = if newest_first { "DESC" } else { "ASC" };
            let sql = format!(
                "SELECT {COLUMNS} FROM messages WHERE room = ? {filter} ORDER BY id {order} LIMIT ?"
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
            Ok(messages)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn message(room: &str, id: u64) -> Write {
        Write::Message(Arc::new(StoredMessage {
            room: room.into(),
            id,
            from_id: 3,
            from_name: "Ann".into(),
            content: format!("m{id}"),
            timestamp: 1,
            txn_id: None,
        }))
    }

    #[tokio::test]
    async fn writes_survive_reopening_and_ranges_are_oldest_first() {
        let dir =
            std::env::temp_dir().join(format!("confab-store-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        {
            let store = SqliteStore::open(&path, Durability::Full).await.unwrap();
            let batch: Vec<_> = (1..=5).map(|id| message("general", id)).collect();
            store.write(&batch).await.unwrap();
            store
                .write(&[Write::Room {
                    name: "books".into(),
                    created_at: 2,
                    by: 1,
                }])
                .await
                .unwrap();
        }
        let store = SqliteStore::open(&path, Durability::Full).await.unwrap();
        let snapshot = store.load(3).await.unwrap();
        let names: Vec<_> = snapshot.rooms.iter().map(|r| r.name.as_str()).collect();
        assert!(
            names.contains(&"general") && names.contains(&"random") && names.contains(&"books")
        );
        let general = snapshot.rooms.iter().find(|r| r.name == "general").unwrap();
        assert_eq!(
            general.recent.iter().map(|m| m.id).collect::<Vec<_>>(),
            [3, 4, 5]
        );
        assert_eq!(snapshot.max_user_id, 3);
        let ids = |v: Vec<StoredMessage>| v.into_iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.history("general", Range::Before(4), 2).await.unwrap()),
            [2, 3]
        );
        assert_eq!(
            ids(store.history("general", Range::After(2), 2).await.unwrap()),
            [3, 4]
        );
        // A new room and its first message in one batch.
        store
            .write(&[
                Write::Room {
                    name: "films".into(),
                    created_at: 3,
                    by: 1,
                },
                message("films", 1),
            ])
            .await
            .unwrap();
        assert_eq!(
            ids(store.history("films", Range::Latest, 10).await.unwrap()),
            [1]
        );
        // A batch is all or nothing: a duplicate id rolls back the whole batch.
        assert!(
            store
                .write(&[message("general", 6), message("general", 5)])
                .await
                .is_err()
        );
        assert_eq!(
            ids(store.history("general", Range::After(5), 10).await.unwrap()),
            Vec::<u64>::new()
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}

//! Private messages between accounts on SQLite.

use crate::chat::ports::StoreError;
use crate::chat::ports::{ConversationSummary, StoredPrivate};
use confab_shared::{MessageId, UserId};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};

const COLUMNS: &str = "id, from_id, from_name, to_id, to_name, content, timestamp";

fn private(row: &SqliteRow) -> StoredPrivate {
    StoredPrivate {
        id: row.get::<i64, _>("id") as u64,
        from_id: row.get::<i64, _>("from_id") as u64,
        from_name: row.get("from_name"),
        to_id: row.get::<i64, _>("to_id") as u64,
        to_name: row.get("to_name"),
        content: row.get("content"),
        timestamp: row.get("timestamp"),
    }
}

/// Inserts `messages` (at least one) with one statement.
pub(super) async fn insert<'m>(
    connection: &mut SqliteConnection,
    messages: impl Iterator<Item = &'m StoredPrivate>,
) -> Result<(), sqlx::Error> {
    let mut insert =
        QueryBuilder::<Sqlite>::new(format!("INSERT INTO private_messages ({COLUMNS}) "));
    insert.push_values(messages, |mut row, m| {
        row.push_bind(m.id as i64)
            .push_bind(m.from_id as i64)
            .push_bind(&m.from_name)
            .push_bind(m.to_id as i64)
            .push_bind(&m.to_name)
            .push_bind(&m.content)
            .push_bind(m.timestamp);
    });
    insert.build().execute(connection).await?;
    Ok(())
}

/// Moves `user`'s read marker for `with_id` forward (never back).
pub(super) async fn mark_read(
    connection: &mut SqliteConnection,
    user: UserId,
    with_id: UserId,
    up_to: MessageId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO private_reads (user_id, with_id, up_to) VALUES (?, ?, ?) \
         ON CONFLICT (user_id, with_id) DO UPDATE SET up_to = MAX(up_to, excluded.up_to)",
    )
    .bind(user as i64)
    .bind(with_id as i64)
    .bind(up_to as i64)
    .execute(connection)
    .await?;
    Ok(())
}

pub(super) async fn max_id(pool: &SqlitePool) -> Result<MessageId, sqlx::Error> {
    let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM private_messages")
        .fetch_one(pool)
        .await?;
    Ok(max as u64)
}

pub(super) async fn history(
    pool: &SqlitePool,
    user: UserId,
    with_id: UserId,
    before: Option<MessageId>,
    limit: u32,
) -> Result<Vec<StoredPrivate>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM private_messages \
         WHERE ((from_id = ?1 AND to_id = ?2) OR (from_id = ?2 AND to_id = ?1)) AND id < ?3 \
         ORDER BY id DESC LIMIT ?4"
    ))
    .bind(user as i64)
    .bind(with_id as i64)
    .bind(before.map_or(i64::MAX, |b| b as i64))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(|e| StoreError::new("loading a private conversation", e))?;
    Ok(rows.iter().map(private).collect())
}

/// Every conversation of `user`: its latest message, how many messages from the
/// other side came after `user`'s read marker, and how far the other side has
/// read. At most 200, the most recent.
pub(super) async fn conversations(
    pool: &SqlitePool,
    user: UserId,
) -> Result<Vec<ConversationSummary>, StoreError> {
    let rows = sqlx::query(&format!(
        "WITH mine AS ( \
           SELECT *, CASE WHEN from_id = ?1 THEN to_id ELSE from_id END AS peer \
           FROM private_messages WHERE from_id = ?1 OR to_id = ?1), \
         latest AS (SELECT peer, MAX(id) AS last FROM mine GROUP BY peer) \
         SELECT m.peer, {COLUMNS}, \
           CASE WHEN m.from_id = ?1 THEN m.to_name ELSE m.from_name END AS peer_name, \
           (SELECT COUNT(*) FROM private_messages u WHERE u.from_id = m.peer AND u.to_id = ?1 \
              AND u.id > COALESCE((SELECT up_to FROM private_reads r \
                                   WHERE r.user_id = ?1 AND r.with_id = m.peer), 0)) AS unread, \
           (SELECT up_to FROM private_reads s WHERE s.user_id = m.peer AND s.with_id = ?1) \
             AS seen_up_to \
         FROM latest l JOIN mine m ON m.id = l.last ORDER BY m.id DESC LIMIT 200"
    ))
    .bind(user as i64)
    .fetch_all(pool)
    .await
    .map_err(|e| StoreError::new("listing conversations", e))?;
    Ok(rows
        .iter()
        .map(|row| ConversationSummary {
            with_id: row.get::<i64, _>("peer") as u64,
            with_name: row.get("peer_name"),
            last: private(row),
            unread: row.get::<i64, _>("unread") as u32,
            seen_up_to: row.get::<Option<i64>, _>("seen_up_to").map(|id| id as u64),
        })
        .collect())
}

//! Members' sessions on SQLite (see `chat::ports::SessionRecord`).

use crate::chat::ports::{SessionRecord, SessionTxn, StoreError};
use confab_shared::UnixSeconds;
use sqlx::{Row, SqliteConnection, SqlitePool};

/// Saves `record`, replacing what was kept under its session key.
pub(super) async fn upsert(
    connection: &mut SqliteConnection,
    record: &SessionRecord,
) -> Result<(), sqlx::Error> {
    let rooms = serde_json::to_string(&record.rooms).expect("strings encode");
    sqlx::query(
        "INSERT INTO member_sessions (session, user_id, name, rooms, updated_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (session) DO UPDATE SET \
         user_id = excluded.user_id, name = excluded.name, rooms = excluded.rooms, \
         updated_at = excluded.updated_at",
    )
    .bind(record.session as i64)
    .bind(record.user_id as i64)
    .bind(&record.name)
    .bind(rooms)
    .bind(record.updated_at)
    .execute(connection)
    .await?;
    Ok(())
}

/// What is kept under `session`.
pub(super) async fn find(
    pool: &SqlitePool,
    session: u64,
) -> Result<Option<SessionRecord>, StoreError> {
    let row = sqlx::query(
        "SELECT user_id, name, rooms, updated_at FROM member_sessions WHERE session = ?",
    )
    .bind(session as i64)
    .fetch_optional(pool)
    .await
    .map_err(|e| StoreError::new("loading a session", e))?;
    Ok(row.map(|row| SessionRecord {
        session,
        user_id: row.get::<i64, _>("user_id") as u64,
        name: row.get("name"),
        // A row this server wrote always decodes; anything else keeps no rooms.
        rooms: serde_json::from_str(row.get("rooms")).unwrap_or_default(),
        updated_at: row.get("updated_at"),
    }))
}

/// Forgets guests' sessions untouched since `before` (their tokens have expired);
/// accounts' are kept.
pub(super) async fn prune(pool: &SqlitePool, before: UnixSeconds) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM member_sessions WHERE updated_at < ? \
         AND user_id NOT IN (SELECT user_id FROM accounts)",
    )
    .bind(before)
    .execute(pool)
    .await
    .map_err(|e| StoreError::new("pruning sessions", e))?;
    Ok(())
}

/// The token-signing secret: made on first use, then always the same.
pub(super) async fn secret(pool: &SqlitePool) -> Result<[u8; 32], StoreError> {
    let mut fresh = [0u8; 32];
    fresh[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    fresh[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    sqlx::query("INSERT OR IGNORE INTO secrets (name, value) VALUES ('resume_tokens', ?)")
        .bind(&fresh[..])
        .execute(pool)
        .await?;
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT value FROM secrets WHERE name = 'resume_tokens'")
            .fetch_one(pool)
            .await?;
    let mut secret = [0u8; 32];
    let n = stored.len().min(32);
    secret[..n].copy_from_slice(&stored[..n]);
    Ok(secret)
}

/// The newest transactions (at most `limit`) stored by `session` since `since`.
pub(super) async fn txns(
    pool: &SqlitePool,
    session: u64,
    since: UnixSeconds,
    limit: u32,
) -> Result<Vec<SessionTxn>, StoreError> {
    let rows = sqlx::query(
        "SELECT room, txn_id, id FROM messages \
         WHERE session = ? AND timestamp >= ? AND txn_id IS NOT NULL \
         ORDER BY timestamp DESC LIMIT ?",
    )
    .bind(session as i64)
    .bind(since)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|row| SessionTxn {
            room: row.get("room"),
            txn_id: row.get("txn_id"),
            id: row.get::<i64, _>("id") as u64,
        })
        .collect())
}

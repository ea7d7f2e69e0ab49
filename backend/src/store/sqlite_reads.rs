//! Read markers of rooms on SQLite (see migration 0007).

use crate::chat::ports::{RoomRead, StoreError};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};

/// Moves each marker forward (never back), all in one statement: under a steady
/// chat every client reports a read about once a second, and a statement per
/// marker would be a round trip to sqlx's connection thread each. The hub sends
/// at most one marker per account and room in a write, and a write holds fewer
/// than SQLite's 32 766 bound values (see `chat::reads::MAX_MARKS_PER_WRITE`).
pub(super) async fn upsert(
    connection: &mut SqliteConnection,
    reads: &[RoomRead],
) -> Result<(), sqlx::Error> {
    if reads.is_empty() {
        return Ok(());
    }
    let mut upsert = QueryBuilder::<Sqlite>::new("INSERT INTO room_reads (user_id, room, up_to) ");
    upsert.push_values(reads, |mut row, read| {
        row.push_bind(read.user as i64)
            .push_bind(&read.room)
            .push_bind(read.up_to as i64);
    });
    upsert.push(" ON CONFLICT (user_id, room) DO UPDATE SET up_to = MAX(up_to, excluded.up_to)");
    upsert.build().execute(connection).await?;
    Ok(())
}

/// Every account's markers, for the hub at start-up.
pub(super) async fn load(pool: &SqlitePool) -> Result<Vec<RoomRead>, StoreError> {
    let rows = sqlx::query("SELECT user_id, room, up_to FROM room_reads")
        .fetch_all(pool)
        .await
        .map_err(|e| StoreError::new("loading read markers", e))?;
    Ok(rows
        .iter()
        .map(|row| RoomRead {
            user: row.get::<i64, _>("user_id") as u64,
            room: row.get("room"),
            up_to: row.get::<i64, _>("up_to") as u64,
        })
        .collect())
}

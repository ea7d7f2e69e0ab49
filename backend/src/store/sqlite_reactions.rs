//! Reactions on SQLite (see migration 0010): written through the group commit,
//! and attached to the messages a page or a lookup returns.

use crate::chat::ports::{ReactionChange, StoredMessage, toggle_reaction};
use sqlx::{Row, SqliteConnection, SqlitePool};

/// Adds or takes back one reaction, and moves its message's `rev`.
pub(super) async fn write(
    tx: &mut SqliteConnection,
    change: &ReactionChange,
) -> Result<(), sqlx::Error> {
    let sql = match change.on {
        true => {
            "INSERT OR IGNORE INTO reactions (room, message_id, emoji, user_id) VALUES (?, ?, ?, ?)"
        }
        false => {
            "DELETE FROM reactions WHERE room = ? AND message_id = ? AND emoji = ? AND user_id = ?"
        }
    };
    sqlx::query(sql)
        .bind(&change.room)
        .bind(change.id as i64)
        .bind(&change.emoji)
        .bind(change.user as i64)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE messages SET rev = ? WHERE room = ? AND id = ?")
        .bind(change.rev as i64)
        .bind(&change.room)
        .bind(change.id as i64)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Fills in the reactions of `messages` (all of one room) with one query: their
/// ids go in as a JSON array, so the statement is the same for any page.
pub(super) async fn attach(
    pool: &SqlitePool,
    room: &str,
    messages: &mut [StoredMessage],
) -> Result<(), sqlx::Error> {
    if messages.is_empty() {
        return Ok(());
    }
    let ids: Vec<u64> = messages.iter().map(|m| m.id).collect();
    let ids = serde_json::to_string(&ids).expect("ids serialize");
    let rows = sqlx::query(
        "SELECT message_id, emoji, user_id FROM reactions \
         WHERE room = ? AND message_id IN (SELECT value FROM json_each(?)) ORDER BY rowid",
    )
    .bind(room)
    .bind(ids)
    .fetch_all(pool)
    .await?;
    for row in rows {
        let id = row.get::<i64, _>("message_id") as u64;
        let Some(message) = messages.iter_mut().find(|m| m.id == id) else {
            continue;
        };
        let emoji: String = row.get("emoji");
        let user = row.get::<i64, _>("user_id") as u64;
        toggle_reaction(&mut message.reactions, &emoji, user, true);
    }
    Ok(())
}

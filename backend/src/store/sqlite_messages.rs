//! How a public message is a row of `messages`: its columns, reading one, and
//! writing a batch.

use crate::chat::ports::StoredMessage;
use confab_shared::attachments::Attachment;
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite};

pub(super) const COLUMNS: &str = "room, id, from_id, from_name, content, timestamp, txn_id, session, \
     deleted, edited_at, rev, reply_to, attachments";
/// A new message is never deleted nor edited: those columns take their defaults.
const INSERT_COLUMNS: &str =
    "room, id, from_id, from_name, content, timestamp, txn_id, session, reply_to, attachments";

pub(super) fn message(row: &SqliteRow) -> StoredMessage {
    StoredMessage {
        room: row.get("room"),
        id: row.get::<i64, _>("id") as u64,
        from_id: row.get::<i64, _>("from_id") as u64,
        from_name: row.get("from_name"),
        content: row.get("content"),
        timestamp: row.get("timestamp"),
        txn_id: row.get("txn_id"),
        session: row.get::<i64, _>("session") as u64,
        deleted: row.get("deleted"),
        edited_at: row.get("edited_at"),
        rev: row.get::<i64, _>("rev") as u64,
        reply_to: row.get::<Option<i64>, _>("reply_to").map(|id| id as u64),
        attachments: attachments(row.get("attachments")),
        reactions: Vec::new(),
    }
}

/// A message's attachments from their column: JSON written by this store, so
/// anything unreadable (a hand-edited row) reads as none rather than failing
/// the page it is on.
fn attachments(column: Option<String>) -> Vec<Attachment> {
    column
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Inserts `messages` (at least one) with one multi-row `INSERT`. A batch is at
/// most `commit::MAX_BATCH` (256) rows of 10 values, far under SQLite's limit of
/// 32 766 bound values per statement.
pub(super) async fn insert_messages<'m>(
    connection: &mut SqliteConnection,
    messages: impl Iterator<Item = &'m StoredMessage>,
) -> Result<(), sqlx::Error> {
    let mut insert =
        QueryBuilder::<Sqlite>::new(format!("INSERT INTO messages ({INSERT_COLUMNS}) "));
    insert.push_values(messages, |mut row, m| {
        row.push_bind(&m.room)
            .push_bind(m.id as i64)
            .push_bind(m.from_id as i64)
            .push_bind(&m.from_name)
            .push_bind(&m.content)
            .push_bind(m.timestamp)
            .push_bind(&m.txn_id)
            .push_bind(m.session as i64)
            .push_bind(m.reply_to.map(|id| id as i64))
            .push_bind(
                (!m.attachments.is_empty())
                    .then(|| serde_json::to_string(&m.attachments).unwrap_or_default()),
            );
    });
    insert.build().execute(connection).await?;
    Ok(())
}

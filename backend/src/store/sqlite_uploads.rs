//! Uploads' metadata on SQLite (see `chat::uploads::StoredUpload`).

use crate::chat::ports::{StoreError, StoredUpload};
use confab_shared::attachments::ImageType;
use confab_shared::{UnixSeconds, UserId};
use sqlx::{Row, SqlitePool};

pub(super) async fn save(pool: &SqlitePool, upload: &StoredUpload) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO uploads (id, owner, content_type, bytes, width, height, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&upload.id)
    .bind(upload.owner as i64)
    .bind(upload.kind.mime())
    .bind(upload.bytes as i64)
    .bind(upload.width)
    .bind(upload.height)
    .bind(upload.created_at)
    .execute(pool)
    .await
    .map_err(|e| StoreError::new("saving an upload", e))?;
    Ok(())
}

pub(super) async fn find(pool: &SqlitePool, id: &str) -> Result<Option<StoredUpload>, StoreError> {
    let row = sqlx::query(
        "SELECT owner, content_type, bytes, width, height, created_at FROM uploads WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(|e| StoreError::new("loading an upload", e))?;
    let Some(row) = row else { return Ok(None) };
    let mime: String = row.get("content_type");
    let kind = ImageType::from_mime(&mime).ok_or_else(|| {
        StoreError::new("loading an upload", format!("unknown content type {mime}"))
    })?;
    Ok(Some(StoredUpload {
        id: id.to_owned(),
        owner: row.get::<i64, _>("owner") as u64,
        kind,
        bytes: row.get::<i64, _>("bytes") as u64,
        width: row.get("width"),
        height: row.get("height"),
        created_at: row.get("created_at"),
    }))
}

pub(super) async fn bytes_since(
    pool: &SqlitePool,
    owner: UserId,
    since: UnixSeconds,
) -> Result<u64, StoreError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(bytes), 0) FROM uploads WHERE owner = ? AND created_at >= ?",
    )
    .bind(owner as i64)
    .bind(since)
    .fetch_one(pool)
    .await
    .map_err(|e| StoreError::new("summing uploads", e))?;
    Ok(total.max(0) as u64)
}

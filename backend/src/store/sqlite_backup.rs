//! Backups of the SQLite database, for `confab admin backup` and `restore`.
//!
//! A backup is `VACUUM INTO`: SQLite writes a compacted copy from one read
//! transaction, so it is consistent even while the server keeps writing (WAL mode
//! lets the reader and the writer go on side by side).

use crate::chat::ports::StoreError;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::Path;

/// Where sqlx records the migrations run: a Confab database has this table.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Writes a consistent copy of the database at `db` to `dest`, which must not exist.
pub async fn backup(db: &Path, dest: &Path) -> Result<(), StoreError> {
    if dest.exists() {
        return Err(StoreError::new(
            "backup",
            format!("{} exists", dest.display()),
        ));
    }
    let mut connection = SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| StoreError::new("opening the database to back up", e))?;
    let dest = dest
        .to_str()
        .ok_or_else(|| StoreError::new("backup", "path is not UTF-8"))?;
    sqlx::query("VACUUM INTO ?")
        .bind(dest)
        .execute(&mut connection)
        .await
        .map_err(|e| StoreError::new("writing the backup", e))?;
    connection.close().await.ok();
    Ok(())
}

/// Makes `db` (which must not exist) a copy of `backup`, once `backup` passes
/// SQLite's integrity check and holds Confab's tables.
pub async fn restore(backup: &Path, db: &Path) -> Result<(), StoreError> {
    if db.exists() {
        let text = format!(
            "{} exists: stop the server and move it aside first",
            db.display()
        );
        return Err(StoreError::new("restore", text));
    }
    let mut connection = SqliteConnectOptions::new()
        .filename(backup)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| StoreError::new("opening the backup", e))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .map_err(|e| StoreError::new("checking the backup", e))?;
    if integrity != "ok" {
        return Err(StoreError::new("checking the backup", integrity));
    }
    let migrations: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {MIGRATIONS_TABLE}"))
        .fetch_one(&mut connection)
        .await
        .map_err(|e| StoreError::new("the backup is not a Confab database", e))?;
    connection.close().await.ok();
    if migrations == 0 {
        return Err(StoreError::new(
            "restore",
            "the backup holds no Confab schema",
        ));
    }
    std::fs::copy(backup, db).map_err(|e| StoreError::new("copying the backup", e))?;
    Ok(())
}

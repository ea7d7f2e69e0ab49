//! [`AccountStore`] on SQLite: accounts and their sessions.

use super::sqlite::SqliteStore;
use crate::chat::account::{
    Account, AccountRecord, AccountStore, NewAccount, NewSession, SESSIONS_PER_ACCOUNT,
};
use crate::chat::ports::StoreError;
use confab_shared::UnixSeconds;
use confab_shared::api::Role;
use futures_util::future::BoxFuture;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

fn account(row: &SqliteRow) -> Account {
    Account {
        user_id: row.get::<i64, _>("user_id") as u64,
        username: row.get("username"),
        // A role this build does not know (written by a newer one) grants nothing.
        role: row.get::<String, _>("role").parse().unwrap_or(Role::Member),
        role_changed_ms: row.get("role_changed_ms"),
    }
}

impl AccountStore for SqliteStore {
    fn create_account<'a>(
        &'a self,
        new: &'a NewAccount,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let inserted = sqlx::query(
                "INSERT INTO accounts (user_id, username, name_key, password_hash, created_at) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING",
            )
            .bind(new.user_id as i64)
            .bind(&new.username)
            .bind(&new.name_key)
            .bind(&new.password_hash)
            .bind(new.created_at)
            .execute(self.pool())
            .await
            .map_err(|e| StoreError::new("creating an account", e))?;
            Ok(inserted.rows_affected() == 1)
        })
    }

    fn account_by_key<'a>(
        &'a self,
        name_key: &'a str,
    ) -> BoxFuture<'a, Result<Option<AccountRecord>, StoreError>> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT user_id, username, role, role_changed_ms, password_hash FROM accounts \
                 WHERE name_key = ?",
            )
            .bind(name_key)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| StoreError::new("finding an account", e))?;
            Ok(row.map(|row| AccountRecord {
                account: account(&row),
                password_hash: row.get("password_hash"),
            }))
        })
    }

    fn create_session<'a>(
        &'a self,
        session: &'a NewSession,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let context = |e| StoreError::new("storing a session", e);
            let mut tx = self.pool().begin().await.map_err(context)?;
            sqlx::query(
                "INSERT INTO account_sessions (token_hash, user_id, created_at, expires_at) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(&session.token_hash)
            .bind(session.user_id as i64)
            .bind(session.created_at)
            .bind(session.expires_at)
            .execute(&mut *tx)
            .await
            .map_err(context)?;
            // Expired sessions go, and so do all but the newest few: an account's
            // rows stay bounded however often it signs in.
            sqlx::query(
                "DELETE FROM account_sessions WHERE user_id = ?1 AND (expires_at <= ?2 \
                 OR token_hash NOT IN (SELECT token_hash FROM account_sessions \
                 WHERE user_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?3))",
            )
            .bind(session.user_id as i64)
            .bind(session.created_at)
            .bind(SESSIONS_PER_ACCOUNT)
            .execute(&mut *tx)
            .await
            .map_err(context)?;
            tx.commit().await.map_err(context)
        })
    }

    fn session_account<'a>(
        &'a self,
        token_hash: &'a str,
        now: UnixSeconds,
    ) -> BoxFuture<'a, Result<Option<Account>, StoreError>> {
        Box::pin(async move {
            let row = sqlx::query(
                "SELECT a.user_id, a.username, a.role, a.role_changed_ms FROM account_sessions s \
                 JOIN accounts a ON a.user_id = s.user_id \
                 WHERE s.token_hash = ? AND s.expires_at > ?",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(self.pool())
            .await
            .map_err(|e| StoreError::new("looking up a session", e))?;
            Ok(row.as_ref().map(account))
        })
    }

    fn revoke_session<'a>(
        &'a self,
        token_hash: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let deleted = sqlx::query("DELETE FROM account_sessions WHERE token_hash = ?")
                .bind(token_hash)
                .execute(self.pool())
                .await
                .map_err(|e| StoreError::new("ending a session", e))?;
            Ok(deleted.rows_affected() == 1)
        })
    }
}

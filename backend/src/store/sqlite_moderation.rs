//! Moderation on SQLite: roles (in `accounts`), mutes, bans, tombstones, and the
//! audit log (see `chat::moderation`).

use super::sqlite::SqliteStore;
use crate::chat::moderation::{Ban, ModerationWrite, Mute};
use crate::chat::ports::StoreError;
use confab_shared::api::Role;
use confab_shared::moderation::{AuditAction, AuditEntry};
use confab_shared::{UnixSeconds, UserId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

/// Stores one moderation change, inside the group commit's transaction.
pub(super) async fn write(
    tx: &mut SqliteConnection,
    write: &ModerationWrite,
) -> Result<(), sqlx::Error> {
    let query = match write {
        ModerationWrite::Mute(m) => sqlx::query(
            "INSERT OR REPLACE INTO mutes (user_id, name, room, address, until, reason, by_name) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.user_id as i64)
        .bind(&m.name)
        .bind(m.room.clone().unwrap_or_default())
        .bind(m.address.map(|a| a.to_string()))
        .bind(m.until)
        .bind(&m.reason)
        .bind(&m.by_name),
        ModerationWrite::Unmute { user_id, room } => {
            sqlx::query("DELETE FROM mutes WHERE user_id = ? AND room = ?")
                .bind(*user_id as i64)
                .bind(room.clone().unwrap_or_default())
        }
        ModerationWrite::Ban(b) => sqlx::query(
            "INSERT OR REPLACE INTO bans (user_id, name, address, until, reason, by_name) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(b.user_id as i64)
        .bind(&b.name)
        .bind(b.address.map(|a| a.to_string()))
        .bind(b.until)
        .bind(&b.reason)
        .bind(&b.by_name),
        ModerationWrite::Unban { user_id } => {
            sqlx::query("DELETE FROM bans WHERE user_id = ?").bind(*user_id as i64)
        }
        ModerationWrite::Role {
            user_id,
            role,
            at_ms,
        } => sqlx::query("UPDATE accounts SET role = ?, role_changed_ms = ? WHERE user_id = ?")
            .bind(role.as_str())
            .bind(at_ms)
            .bind(*user_id as i64),
        ModerationWrite::DeleteMessage {
            room,
            id,
            audit,
            rev,
            ..
        } => {
            if let Some(entry) = audit {
                insert_audit(tx, entry).await?;
            }
            sqlx::query(
                "UPDATE messages SET content = '', deleted = 1, rev = ? WHERE room = ? AND id = ?",
            )
            .bind(*rev as i64)
            .bind(room)
            .bind(*id as i64)
        }
        ModerationWrite::Audit(entry) => return insert_audit(tx, entry).await,
    };
    query.execute(tx).await?;
    Ok(())
}

/// Appends `entry` to the audit log.
pub(super) async fn insert_audit(
    tx: &mut SqliteConnection,
    e: &AuditEntry,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, action, by_id, by_name, target_id, target_name, room, \
         message_id, reason, until, role, automatic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(e.at)
    .bind(e.action.as_str())
    .bind(e.by_id.map(|id| id as i64))
    .bind(&e.by_name)
    .bind(e.target_id.map(|id| id as i64))
    .bind(&e.target_name)
    .bind(&e.room)
    .bind(e.message_id.map(|id| id as i64))
    .bind(&e.reason)
    .bind(e.until)
    .bind(e.role.map(Role::as_str))
    .bind(e.automatic)
    .execute(tx)
    .await?;
    Ok(())
}

/// What moderation needs at start-up: roles, and the mutes and bans in force at
/// `now` (those that ran out are deleted).
pub(super) async fn load(
    pool: &SqlitePool,
    now: UnixSeconds,
) -> Result<(Vec<(UserId, Role)>, Vec<Mute>, Vec<Ban>), sqlx::Error> {
    sqlx::query("DELETE FROM mutes WHERE until <= ?")
        .bind(now)
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM bans WHERE until <= ?")
        .bind(now)
        .execute(pool)
        .await?;
    let roles = sqlx::query("SELECT user_id, role FROM accounts WHERE role <> 'member'")
        .fetch_all(pool)
        .await?
        .iter()
        .filter_map(|row| {
            let role = row.get::<String, _>("role").parse().ok()?;
            Some((row.get::<i64, _>("user_id") as u64, role))
        })
        .collect();
    let mutes = sqlx::query("SELECT * FROM mutes")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| Mute {
            user_id: row.get::<i64, _>("user_id") as u64,
            name: row.get("name"),
            room: Some(row.get::<String, _>("room")).filter(|r| !r.is_empty()),
            address: address(row),
            until: row.get("until"),
            reason: row.get("reason"),
            by_name: row.get("by_name"),
        })
        .collect();
    let bans = sqlx::query("SELECT * FROM bans")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| Ban {
            user_id: row.get::<i64, _>("user_id") as u64,
            name: row.get("name"),
            address: address(row),
            until: row.get("until"),
            reason: row.get("reason"),
            by_name: row.get("by_name"),
        })
        .collect();
    Ok((roles, mutes, bans))
}

fn address(row: &SqliteRow) -> Option<std::net::IpAddr> {
    row.get::<Option<String>, _>("address")?.parse().ok()
}

/// The audit log, newest first.
pub(super) async fn audit(
    pool: &SqlitePool,
    before: Option<u64>,
    since: Option<UnixSeconds>,
    limit: u32,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows =
        sqlx::query("SELECT * FROM audit_log WHERE id < ? AND at >= ? ORDER BY id DESC LIMIT ?")
            .bind(before.map_or(i64::MAX, |b| b.min(i64::MAX as u64) as i64))
            .bind(since.unwrap_or(i64::MIN))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(|e| StoreError::new("reading the audit log", e))?;
    Ok(rows.iter().filter_map(audit_entry).collect())
}

fn audit_entry(row: &SqliteRow) -> Option<AuditEntry> {
    let id = |name: &str| row.get::<Option<i64>, _>(name).map(|id| id as u64);
    Some(AuditEntry {
        id: id("id"),
        at: row.get("at"),
        action: AuditAction::parse(&row.get::<String, _>("action"))?,
        by_id: id("by_id"),
        by_name: row.get("by_name"),
        target_id: id("target_id"),
        target_name: row.get("target_name"),
        room: row.get("room"),
        message_id: id("message_id"),
        reason: row.get("reason"),
        until: row.get("until"),
        role: row
            .get::<Option<String>, _>("role")
            .and_then(|r| r.parse().ok()),
        automatic: row.get("automatic"),
    })
}

impl SqliteStore {
    /// `confab admin grant`: gives the account whose name has key `name_key` the
    /// role `role`, and logs it as done from the command line. Its id and name,
    /// or None if there is no such account.
    pub async fn grant_role(
        &self,
        name_key: &str,
        role: Role,
    ) -> Result<Option<(UserId, String)>, StoreError> {
        let context = |e| StoreError::new("granting a role", e);
        let mut tx = self.pool().begin().await.map_err(context)?;
        let row = sqlx::query("SELECT user_id, username FROM accounts WHERE name_key = ?")
            .bind(name_key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(context)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let (id, name) = (
            row.get::<i64, _>("user_id") as u64,
            row.get::<String, _>("username"),
        );
        let at_ms = crate::chat::tokens::now_ms() as i64;
        let change = ModerationWrite::Role {
            user_id: id,
            role,
            at_ms,
        };
        write(&mut tx, &change).await.map_err(context)?;
        let entry = AuditEntry {
            target_id: Some(id),
            target_name: Some(name.clone()),
            role: Some(role),
            ..crate::chat::moderation::audit_entry(AuditAction::GrantRole, None, COMMAND_LINE)
        };
        insert_audit(&mut tx, &entry).await.map_err(context)?;
        tx.commit().await.map_err(context)?;
        Ok(Some((id, name)))
    }

    /// `confab admin audit`: the log since `since`, oldest first.
    pub async fn audit_since(&self, since: UnixSeconds) -> Result<Vec<AuditEntry>, StoreError> {
        let mut entries = audit(self.pool(), None, Some(since), u32::MAX).await?;
        entries.reverse();
        Ok(entries)
    }
}

/// Who the command line's actions are by, in the audit log.
pub const COMMAND_LINE: &str = "command line";

//! `confab admin …`: maintenance commands that run and exit instead of serving.

use crate::config::{Admin, Config};
use crate::store::{self, SqliteStore};
use anyhow::{Context, bail};
use confab_shared::UnixSeconds;
use confab_shared::moderation::AuditEntry;

pub async fn run(config: &Config, command: &Admin) -> anyhow::Result<()> {
    match command {
        Admin::Backup { path } => {
            store::backup(&config.db, path).await?;
            println!("backed up {} to {}", config.db.display(), path.display());
        }
        Admin::Restore { backup } => {
            store::restore(backup, &config.db).await?;
            println!("restored {} from {}", config.db.display(), backup.display());
        }
        Admin::Grant { username, role } => {
            let name = confab_shared::limits::validate_name(username)
                .map_err(|e| anyhow::anyhow!("{username:?} is no username: {e}"))?;
            let store = open(config).await?;
            let key = confab_shared::names::key(&name);
            let Some((id, name)) = store.grant_role(&key, *role).await? else {
                bail!("no account named {name:?} in {}", config.db.display());
            };
            println!("{name} (user {id}) is now {role}");
        }
        Admin::Audit { since } => {
            let since = match since {
                Some(text) => parse_since(text, crate::chat::now_unix())?,
                None => i64::MIN,
            };
            for entry in open(config).await?.audit_since(since).await? {
                println!("{}", line(&entry));
            }
        }
    }
    Ok(())
}

/// The database at `--db`, which must exist: granting a role in a new, empty
/// database would only be a typo in the path.
async fn open(config: &Config) -> anyhow::Result<SqliteStore> {
    if !config.db.exists() {
        bail!("no database at {}", config.db.display());
    }
    SqliteStore::open(&config.db, config.sync)
        .await
        .with_context(|| format!("opening {}", config.db.display()))
}

/// `--since`: `90m`, `24h`, `7d` back from `now`; a date; or an RFC 3339 time.
fn parse_since(text: &str, now: UnixSeconds) -> anyhow::Result<UnixSeconds> {
    let unit = |suffix: char, seconds: i64| {
        text.strip_suffix(suffix)
            .and_then(|n| n.parse::<i64>().ok())
            .map(|n| now - n.saturating_mul(seconds))
    };
    let back = unit('s', 1)
        .or_else(|| unit('m', 60))
        .or_else(|| unit('h', 3_600))
        .or_else(|| unit('d', 86_400));
    if let Some(at) = back {
        return Ok(at);
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp());
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp())
        .with_context(|| format!("--since {text:?}: give 90m, 24h, 7d, a date or an RFC 3339 time"))
}

/// One entry as a line: when, who, what, whom, where, until, why.
fn line(e: &AuditEntry) -> String {
    let mut line = format!(
        "#{} {} {}{} {}",
        e.id.unwrap_or_default(),
        crate::chat::moderation::format_time(e.at),
        e.by_name,
        if e.automatic { " (automatic)" } else { "" },
        e.action.as_str(),
    );
    if let Some(target) = &e.target_name {
        line += &format!(" {target}");
    }
    if let Some(id) = e.target_id {
        line += &format!(" (user {id})");
    }
    if let Some(role) = e.role {
        line += &format!(" as {role}");
    }
    if let (Some(room), Some(id)) = (&e.room, e.message_id) {
        line += &format!(" message {id} in {room}");
    } else if let Some(room) = &e.room {
        line += &format!(" in {room}");
    }
    if let Some(until) = e.until {
        line += &format!(" until {}", crate::chat::moderation::format_time(until));
    }
    if !e.reason.is_empty() {
        line += &format!(": {}", e.reason);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::parse_since;

    #[test]
    fn since_takes_durations_dates_and_times() {
        let now = 1_000_000;
        assert_eq!(parse_since("90m", now).unwrap(), now - 5_400);
        assert_eq!(parse_since("2d", now).unwrap(), now - 172_800);
        assert_eq!(parse_since("1970-01-02", now).unwrap(), 86_400);
        assert_eq!(parse_since("1970-01-01T00:01:00Z", now).unwrap(), 60);
        assert!(parse_since("yesterday", now).is_err());
    }
}

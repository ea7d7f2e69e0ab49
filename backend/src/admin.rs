//! `confab admin …`: maintenance commands that run and exit instead of serving.

use crate::config::{Admin, Config};
use crate::store;

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
    }
    Ok(())
}

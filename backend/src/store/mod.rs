//! Storage adapters: SQLite behind the core's [`crate::chat::ports::Store`] and
//! [`crate::chat::account::AccountStore`] ports.
//! Nothing here knows the hub; the core drives storage through the port.

mod sqlite;
mod sqlite_accounts;
mod sqlite_backup;
mod sqlite_messages;
mod sqlite_moderation;
mod sqlite_private;
mod sqlite_reactions;
mod sqlite_reads;
mod sqlite_search;
mod sqlite_sessions;
mod sqlite_uploads;

pub use sqlite::SqliteStore;
pub use sqlite_backup::{backup, restore};

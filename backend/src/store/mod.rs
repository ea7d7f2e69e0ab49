//! Storage adapters: SQLite behind the core's [`crate::chat::ports::Store`] port.
//! Nothing here knows the hub; the core drives storage through the port.

mod sqlite;

pub use sqlite::SqliteStore;

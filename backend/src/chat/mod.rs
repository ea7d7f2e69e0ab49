//! The chat core: users, rooms and routing, with no knowledge of sockets.
//!
//! The WebSocket layer ([`crate::ws`]) turns each connection into an [`Outbox`] and
//! feeds every frame it reads to [`Hub::handle_text`]. The hub answers by pushing
//! encoded frames into outboxes, never by awaiting a socket, so one slow reader can
//! never hold up a broadcast. Public messages are queued for storage first and
//! broadcast by [`Hub::committed`] once durable.

mod hub;
mod messages;
pub mod outbox;
mod rooms;
mod session;

pub use hub::{Departure, Hub, HubSettings, SessionId, SharedHub, StoreQuery};
pub use outbox::{Eviction, Frame, Inbox, Outbox, Received};

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> confab_shared::UnixSeconds {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

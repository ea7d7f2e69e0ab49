//! The chat core: users, names and routing, with no knowledge of sockets.
//!
//! The WebSocket layer ([`crate::ws`]) turns each connection into an [`Outbox`] and
//! feeds every frame it reads to [`Hub::handle_text`]. The hub answers by pushing
//! encoded frames into outboxes, never by awaiting a socket, so one slow reader can
//! never hold up a broadcast.

mod hub;
mod outbox;

pub use hub::{Hub, SharedHub};
pub use outbox::{Eviction, Frame, Outbox};

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> confab_shared::UnixSeconds {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

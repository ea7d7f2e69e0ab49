//! The chat core: users, rooms and routing, with no knowledge of sockets.
//!
//! The WebSocket layer ([`crate::ws`]) turns each connection into an [`Outbox`] and
//! feeds every frame it reads to [`Hub::handle_text`]. The hub answers by pushing
//! encoded frames into outboxes, never by awaiting a socket, so one slow reader can
//! never hold up a broadcast. Public messages are queued for storage first and
//! broadcast by [`Hub::committed`] once durable. What needs the store before it can
//! be answered comes back to the caller as a [`Followup`].

pub mod account;
mod arrival;
mod attach;
pub mod auth;
mod changes;
pub mod commit;
mod connect;
pub mod credentials;
mod directory;
mod edits;
mod events;
mod followup;
mod hub;
#[cfg(any(test, feature = "fuzzing"))]
mod invariants;
mod members;
#[cfg(any(test, feature = "fuzzing"))]
pub mod memory_store;
mod messages;
pub mod moderation;
mod naming;
pub mod outbox;
pub mod ports;
mod presence;
pub mod private;
mod reactions;
mod reads;
mod request;
mod room;
mod rooms;
mod routing;
mod search;
mod session;
pub mod tokens;
mod typing;
pub mod uploads;

pub use arrival::{Arrival, EarlierSession};
pub use connect::{account_session_key, is_account_session};
pub use hub::{Departure, Hub, HubSettings, SessionId, SharedHub};
pub use outbox::{Eviction, Frame, Inbox, Outbox, Received};
pub use request::{Answer, Followup};
pub use session::TXNS_REMEMBERED;

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> confab_shared::UnixSeconds {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

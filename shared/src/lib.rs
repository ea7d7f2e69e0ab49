//! Confab's wire protocol, shared by the server and the browser client.
//!
//! Version 1 is the JSON protocol of the silly framework's "WebSocket Chat Room"
//! tutorial, field for field: every frame is an object whose `type` names it.
//! Confab only *adds* to it, with new message types and optional fields, so the
//! tutorial's own HTML client and a hand-typed websocat session keep working.
//!
//! - [`client`]: frames a client sends, and [`client::decode`], which turns raw
//!   text into a validated [`client::ClientMessage`] or the exact error to reply.
//! - [`server`]: frames the server sends.
//! - [`api`]: the HTTP API for accounts and sessions.
//! - [`limits`]: the bounds both ends enforce (names, message sizes).

pub mod api;
pub mod attachments;
pub mod client;
pub mod error_code;
pub mod limits;
pub mod moderation;
pub mod names;
pub mod reactions;
pub mod search;
pub mod server;

pub use error_code::ErrorCode;

/// A connected user's id. Ids start at 1 and are never reused while the server runs;
/// 0 is the tutorial's sender id for system broadcasts such as `leave`.
pub type UserId = u64;

/// Close code a client sends when it closes only to reconnect soon (it went
/// offline, say): the server keeps its session resumable instead of announcing a leave.
pub const CLOSE_WILL_RESUME: u16 = 4000;

/// Close code the server sends when a moderator kicked or banned the user: the
/// client should not reconnect by itself (a kicked user may come back by choice).
pub const CLOSE_REMOVED: u16 = 4003;

/// The protocol a client speaks when it connects to `/ws?v=2`: the tutorial's
/// (version 1) with Confab's additions, and the promise that the client resumes
/// after a dropped connection. A client connecting without `v` (the tutorial's own)
/// gets the tutorial's behaviour: its user leaves as soon as its connection drops.
pub const PROTOCOL_VERSION: u32 = 2;

/// A public message's server id: increasing within its room (not contiguous).
pub type MessageId = u64;

/// Seconds since the Unix epoch, the unit of every `timestamp` field.
pub type UnixSeconds = i64;

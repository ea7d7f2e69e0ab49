//! What the WebSocket layer is given: the hub, the store port, accounts, and its
//! own limits. Only what it uses; not the server's whole configuration.

use crate::chat::SharedHub;
use crate::chat::auth::Auth;
use crate::chat::ports::Store;
use crate::chat::tokens::TokenSigner;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio_util::task::TaskTracker;

pub struct Context {
    pub hub: Arc<SharedHub>,
    /// For what the hub cannot answer from memory (see `chat::Followup`).
    pub store: Arc<dyn Store>,
    /// Checks resume tokens before the hub is asked.
    pub signer: Arc<TokenSigner>,
    /// Tells which account a session token (cookie or bearer) belongs to.
    pub auth: Arc<Auth>,
    /// Whether connections without an account may chat (`--guests`).
    pub guests: bool,
    /// Browser origins allowed to open the WebSocket.
    pub origins: Vec<String>,
    /// One permit per allowed connection (`--max-connections`).
    pub connections: Arc<Semaphore>,
    /// Every connection task, so shutdown can wait for their close frames.
    pub tasks: TaskTracker,
    pub limits: Limits,
}

/// Per-connection bounds.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_frame_bytes: usize,
    pub send_queue: usize,
    pub send_queue_bytes: usize,
    pub write_timeout: Duration,
    pub ping_interval: Duration,
    pub pong_timeout: Duration,
    pub rate_per_sec: u32,
    pub rate_burst: u32,
    pub rate_strikes: u32,
}

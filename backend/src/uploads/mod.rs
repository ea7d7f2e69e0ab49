//! Images: `POST /api/uploads` takes one, `GET /uploads/<id>.<ext>` serves it.
//!
//! - Accounts only: a guest gets 401 `sign_in_required`.
//! - Bounded: `--max-upload` bytes a file (413 `too_large`), `--upload-quota`
//!   bytes an account a day and [`PER_MINUTE`] uploads a minute (429
//!   `rate_limited`), [`RECEIVING`] bodies read at once, each within
//!   [`RECEIVE_TIME`].
//! - Checked by content ([`sniff`]): PNG, JPEG, GIF and WebP only, whatever the
//!   name or `Content-Type` says (415 `unsupported_type`).
//! - The bytes go to disk ([`files`]); what is known of them goes through the
//!   core's `Store` port, so serving asks the store, never the file system, what
//!   a file is.

mod files;
mod receive;
mod serve;
pub mod sniff;

pub use files::Files;

use crate::chat::auth::Auth;
use crate::chat::ports::Store;
use axum::Router;
use axum::routing::{get, post};
use confab_shared::UserId;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Uploads one account may start a minute (in one burst at most).
pub const PER_MINUTE: u32 = 20;
/// Past this many accounts tracked by the per-minute limit, those whose bucket
/// is full again are dropped.
pub const MAX_TRACKED: usize = 10_000;
/// Upload bodies read at the same time, server-wide: each is held in memory
/// while it is checked, so this times `--max-upload` bounds that memory.
pub const RECEIVING: usize = 8;
/// The longest a body may take to arrive: a client trickling bytes keeps a
/// [`RECEIVING`] permit, and must give it back.
pub const RECEIVE_TIME: Duration = Duration::from_secs(60);

/// What the upload endpoints are given.
pub struct Context {
    pub auth: Arc<Auth>,
    pub store: Arc<dyn Store>,
    pub files: Files,
    /// Origins allowed to upload (as for the socket and the API).
    pub origins: Vec<String>,
    pub max_bytes: u64,
    pub quota_per_day: u64,
    per_account: DefaultKeyedRateLimiter<UserId>,
    receiving: Semaphore,
}

impl Context {
    pub fn new(
        auth: Arc<Auth>,
        store: Arc<dyn Store>,
        files: Files,
        origins: Vec<String>,
        max_bytes: u64,
        quota_per_day: u64,
    ) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(PER_MINUTE).expect("not zero"));
        Self {
            auth,
            store,
            files,
            origins,
            max_bytes,
            quota_per_day,
            per_account: RateLimiter::keyed(quota),
            receiving: Semaphore::new(RECEIVING),
        }
    }
}

/// `POST /api/uploads` and `GET /uploads/{file}`.
pub fn router(context: Arc<Context>) -> Router {
    Router::new()
        .route(
            confab_shared::attachments::UPLOAD_ENDPOINT,
            post(receive::upload),
        )
        .route("/uploads/{file}", get(serve::file))
        .with_state(context)
}

//! The HTTP API beside the socket: accounts and sessions (`/api/...`). JSON both
//! ways; every error body is an [`ApiError`] with a machine-readable `code`.

use crate::{ErrorCode, UserId};
use serde::{Deserialize, Serialize};

/// Name of the cookie that carries a browser's session token.
pub const SESSION_COOKIE: &str = "confab_session";

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Longest password accepted, in bytes: hashing is deliberately slow, and a
/// megabyte of password would make it slower still.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Most bytes of any JSON body the API takes.
pub const MAX_BODY_BYTES: usize = 4 * 1024;

/// `POST /api/accounts` and `POST /api/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// `POST /api/accounts` → 201.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountCreated {
    pub user_id: UserId,
    pub username: String,
}

/// `POST /api/session` → 200 (with `token`), and `GET /api/session` → 200
/// (without: the browser already holds it in its cookie).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user_id: UserId,
    pub username: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// What an account may do. Moderation will add more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
}

/// Every non-2xx answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

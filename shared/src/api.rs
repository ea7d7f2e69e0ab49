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

/// What an account may do, from least to most. Guests have no role.
///
/// Moderators kick, mute, ban and delete messages; admins also grant and revoke
/// roles below their own and read the audit log; owners may do all of it to
/// anyone but themselves. Nobody acts on a user of the same or a higher role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Moderator,
    Admin,
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Member, Role::Moderator, Role::Admin, Role::Owner];

    /// The name on the wire, in the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    /// Moderators and above: they may moderate, and wear a badge.
    pub fn is_staff(self) -> bool {
        self >= Role::Moderator
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| format!("no role {text:?}: one of owner, admin, moderator, member"))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every non-2xx answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

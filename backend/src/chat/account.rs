//! Accounts: a name and a password that make a user the same user across tabs,
//! devices and restarts. The domain types and their port, [`AccountStore`].

use super::ports::StoreError;
use confab_shared::api::Role;
use confab_shared::{UnixSeconds, UserId};
use futures_util::future::BoxFuture;

/// A registered user, as the hub and the socket see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user_id: UserId,
    /// As shown: normalized (see `confab_shared::limits::validate_name`).
    pub username: String,
    pub role: Role,
    /// When `role` was given, in ms since the epoch (0: never changed).
    pub role_changed_ms: i64,
}

/// An account as stored, with what signing in checks.
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub account: Account,
    /// An argon2id PHC string (see [`super::credentials`]).
    pub password_hash: String,
}

/// A new account to store.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub user_id: UserId,
    pub username: String,
    /// `confab_shared::names::key` of the username: unique among accounts.
    pub name_key: String,
    pub password_hash: String,
    pub created_at: UnixSeconds,
}

/// A signed-in session as stored: the token itself never is, only its hash.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: UnixSeconds,
    pub expires_at: UnixSeconds,
}

/// Most live sessions one account keeps; signing in again drops the oldest.
pub const SESSIONS_PER_ACCOUNT: u32 = 20;

/// Durable accounts and their sessions.
pub trait AccountStore: Send + Sync + 'static {
    /// Stores `account`; false if an account with its `name_key` exists.
    fn create_account<'a>(
        &'a self,
        account: &'a NewAccount,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    /// The account whose name has this key.
    fn account_by_key<'a>(
        &'a self,
        name_key: &'a str,
    ) -> BoxFuture<'a, Result<Option<AccountRecord>, StoreError>>;
    /// Stores a session, dropping the account's expired ones and all but its newest
    /// [`SESSIONS_PER_ACCOUNT`].
    fn create_session<'a>(
        &'a self,
        session: &'a NewSession,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// The account of a session that is neither revoked nor expired at `now`.
    fn session_account<'a>(
        &'a self,
        token_hash: &'a str,
        now: UnixSeconds,
    ) -> BoxFuture<'a, Result<Option<Account>, StoreError>>;
    /// Ends a session; true if it existed.
    fn revoke_session<'a>(&'a self, token_hash: &'a str)
    -> BoxFuture<'a, Result<bool, StoreError>>;
}

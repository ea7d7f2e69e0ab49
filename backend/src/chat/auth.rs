//! [`Auth`]: signing up, in and out. The rules of accounts, over the
//! [`AccountStore`] port and the hub; no HTTP here (that is `crate::api`).

use super::SharedHub;
use super::account::{Account, AccountStore, NewAccount, NewSession};
use super::credentials;
use super::naming::is_server_assigned;
use super::ports::StoreError;
use confab_shared::api::{Credentials, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, Role};
use confab_shared::limits::{NameError, validate_name};
use confab_shared::{UnixSeconds, names};
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use tokio::sync::Semaphore;

/// How long a sign-in lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// Password hashes computed at once. Each takes 19 MiB and tens of milliseconds
/// of a core; more at once would only queue on the cores and hold the memory.
const CONCURRENT_HASHES: usize = 2;

#[derive(Debug, Error)]
pub enum SignUpError {
    #[error("{0}")]
    InvalidName(NameError),
    #[error("Password must be at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("Password must be at most {MAX_PASSWORD_BYTES} bytes")]
    PasswordTooLong,
    #[error("Name already taken")]
    Taken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Error)]
pub enum SignInError {
    /// One error for a wrong name and a wrong password, so names cannot be probed.
    #[error("Wrong username or password")]
    InvalidCredentials,
    /// The account is banned (told only after the password matched).
    #[error("{0}")]
    Banned(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A session just signed in: the account and the token, the only time the token
/// exists outside the client.
#[derive(Debug)]
pub struct SignedIn {
    pub account: Account,
    pub token: String,
}

pub struct Auth {
    store: Arc<dyn AccountStore>,
    hub: Arc<SharedHub>,
    hashing: Semaphore,
}

impl Auth {
    pub fn new(store: Arc<dyn AccountStore>, hub: Arc<SharedHub>) -> Self {
        Self {
            store,
            hub,
            hashing: Semaphore::new(CONCURRENT_HASHES),
        }
    }

    /// Creates an account. Its name follows the nickname rules, is not a server
    /// name (`User<n>`), and is not shown by anyone online or held by an account.
    pub async fn sign_up(&self, credentials: Credentials) -> Result<Account, SignUpError> {
        let username = validate_name(&credentials.username).map_err(SignUpError::InvalidName)?;
        if is_server_assigned(&username) {
            return Err(SignUpError::InvalidName(NameError::Reserved));
        }
        check_password(&credentials.password)?;
        let key = names::key(&username);
        if self.hub.with(|hub| hub.name_shown(&key, None)) {
            return Err(SignUpError::Taken);
        }
        let password_hash = self.hash(credentials.password).await;
        let user_id = self.hub.with(|hub| hub.reserve_user_id());
        let account = NewAccount {
            user_id,
            username: username.clone(),
            name_key: key.clone(),
            password_hash,
            created_at: super::now_unix(),
        };
        if !self.store.create_account(&account).await? {
            return Err(SignUpError::Taken);
        }
        let name = username.clone();
        self.hub
            .with(|hub| hub.register_account(key, user_id, name));
        tracing::info!(user_id, "account created");
        Ok(Account {
            role_changed_ms: 0,
            user_id,
            username,
            role: Role::Member,
        })
    }

    /// What a guest banned at `address` is told: it may not make an account there
    /// either, or a ban would be one sign-up away from void.
    pub fn address_ban(&self, address: std::net::IpAddr) -> Option<String> {
        self.hub
            .with(|hub| hub.ban_notice(None, address))
            .map(|(notice, _)| notice)
    }

    /// Checks a name and password and opens a session.
    pub async fn sign_in(&self, credentials: Credentials) -> Result<SignedIn, SignInError> {
        let record = match validate_name(&credentials.username) {
            Ok(name) => self.store.account_by_key(&names::key(&name)).await?,
            Err(_) => None,
        };
        let too_long = credentials.password.len() > MAX_PASSWORD_BYTES;
        // A missing account is checked against a decoy, so it takes as long.
        let hash = match &record {
            Some(record) if !too_long => record.password_hash.clone(),
            _ => credentials::decoy_hash().to_owned(),
        };
        let matches = self.verify(credentials.password, hash).await;
        let Some(record) = record.filter(|_| matches && !too_long) else {
            metrics::counter!("confab_sign_ins_total", "outcome" => "refused").increment(1);
            return Err(SignInError::InvalidCredentials);
        };
        let id = record.account.user_id;
        let unspecified = std::net::IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED);
        if let Some((notice, _)) = self.hub.with(|hub| hub.ban_notice(Some(id), unspecified)) {
            metrics::counter!("confab_sign_ins_total", "outcome" => "banned").increment(1);
            return Err(SignInError::Banned(notice));
        }
        metrics::counter!("confab_sign_ins_total", "outcome" => "signed_in").increment(1);
        let token = credentials::new_token();
        let now = super::now_unix();
        let session = NewSession {
            token_hash: credentials::token_hash(&token),
            user_id: record.account.user_id,
            created_at: now,
            expires_at: expires_at(now),
        };
        self.store.create_session(&session).await?;
        tracing::info!(user_id = record.account.user_id, "signed in");
        Ok(SignedIn {
            account: record.account,
            token,
        })
    }

    /// The account a session token belongs to, if the session is live.
    pub async fn account(&self, token: &str) -> Result<Option<Account>, StoreError> {
        let hash = credentials::token_hash(token);
        self.store.session_account(&hash, super::now_unix()).await
    }

    /// Ends the session of `token`, and closes the sockets signed in with it;
    /// false if there was none.
    pub async fn sign_out(&self, token: &str) -> Result<bool, StoreError> {
        let hash = credentials::token_hash(token);
        let revoked = self.store.revoke_session(&hash).await?;
        self.hub.with(|hub| hub.end_session(&hash));
        Ok(revoked)
    }

    async fn hash(&self, password: String) -> String {
        let _permit = self.hashing.acquire().await.expect("never closed");
        tokio::task::spawn_blocking(move || credentials::hash_password(&password))
            .await
            .expect("hashing does not panic")
    }

    async fn verify(&self, password: String, hash: String) -> bool {
        let _permit = self.hashing.acquire().await.expect("never closed");
        tokio::task::spawn_blocking(move || credentials::verify_password(&password, &hash))
            .await
            .expect("verifying does not panic")
    }
}

fn check_password(password: &str) -> Result<(), SignUpError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(SignUpError::PasswordTooShort);
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(SignUpError::PasswordTooLong);
    }
    Ok(())
}

/// When a session signed in at `now` ends.
pub fn expires_at(now: UnixSeconds) -> UnixSeconds {
    now + SESSION_LIFETIME.as_secs() as i64
}

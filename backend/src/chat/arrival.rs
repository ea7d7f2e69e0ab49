//! What a new connection brings to the hub.

use super::account::Account;
use super::ports::{SessionRecord, SessionTxn};
use super::tokens::SessionKey;
use std::net::{IpAddr, Ipv4Addr};

/// What a new connection brings: its resume token and address, what the store
/// knows of the session its token names (see [`EarlierSession`]), and the account
/// it signed in as.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub resume: Option<String>,
    pub peer: IpAddr,
    pub earlier: Option<EarlierSession>,
    pub account: Option<Account>,
    /// The client has shown it can resume (it connected with `?resume=` or `?v=`).
    /// A guest whose client never did, such as the tutorial's, leaves as soon as
    /// its connection drops, as on the tutorial's server.
    pub resumable: bool,
    /// With `account`: the hash of the session token it signed in with.
    pub session_hash: Option<String>,
}

impl Default for Arrival {
    fn default() -> Self {
        Self {
            resume: None,
            peer: IpAddr::V4(Ipv4Addr::LOCALHOST),
            earlier: None,
            account: None,
            resumable: true,
            session_hash: None,
        }
    }
}

/// What the store keeps of a session that may no longer be live (its grace
/// period ran out, or the server restarted), named by a valid token or by an
/// account: the newcomer takes up its key, so what it stored is still recognised
/// when resent, and its id, name and rooms.
#[derive(Debug, Clone)]
pub struct EarlierSession {
    pub session: SessionKey,
    pub txns: Vec<SessionTxn>,
    pub record: Option<SessionRecord>,
}

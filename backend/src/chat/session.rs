//! The transactions a session recently sent, so a resend is recognised instead of
//! stored twice.
//!
//! A transaction is named by its room *and* its `txn_id`: a client that reuses an
//! id in another room is sending another message. Entries are a few dozen bytes
//! (the message is not kept, only its id: a resend's echo is rebuilt from the
//! room's memory or the store), so the map is bounded in bytes by its count.

use confab_shared::MessageId;
use std::collections::{HashMap, VecDeque};

/// Transactions remembered per session; older ones are forgotten first.
pub const TXNS_REMEMBERED: usize = 64;

/// Where a client's transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Txn {
    /// Queued for storage; its echo will follow.
    InFlight,
    /// Stored with this id; a resend is answered with that message again.
    Stored(MessageId),
}

/// (room, txn_id)
type TxnKey = (String, String);

/// A bounded map of recent transactions, oldest forgotten first.
#[derive(Debug, Default)]
pub struct RecentTxns {
    states: HashMap<TxnKey, Txn>,
    order: VecDeque<TxnKey>,
}

impl RecentTxns {
    pub fn get(&self, room: &str, txn_id: &str) -> Option<Txn> {
        // Borrowed lookups of a tuple key need an owned key; txn ids are short.
        self.states
            .get(&(room.to_owned(), txn_id.to_owned()))
            .copied()
    }

    pub fn set(&mut self, room: &str, txn_id: &str, state: Txn) {
        let key = (room.to_owned(), txn_id.to_owned());
        if self.states.insert(key.clone(), state).is_none() {
            self.order.push_back(key);
            if self.order.len() > TXNS_REMEMBERED
                && let Some(oldest) = self.order.pop_front()
            {
                self.states.remove(&oldest);
            }
        }
    }

    pub fn forget(&mut self, room: &str, txn_id: &str) {
        let key = (room.to_owned(), txn_id.to_owned());
        if self.states.remove(&key).is_some() {
            self.order.retain(|k| *k != key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_a_bounded_number() {
        let mut txns = RecentTxns::default();
        for i in 0..TXNS_REMEMBERED + 1 {
            txns.set("general", &i.to_string(), Txn::InFlight);
        }
        assert!(txns.get("general", "0").is_none());
        assert!(txns.get("general", &TXNS_REMEMBERED.to_string()).is_some());
    }

    #[test]
    fn the_same_txn_id_in_another_room_is_another_transaction() {
        let mut txns = RecentTxns::default();
        txns.set("general", "t1", Txn::Stored(5));
        assert_eq!(txns.get("general", "t1"), Some(Txn::Stored(5)));
        assert_eq!(txns.get("random", "t1"), None);
        txns.forget("general", "t1");
        assert_eq!(txns.get("general", "t1"), None);
    }
}

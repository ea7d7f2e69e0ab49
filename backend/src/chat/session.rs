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

/// A bounded map of recent transactions, oldest forgotten first.
///
/// Keyed by `txn_id`, then room: the lookup on every message borrows both strings
/// instead of building an owned (room, txn_id) key. A txn_id is almost always used
/// in one room only, so the inner list is one entry long.
#[derive(Debug, Default)]
pub struct RecentTxns {
    states: HashMap<String, Vec<(String, Txn)>>,
    /// (txn_id, room), oldest first.
    order: VecDeque<(String, String)>,
}

impl RecentTxns {
    pub fn get(&self, room: &str, txn_id: &str) -> Option<Txn> {
        let rooms = self.states.get(txn_id)?;
        rooms
            .iter()
            .find(|(r, _)| r == room)
            .map(|&(_, state)| state)
    }

    pub fn set(&mut self, room: &str, txn_id: &str, state: Txn) {
        let rooms = self.states.entry(txn_id.to_owned()).or_default();
        if let Some(known) = rooms.iter_mut().find(|(r, _)| r == room) {
            known.1 = state;
            return;
        }
        rooms.push((room.to_owned(), state));
        self.order.push_back((txn_id.to_owned(), room.to_owned()));
        if self.order.len() > TXNS_REMEMBERED
            && let Some((txn, room)) = self.order.pop_front()
        {
            self.remove(&room, &txn);
        }
    }

    pub fn forget(&mut self, room: &str, txn_id: &str) {
        if self.remove(room, txn_id) {
            self.order.retain(|(t, r)| !(t == txn_id && r == room));
        }
    }

    /// Drops the entry from the map only; true if it was there.
    fn remove(&mut self, room: &str, txn_id: &str) -> bool {
        let Some(rooms) = self.states.get_mut(txn_id) else {
            return false;
        };
        let before = rooms.len();
        rooms.retain(|(r, _)| r != room);
        let removed = rooms.len() < before;
        if rooms.is_empty() {
            self.states.remove(txn_id);
        }
        removed
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

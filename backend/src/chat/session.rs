//! What a user keeps across reconnects: a resume token and the transactions
//! recently sent, so a resend is recognised instead of stored twice.

use crate::store::StoredMessage;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// Transactions remembered per user; older ones are forgotten first.
const TXNS_REMEMBERED: usize = 64;

/// A fresh unguessable resume token (128 random bits, hex).
pub fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Where a client's `txn_id` stands.
#[derive(Debug, Clone)]
pub enum Txn {
    /// Queued for storage; its echo will follow.
    InFlight,
    /// Stored; a resend is answered with this message again.
    Stored(Arc<StoredMessage>),
}

/// A bounded map of recent transactions, oldest forgotten first.
#[derive(Debug, Default)]
pub struct RecentTxns {
    states: HashMap<String, Txn>,
    order: VecDeque<String>,
}

impl RecentTxns {
    pub fn get(&self, txn_id: &str) -> Option<&Txn> {
        self.states.get(txn_id)
    }

    pub fn set(&mut self, txn_id: &str, state: Txn) {
        if self.states.insert(txn_id.to_owned(), state).is_none() {
            self.order.push_back(txn_id.to_owned());
            if self.order.len() > TXNS_REMEMBERED
                && let Some(oldest) = self.order.pop_front()
            {
                self.states.remove(&oldest);
            }
        }
    }

    pub fn forget(&mut self, txn_id: &str) {
        if self.states.remove(txn_id).is_some() {
            self.order.retain(|t| t != txn_id);
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
            txns.set(&i.to_string(), Txn::InFlight);
        }
        assert!(txns.get("0").is_none());
        assert!(txns.get(&TXNS_REMEMBERED.to_string()).is_some());
        assert_ne!(new_token(), new_token());
        assert_eq!(new_token().len(), 32);
    }
}

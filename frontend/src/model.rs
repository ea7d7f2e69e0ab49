//! The client's view of the chat as plain data: no signals, no DOM, so the rules
//! (who is online, which message is whose, what is still unconfirmed) are unit-tested
//! natively. The UI keeps one `Chat` in a signal and renders from it.

use confab_shared::server::{ServerMessage, UserInfo};
use confab_shared::{UnixSeconds, UserId};
use std::collections::VecDeque;

/// Most entries kept in memory; older ones scroll away for good.
pub const MAX_ENTRIES: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub id: UserId,
    pub name: String,
}

/// Who a line in the message list came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    Public {
        from_id: UserId,
        from_name: String,
        own: bool,
    },
    PrivateIn {
        from_id: UserId,
        from_name: String,
    },
    PrivateOut {
        to_id: UserId,
        to_name: String,
    },
    System,
    Error,
}

/// Where one of our own public messages stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Confirmed by the server (or not ours to confirm).
    Sent,
    /// Sent, waiting for the server's echo with this transaction id.
    Pending { txn_id: String },
    /// No echo came (disconnected or timed out); the user may retry.
    Failed { txn_id: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable, unique render key.
    pub key: u64,
    pub kind: EntryKind,
    pub text: String,
    pub time: UnixSeconds,
    pub delivery: Delivery,
}

/// What the UI should do after a server frame is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    Nothing,
    /// We are in: reset backoff; send this rename if the server gave us another name.
    Welcomed {
        restore_name: Option<String>,
    },
    /// Someone else said something (counts toward the unread badge).
    Incoming,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Chat {
    pub me: Option<Me>,
    pub users: Vec<UserInfo>,
    pub entries: VecDeque<Entry>,
    /// The user chosen for private mode, by id and name.
    pub private_to: Option<(UserId, String)>,
    /// The nickname the user chose; set again after every reconnect.
    pub chosen_name: Option<String>,
    /// The last rename error, shown beside the name field.
    pub name_error: Option<String>,
    next_key: u64,
}

impl Chat {
    pub fn new(chosen_name: Option<String>) -> Self {
        Self {
            chosen_name,
            ..Self::default()
        }
    }

    pub fn my_id(&self) -> Option<UserId> {
        self.me.as_ref().map(|m| m.id)
    }

    pub fn apply(&mut self, message: ServerMessage) -> Applied {
        match message {
            ServerMessage::Welcome { content, timestamp } => {
                let restore_name = self
                    .chosen_name
                    .clone()
                    .filter(|name| *name != content.user_name);
                self.me = Some(Me {
                    id: content.user_id,
                    name: content.user_name,
                });
                self.users.clear();
                self.push(EntryKind::System, content.message, timestamp);
                return Applied::Welcomed { restore_name };
            }
            ServerMessage::Users { content, .. } => self.users = content,
            ServerMessage::Join {
                content, timestamp, ..
            } => {
                if !self.users.iter().any(|u| u.id == content.user_id) {
                    self.users.push(UserInfo {
                        id: content.user_id,
                        name: content.user_name.clone(),
                        connected_at: timestamp,
                    });
                }
                self.push(
                    EntryKind::System,
                    format!("{} joined", content.user_name),
                    timestamp,
                );
            }
            ServerMessage::Leave {
                content, timestamp, ..
            } => {
                self.users.retain(|u| u.id != content.user_id);
                let mut text = format!("{} left", content.user_name);
                if self
                    .private_to
                    .as_ref()
                    .is_some_and(|(id, _)| *id == content.user_id)
                {
                    self.private_to = None;
                    text.push_str("; private chat ended");
                }
                self.push(EntryKind::System, text, timestamp);
            }
            ServerMessage::Message {
                from_id,
                from_name,
                content,
                timestamp,
                txn_id,
            } => {
                let own = self.my_id() == Some(from_id);
                // Our own echo confirms the line shown when we sent it.
                if own
                    && let Some(txn_id) = txn_id
                    && let Some(entry) = self.entries.iter_mut().find(|e| e.is_awaiting(&txn_id))
                {
                    entry.delivery = Delivery::Sent;
                    entry.time = timestamp;
                    return Applied::Nothing;
                }
                self.push(
                    EntryKind::Public {
                        from_id,
                        from_name,
                        own,
                    },
                    content,
                    timestamp,
                );
                if !own {
                    return Applied::Incoming;
                }
            }
            ServerMessage::NameChanged { content, timestamp } => {
                if let Some(me) = self.me.as_mut() {
                    me.name = content.new_name.clone();
                    let id = me.id;
                    self.rename_user(id, &content.new_name);
                }
                self.chosen_name = Some(content.new_name.clone());
                self.name_error = None;
                self.push(
                    EntryKind::System,
                    format!("You are now {}", content.new_name),
                    timestamp,
                );
            }
            ServerMessage::UserRenamed {
                content, timestamp, ..
            } => {
                self.rename_user(content.user_id, &content.new_name);
                if let Some((id, name)) = self.private_to.as_mut()
                    && *id == content.user_id
                {
                    *name = content.new_name.clone();
                }
                let text = format!("{} is now {}", content.old_name, content.new_name);
                self.push(EntryKind::System, text, timestamp);
            }
            ServerMessage::PrivateMessage {
                from_id,
                from_name,
                content,
                timestamp,
            } => {
                self.push(
                    EntryKind::PrivateIn { from_id, from_name },
                    content,
                    timestamp,
                );
                return Applied::Incoming;
            }
            ServerMessage::PrivateMessageSent {
                to_id,
                to_name,
                content,
                timestamp,
            } => {
                self.push(EntryKind::PrivateOut { to_id, to_name }, content, timestamp);
            }
            ServerMessage::Stats { .. } => {}
            ServerMessage::Error { content, timestamp } => {
                if content.message.starts_with("Invalid name") {
                    self.name_error = Some(content.message.clone());
                }
                self.push(EntryKind::Error, content.message, timestamp);
            }
        }
        Applied::Nothing
    }

    /// Adds our own public message, shown at once and marked until the server echoes it.
    pub fn add_pending(&mut self, content: String, txn_id: String, now: UnixSeconds) {
        let (from_id, from_name) = self
            .me
            .as_ref()
            .map_or((0, String::new()), |m| (m.id, m.name.clone()));
        self.push(
            EntryKind::Public {
                from_id,
                from_name,
                own: true,
            },
            content,
            now,
        );
        if let Some(entry) = self.entries.back_mut() {
            entry.delivery = Delivery::Pending { txn_id };
        }
    }

    /// Marks one pending message failed (its echo did not come in time).
    pub fn fail(&mut self, txn_id: &str) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.is_awaiting(txn_id)) {
            entry.delivery = Delivery::Failed {
                txn_id: txn_id.to_owned(),
            };
        }
    }

    /// Marks a message failed only if it is still waiting (its echo may have come).
    pub fn fail_if_pending(&mut self, txn_id: &str) {
        if self
            .entries
            .iter()
            .any(|e| matches!(&e.delivery, Delivery::Pending { txn_id: t } if t == txn_id))
        {
            self.fail(txn_id);
        }
    }

    /// The connection dropped: nothing still pending will be confirmed.
    pub fn connection_lost(&mut self) {
        for entry in &mut self.entries {
            if let Delivery::Pending { txn_id } = &entry.delivery {
                entry.delivery = Delivery::Failed {
                    txn_id: txn_id.clone(),
                };
            }
        }
        self.users.clear();
    }

    /// Puts a failed message back to pending for a resend; returns its text.
    pub fn retry(&mut self, key: u64) -> Option<(String, String)> {
        let entry = self.entries.iter_mut().find(|e| e.key == key)?;
        let Delivery::Failed { txn_id } = &entry.delivery else {
            return None;
        };
        let txn_id = txn_id.clone();
        entry.delivery = Delivery::Pending {
            txn_id: txn_id.clone(),
        };
        Some((entry.text.clone(), txn_id))
    }

    pub fn note(&mut self, text: impl Into<String>, now: UnixSeconds) {
        self.push(EntryKind::System, text.into(), now);
    }

    fn rename_user(&mut self, id: UserId, name: &str) {
        if let Some(user) = self.users.iter_mut().find(|u| u.id == id) {
            user.name = name.to_owned();
        }
    }

    fn push(&mut self, kind: EntryKind, text: String, time: UnixSeconds) {
        self.next_key += 1;
        self.entries.push_back(Entry {
            key: self.next_key,
            kind,
            text,
            time,
            delivery: Delivery::Sent,
        });
        while self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
        }
    }
}

impl Entry {
    fn is_awaiting(&self, txn: &str) -> bool {
        matches!(&self.delivery, Delivery::Pending { txn_id } | Delivery::Failed { txn_id } if txn_id == txn)
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;

//! [`Hub`]: who is online, and where each frame goes.

use super::now_unix;
use super::outbox::{Eviction, Frame, Outbox};
use confab_shared::client::{self, ClientMessage, DecodeError};
use confab_shared::server::{
    self, NameChanged, Presence, ServerMessage, Stats, UserInfo, UserRenamed, Welcome,
};
use confab_shared::{UnixSeconds, UserId};
use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

const WELCOME_TEXT: &str = "Welcome to the chat room!";

struct Member {
    name: String,
    connected_at: UnixSeconds,
    outbox: Outbox,
}

/// All online users and the routing between them.
///
/// Every method runs to completion without awaiting, under one lock
/// ([`SharedHub`]); that lock is what gives every client the same order of public
/// messages.
pub struct Hub {
    /// Ordered by id, so the online list reads in order of arrival.
    members: BTreeMap<UserId, Member>,
    next_id: UserId,
    started: Instant,
    /// Members whose queue overflowed during the current operation; they are
    /// removed once it finishes, so a broadcast never mutates what it iterates.
    overflowed: Vec<UserId>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    pub fn new() -> Self {
        Self {
            members: BTreeMap::new(),
            next_id: 1,
            started: Instant::now(),
            overflowed: Vec::new(),
        }
    }

    /// Number of users online.
    pub fn online(&self) -> usize {
        self.members.len()
    }

    /// Registers a new connection as `User<id>`: sends it `welcome` and the online
    /// list, and announces it to everyone else with `join`.
    pub fn connect(&mut self, outbox: Outbox) -> UserId {
        let id = self.next_id;
        self.next_id += 1;
        let name = format!("User{id}");
        let now = now_unix();
        self.members.insert(
            id,
            Member {
                name: name.clone(),
                connected_at: now,
                outbox,
            },
        );

        let welcome = ServerMessage::Welcome {
            content: Welcome {
                user_id: id,
                user_name: name.clone(),
                message: WELCOME_TEXT.into(),
                server_stats: self.stats(),
            },
            timestamp: now,
        };
        self.send(id, &welcome);
        self.send(id, &self.users_frame());
        let join = ServerMessage::Join {
            from_id: id,
            from_name: name.clone(),
            content: Presence {
                user_id: id,
                user_name: name,
                users_online: self.online(),
            },
            timestamp: now,
        };
        self.broadcast(&join, Some(id));
        self.settle();
        id
    }

    /// Removes a user and tells everyone left with `leave`. Unknown ids are ignored,
    /// so a connection may call this however it ended.
    pub fn disconnect(&mut self, id: UserId) {
        self.remove(id);
        self.settle();
    }

    /// Decodes one text frame from `id` and acts on it; bad input gets an `error`.
    pub fn handle_text(&mut self, id: UserId, text: &str) {
        match client::decode(text) {
            Ok(message) => self.handle(id, message),
            Err(error) => self.send_error(id, &error.to_string()),
        }
    }

    /// Acts on one decoded, validated message from `id`.
    pub fn handle(&mut self, id: UserId, message: ClientMessage) {
        if !self.members.contains_key(&id) {
            return;
        }
        match message {
            ClientMessage::Message { content, txn_id } => self.public_message(id, content, txn_id),
            ClientMessage::SetName { name } => self.rename(id, name),
            ClientMessage::PrivateMessage { to_id, content } => {
                self.private_message(id, to_id, content)
            }
            ClientMessage::GetUsers {} => self.send(id, &self.users_frame()),
            ClientMessage::GetStats {} => {
                let stats = ServerMessage::Stats {
                    content: self.stats(),
                    timestamp: now_unix(),
                };
                self.send(id, &stats);
            }
        }
        self.settle();
    }

    /// Sends `id` an `error` frame; the connection stays open.
    pub fn send_error(&mut self, id: UserId, text: &str) {
        self.send(id, &ServerMessage::error(text, now_unix()));
        self.settle();
    }

    /// Current server statistics, with a true online count.
    pub fn stats(&self) -> Stats {
        Stats {
            users_online: self.online(),
            uptime_seconds: self.started.elapsed().as_secs(),
            server_time: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }

    fn public_message(&mut self, id: UserId, content: String, txn_id: Option<String>) {
        let from_name = self.members[&id].name.clone();
        let message = ServerMessage::Message {
            from_id: id,
            from_name,
            content,
            timestamp: now_unix(),
            txn_id: None,
        };
        // Everyone, the sender included, gets the message at the same point in the
        // stream; the lock makes that one order for all. The sender's copy differs
        // only by the txn_id it chose, so it is encoded separately only then.
        match txn_id {
            None => self.broadcast(&message, None),
            Some(txn_id) => {
                self.broadcast(&message, Some(id));
                let ServerMessage::Message {
                    from_id,
                    from_name,
                    content,
                    timestamp,
                    ..
                } = message
                else {
                    unreachable!("built as a message above")
                };
                let echo = ServerMessage::Message {
                    from_id,
                    from_name,
                    content,
                    timestamp,
                    txn_id: Some(txn_id),
                };
                self.send(id, &echo);
            }
        }
    }

    fn rename(&mut self, id: UserId, new_name: String) {
        let member = self
            .members
            .get_mut(&id)
            .expect("caller checked membership");
        let old_name = std::mem::replace(&mut member.name, new_name.clone());
        let now = now_unix();
        let changed = ServerMessage::NameChanged {
            content: NameChanged {
                old_name: old_name.clone(),
                new_name: new_name.clone(),
            },
            timestamp: now,
        };
        self.send(id, &changed);
        let renamed = ServerMessage::UserRenamed {
            from_id: id,
            from_name: new_name.clone(),
            content: UserRenamed {
                user_id: id,
                old_name,
                new_name,
            },
            timestamp: now,
        };
        self.broadcast(&renamed, Some(id));
    }

    fn private_message(&mut self, id: UserId, to_id: UserId, content: String) {
        let Some(target) = self.members.get(&to_id) else {
            self.send(
                id,
                &ServerMessage::error(DecodeError::UnknownRecipient.to_string(), now_unix()),
            );
            return;
        };
        let to_name = target.name.clone();
        let now = now_unix();
        let delivered = ServerMessage::PrivateMessage {
            from_id: id,
            from_name: self.members[&id].name.clone(),
            content: content.clone(),
            timestamp: now,
        };
        self.send(to_id, &delivered);
        let receipt = ServerMessage::PrivateMessageSent {
            to_id,
            to_name,
            content,
            timestamp: now,
        };
        self.send(id, &receipt);
    }

    fn users_frame(&self) -> ServerMessage {
        let users = self
            .members
            .iter()
            .map(|(&id, m)| UserInfo {
                id,
                name: m.name.clone(),
                connected_at: m.connected_at,
            })
            .collect();
        ServerMessage::Users {
            content: users,
            timestamp: now_unix(),
        }
    }

    fn remove(&mut self, id: UserId) -> Option<Outbox> {
        let member = self.members.remove(&id)?;
        let leave = ServerMessage::Leave {
            from_id: server::SYSTEM_ID,
            from_name: server::SYSTEM_NAME.into(),
            content: Presence {
                user_id: id,
                user_name: member.name,
                users_online: self.online(),
            },
            timestamp: now_unix(),
        };
        self.broadcast(&leave, None);
        Some(member.outbox)
    }

    /// Encodes once, then queues the same bytes for every member but `except`.
    fn broadcast(&mut self, message: &ServerMessage, except: Option<UserId>) {
        let frame = Frame::from(message.encode());
        for (&id, member) in &self.members {
            if Some(id) != except && member.outbox.push(frame.clone()).is_err() {
                self.overflowed.push(id);
            }
        }
    }

    fn send(&mut self, id: UserId, message: &ServerMessage) {
        if let Some(member) = self.members.get(&id)
            && member.outbox.push(Frame::from(message.encode())).is_err()
        {
            self.overflowed.push(id);
        }
    }

    /// Evicts members whose queue overflowed. Each eviction broadcasts a `leave`,
    /// which may overflow further queues, so this runs until nothing is left.
    fn settle(&mut self) {
        while let Some(id) = self.overflowed.pop() {
            if let Some(outbox) = self.remove(id) {
                tracing::warn!(user_id = id, "send queue full; disconnecting slow client");
                outbox.evict(Eviction::QueueFull);
            }
        }
    }
}

/// The hub behind a lock, shared by every connection.
///
/// A plain `std` mutex: critical sections never await and only queue frames.
#[derive(Default)]
pub struct SharedHub(Mutex<Hub>);

impl SharedHub {
    /// Runs `f` with exclusive access to the hub.
    pub fn with<R>(&self, f: impl FnOnce(&mut Hub) -> R) -> R {
        // A panic inside the hub must not wedge every other connection.
        let mut hub = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut hub)
    }
}

#[cfg(test)]
#[path = "hub_tests.rs"]
mod tests;

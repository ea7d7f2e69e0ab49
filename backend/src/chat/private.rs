//! Private messages. Between two accounts they are stored: they have their own
//! history and unread counts, and reach an account that is away when it comes back.
//! With a guest on either side they are the tutorial's: delivered live, or "User
//! not found or offline".

use super::hub::Hub;
use super::now_unix;
use super::ports::{StoredPrivate, Write};
use confab_shared::client::DecodeError;
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, MessageId, UserId};
use std::sync::Arc;

impl Hub {
    pub(super) fn private_message(&mut self, user: UserId, to_id: UserId, content: String) {
        if !self.may_post(user, None, &content, &None) {
            return;
        }
        let sender_is_account = self.members[&user].role.is_some();
        match self.members.account_name(to_id) {
            Some(to_name) if sender_is_account && to_id != user => {
                let to_name = to_name.to_owned();
                self.store_private(user, to_id, to_name, content)
            }
            _ => self.private_live(user, to_id, content),
        }
    }

    /// The tutorial's private message: to an online user, now, or not at all.
    fn private_live(&mut self, user: UserId, to_id: UserId, content: String) {
        let target = self.members.get(&to_id).filter(|m| m.is_online());
        let Some(target) = target else {
            let error = DecodeError::UnknownRecipient;
            return self.send_error(user, error.code(), &error.to_string());
        };
        let to_name = target.name().to_owned();
        let now = now_unix();
        let delivered = ServerMessage::PrivateMessage {
            from_id: user,
            from_name: self.members[&user].name().to_owned(),
            content: content.clone(),
            timestamp: now,
            id: None,
        };
        self.send_all(to_id, &delivered);
        let receipt = ServerMessage::PrivateMessageSent {
            to_id,
            to_name,
            content,
            timestamp: now,
            id: None,
        };
        self.send_all(user, &receipt);
    }

    /// Queued for storage; delivered by [`Hub::private_committed`] once durable.
    fn store_private(&mut self, user: UserId, to_id: UserId, to_name: String, content: String) {
        let message = StoredPrivate {
            id: self.next_private_id,
            from_id: user,
            from_name: self.members[&user].name().to_owned(),
            to_id,
            to_name,
            content,
            timestamp: now_unix(),
        };
        if self
            .persist
            .try_send(Write::Private(Arc::new(message)))
            .is_err()
        {
            let text = "Server busy; message not sent, please retry";
            return self.send_error(user, ErrorCode::ServerBusy, text);
        }
        self.next_private_id += 1;
        if let Some(member) = self.members.get_mut(&user) {
            member.in_flight += 1;
        }
    }

    /// A stored private message reaches every tab of both ends; an unstored one
    /// is an error for its sender.
    pub(super) fn private_committed(&mut self, message: &StoredPrivate, stored: bool) {
        if !stored {
            let text = "Message not saved (storage error); please retry";
            self.send_error(message.from_id, ErrorCode::StorageError, text);
            return;
        }
        let delivered = ServerMessage::PrivateMessage {
            from_id: message.from_id,
            from_name: message.from_name.clone(),
            content: message.content.clone(),
            timestamp: message.timestamp,
            id: Some(message.id),
        };
        self.send_all(message.to_id, &delivered);
        let receipt = ServerMessage::PrivateMessageSent {
            to_id: message.to_id,
            to_name: message.to_name.clone(),
            content: message.content.clone(),
            timestamp: message.timestamp,
            id: Some(message.id),
        };
        self.send_all(message.from_id, &receipt);
    }

    /// A stored `mark_read` reaches the other side, whose client shows "seen";
    /// stored first, so the conversation list agrees with it after a reload.
    pub(super) fn private_read_committed(&mut self, user: UserId, with_id: UserId, id: MessageId) {
        let seen = ServerMessage::Read {
            room: None,
            user_id: user,
            id,
            timestamp: now_unix(),
        };
        self.send_all(with_id, &seen);
    }

    /// What a guest gets for asking for what only accounts have.
    pub(super) fn accounts_only(&mut self, user: UserId) -> bool {
        if self.members[&user].role.is_some() {
            return false;
        }
        let text = "Sign in to keep private conversations";
        self.send_error(user, ErrorCode::SignInRequired, text);
        true
    }

    /// `mark_read`: remembered for the conversation list's unread counts; once
    /// stored, the other side hears of it ([`Hub::private_read_committed`]).
    pub(super) fn mark_read(&mut self, user: UserId, with_id: UserId, id: MessageId) {
        if self.accounts_only(user) {
            return;
        }
        let write = Write::PrivateRead {
            user,
            with_id,
            up_to: id,
        };
        if self.persist.try_send(write).is_err() {
            tracing::warn!(user_id = user, "storage queue full; read marker not saved");
        }
    }
}

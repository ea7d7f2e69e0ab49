//! Stored private conversations (signed-in users): the list with unread counts,
//! and the one open, with its messages from the server's history.

use super::{Applied, Chat, EntryKind};
use confab_shared::client::ClientMessage;
use confab_shared::server::{Conversation, PrivateHistory, PrivateItem};
use confab_shared::{MessageId, UnixSeconds, UserId};

/// The conversation shown in place of a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenConversation {
    pub with_id: UserId,
    pub with_name: String,
    /// Oldest first, by id.
    pub messages: Vec<PrivateItem>,
    /// The last of our messages the other side has read ("seen").
    pub seen_up_to: Option<MessageId>,
}

impl Chat {
    /// Opens the conversation with `with_id`: asks for its history and marks it read.
    pub fn open_conversation(&mut self, with_id: UserId, with_name: String) -> Vec<ClientMessage> {
        self.private_to = Some((with_id, with_name.clone()));
        let seen_up_to = self
            .conversations
            .iter()
            .find(|c| c.with_id == with_id)
            .and_then(|c| c.seen_up_to);
        self.conversation = Some(OpenConversation {
            with_id,
            with_name,
            messages: Vec::new(),
            seen_up_to,
        });
        vec![ClientMessage::GetPrivateHistory {
            with_id,
            before_id: None,
            limit: None,
        }]
    }

    /// Back to the room, and out of private mode: what is typed next never goes
    /// to the room from a private view.
    pub fn close_conversation(&mut self) {
        self.conversation = None;
        self.private_to = None;
    }

    pub(super) fn on_conversations(&mut self, list: Vec<Conversation>) {
        self.conversations = list;
    }

    pub(super) fn on_private_history(&mut self, page: PrivateHistory, applied: &mut Applied) {
        let Some(open) = self
            .conversation
            .as_mut()
            .filter(|c| c.with_id == page.with_id)
        else {
            return;
        };
        for item in page.messages {
            insert(&mut open.messages, item);
        }
        applied.send.extend(self.read_to_end(page.with_id));
    }

    /// A stored private message, to or from us: into its conversation, open or listed.
    pub(super) fn on_stored_private(&mut self, item: PrivateItem, applied: &mut Applied) {
        let Some(me) = self.my_id() else { return };
        let incoming = item.to_id == me;
        let (peer, peer_name) = match incoming {
            true => (item.from_id, item.from_name.clone()),
            false => (item.to_id, self.name_of(item.to_id)),
        };
        let open = self.conversation.as_mut().filter(|c| c.with_id == peer);
        let reading = open.is_some();
        if let Some(open) = open {
            insert(&mut open.messages, item.clone());
        }
        match self.conversations.iter().position(|c| c.with_id == peer) {
            Some(at) => {
                let mut listed = self.conversations.remove(at);
                listed.last = item;
                listed.unread += u32::from(incoming && !reading);
                self.conversations.insert(0, listed);
            }
            None => self.conversations.insert(
                0,
                Conversation {
                    with_id: peer,
                    with_name: peer_name,
                    last: item,
                    unread: u32::from(incoming && !reading),
                    seen_up_to: None,
                },
            ),
        }
        if reading && incoming {
            applied.send.extend(self.read_to_end(peer));
        }
    }

    /// `private_message`: a line in the room shown, and, between accounts, into
    /// its conversation.
    pub(super) fn on_private_in(
        &mut self,
        from_id: UserId,
        from_name: String,
        content: String,
        timestamp: UnixSeconds,
        id: Option<MessageId>,
        applied: &mut Applied,
    ) {
        if let (Some(id), Some(me)) = (id, self.my_id()) {
            let item = PrivateItem {
                id,
                from_id,
                from_name: from_name.clone(),
                to_id: me,
                content: content.clone(),
                timestamp,
            };
            self.on_stored_private(item, applied);
        }
        self.notice_private(from_id, &from_name, &content, applied);
        let kind = EntryKind::PrivateIn { from_id, from_name };
        self.line_in(&self.current.clone(), kind, content, timestamp);
        applied.incoming = true;
    }

    /// `private_message_sent`: as [`Chat::on_private_in`], for our own.
    pub(super) fn on_private_out(
        &mut self,
        to_id: UserId,
        to_name: String,
        content: String,
        timestamp: UnixSeconds,
        id: Option<MessageId>,
        applied: &mut Applied,
    ) {
        if let (Some(id), Some(me)) = (id, self.me.clone()) {
            let item = PrivateItem {
                id,
                from_id: me.id,
                from_name: me.name,
                to_id,
                content: content.clone(),
                timestamp,
            };
            self.on_stored_private(item, applied);
        }
        let kind = EntryKind::PrivateOut { to_id, to_name };
        self.line_in(&self.current.clone(), kind, content, timestamp);
    }

    /// Marks the conversation with `peer` read up to its newest message.
    fn read_to_end(&mut self, peer: UserId) -> Option<ClientMessage> {
        let newest = self
            .conversation
            .as_ref()
            .and_then(|c| c.messages.last())
            .map(|m| m.id)?;
        let listed = self.conversations.iter_mut().find(|c| c.with_id == peer);
        if let Some(listed) = listed {
            listed.unread = 0;
        }
        Some(ClientMessage::MarkRead {
            with_id: peer,
            id: newest,
        })
    }

    fn name_of(&self, id: UserId) -> String {
        self.conversations
            .iter()
            .find(|c| c.with_id == id)
            .map(|c| c.with_name.clone())
            .or_else(|| {
                self.private_to
                    .as_ref()
                    .filter(|(to, _)| *to == id)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_else(|| format!("User{id}"))
    }
}

/// Inserts `item` in id order, once.
fn insert(messages: &mut Vec<PrivateItem>, item: PrivateItem) {
    if let Err(at) = messages.binary_search_by_key(&item.id, |m| m.id) {
        messages.insert(at, item);
    }
}

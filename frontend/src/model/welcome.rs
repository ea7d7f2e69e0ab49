//! Arriving: what `welcome` changes, what to ask for and resend after it, and
//! becoming someone else (signing in or out).

use super::paging::history;
use super::{Applied, Chat, Delivery, EntryKind, Me};
use confab_shared::UnixSeconds;
use confab_shared::UserId;
use confab_shared::client::ClientMessage;
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::server::Welcome;

impl Chat {
    pub(super) fn on_welcome(
        &mut self,
        content: Welcome,
        timestamp: UnixSeconds,
        applied: &mut Applied,
    ) {
        let first = self.me.is_none();
        let someone_else = !first && self.my_id() != Some(content.user_id);
        if self.my_id() != Some(content.user_id) {
            self.reown(content.user_id);
            // Signed out elsewhere, say: the account's conversations are not ours.
            self.conversations.clear();
            self.close_conversation();
        }
        let me = Me {
            id: content.user_id,
            name: content.user_name.clone(),
            signed_in: content.account.is_some(),
            role: content.account.as_ref().map(|a| a.role),
        };
        self.resume_token = content.resume_token;
        self.sign_in_required = false;
        applied.welcomed = true;
        applied.send = self.after_welcome(&me, content.resumed);
        self.me = Some(me);
        let text = match (first, someone_else, content.account.is_some()) {
            (true, _, _) => content.message,
            (false, true, true) => format!("Signed in as {}", content.user_name),
            (false, true, false) => format!("You are now {}, a guest", content.user_name),
            (false, false, _) => "Reconnected".into(),
        };
        self.note(text, timestamp);
    }

    /// Signed in or out, we are another user: whose messages are our own changes.
    /// A changed line gets a new key, so the view draws it again.
    fn reown(&mut self, me: UserId) {
        for timeline in self.rooms.values_mut() {
            for entry in &mut timeline.entries {
                // Ours while waiting to be stored, whoever we are now.
                let waiting = !matches!(entry.delivery, Delivery::Sent);
                if let EntryKind::Public { from_id, own, .. } = &mut entry.kind
                    && !waiting
                    && *own != (*from_id == me)
                {
                    *own = *from_id == me;
                    self.next_key += 1;
                    entry.key = self.next_key;
                }
            }
        }
    }

    /// The user signed in or out: the next connection is someone else, so it must
    /// not resume this one's session.
    pub fn identity_changed(&mut self) {
        self.resume_token = None;
        self.sign_in_required = false;
        self.conversations.clear();
        self.close_conversation();
    }

    fn after_welcome(&mut self, me: &Me, resumed: bool) -> Vec<ClientMessage> {
        let mut send = Vec::new();
        // An account's name is its own; a guest takes back the name it chose.
        let chosen = self.chosen_name.clone().filter(|_| !me.signed_in);
        if let Some(name) = chosen.filter(|n| *n != me.name) {
            send.push(ClientMessage::SetName { name });
        }
        for (room, timeline) in &self.rooms {
            if !resumed && room != DEFAULT_ROOM {
                send.push(ClientMessage::JoinRoom { room: room.clone() });
            }
            if let Some(after) = timeline.cursor() {
                send.push(history(room, None, Some(after)));
            }
        }
        for (room, timeline) in &self.rooms {
            for entry in &timeline.entries {
                if let Delivery::Pending { txn_id } = &entry.delivery {
                    send.push(ClientMessage::Message {
                        content: entry.text.clone(),
                        txn_id: Some(txn_id.clone()),
                        room: Some(room.clone()),
                        reply_to: entry.reply_to,
                        attachments: entry.attachments.clone(),
                    });
                }
            }
        }
        send.push(ClientMessage::ListRooms {});
        if me.signed_in {
            send.push(ClientMessage::GetConversations {});
            if let Some(open) = &self.conversation {
                send.push(ClientMessage::GetPrivateHistory {
                    with_id: open.with_id,
                    before_id: None,
                    limit: None,
                });
            }
        }
        send
    }
}

//! Finishing a [`Followup`] once the store has answered.

use super::hub::Hub;
use super::now_unix;
use super::ports::{ConversationSummary, StoredPrivate};
use super::ports::{StoredMessage, Write};
use super::request::{Answer, Followup};
use super::room::{Room, history_message, keep_oldest};
use confab_shared::moderation::AuditPage;
use confab_shared::server::{PrivateHistory, ServerMessage};
use confab_shared::{ErrorCode, UserId};

impl Hub {
    /// Finishes `followup` with the store's `answer`.
    pub fn complete(&mut self, followup: Followup, answer: Answer) {
        match (followup, answer) {
            (
                Followup::History {
                    user, room, range, ..
                },
                Answer::Messages(Ok(found)),
            ) => {
                self.send(
                    user,
                    &history_message(&room, found.iter(), keep_oldest(&range)),
                );
            }
            (Followup::Echo { user, txn_id, .. }, Answer::Message(Ok(Some(found)))) => {
                let echo = super::messages::echo(&found, Some(txn_id));
                self.send(user, &echo);
            }
            (
                Followup::Revive {
                    user,
                    room,
                    read_only,
                },
                Answer::Messages(Ok(recent)),
            ) => {
                self.revive_room(user, room, read_only, recent);
            }
            (Followup::PrivateHistory { user, with_id, .. }, Answer::Private(Ok(mut found))) => {
                found.reverse();
                let page = PrivateHistory {
                    with_id,
                    messages: found.iter().map(StoredPrivate::to_item).collect(),
                };
                let frame = ServerMessage::PrivateHistory {
                    content: page,
                    timestamp: now_unix(),
                };
                self.send(user, &frame);
            }
            (Followup::Conversations { user }, Answer::Conversations(Ok(found))) => {
                let frame = ServerMessage::Conversations {
                    content: found.iter().map(ConversationSummary::to_wire).collect(),
                    timestamp: now_unix(),
                };
                self.send(user, &frame);
            }
            (Followup::Delete { user, .. }, Answer::Message(Ok(found))) => {
                self.delete_found(user, found);
            }
            (Followup::Edit { user, content, .. }, Answer::Message(Ok(found))) => {
                self.edit_found(user, content, found);
            }
            (Followup::React { user, emoji, .. }, Answer::Message(Ok(found))) => {
                self.react_found(user, emoji, found);
            }
            (
                Followup::Search {
                    user, query, room, ..
                },
                Answer::Messages(Ok(found)),
            ) => self.search_found(user, query, room, &found),
            (Followup::Audit { user, .. }, Answer::Audit(Ok(entries))) => {
                let frame = ServerMessage::Audit {
                    content: AuditPage { entries },
                    timestamp: now_unix(),
                };
                self.send(user, &frame);
            }
            (
                Followup::Attach {
                    user,
                    room,
                    txn_id,
                    post,
                },
                Answer::Uploads(Ok(found)),
            ) => self.attach_found(user, room, txn_id, post, found),
            (followup, answer) => {
                if let Answer::Messages(Err(error))
                | Answer::Message(Err(error))
                | Answer::Private(Err(error))
                | Answer::Conversations(Err(error))
                | Answer::Audit(Err(error))
                | Answer::Uploads(Err(error)) = answer
                {
                    tracing::error!(%error, source = %error.source, ?followup, "store query failed");
                }
                let user = followup.user();
                self.send_error(
                    user,
                    ErrorCode::StorageError,
                    "Storage is unavailable right now; please retry",
                );
            }
        }
    }

    /// Brings an archived room back with its latest stored messages and joins
    /// `user` to it; it is announced to everyone once stored again.
    fn revive_room(
        &mut self,
        user: UserId,
        room: String,
        read_only: bool,
        recent: Vec<StoredMessage>,
    ) {
        if !self.members.contains_key(&user) {
            return;
        }
        let key = confab_shared::names::key(&room);
        let Some(archived) = self.directory.take_archived(&key) else {
            // Created meanwhile by someone else: just join it.
            let room = self.resolve_room(&room);
            return self.join_room(user, room);
        };
        let write = Write::Room {
            name: archived.name.clone(),
            created_at: super::now_unix(),
            by: user,
            read_only,
        };
        if self.persist.try_send(write).is_err() {
            self.directory.put_archived(key, archived);
            return self.send_error(
                user,
                ErrorCode::ServerBusy,
                "Server busy: room not created, please retry",
            );
        }
        let mut revived = Room::restore(recent);
        revived.skip_ids_below(archived.next_id);
        revived.read_only = read_only;
        self.add_room(archived.name.clone(), revived);
        self.join_room(user, archived.name);
    }
}

//! Delivery: frames into members' queues, and what happens to a member whose
//! queue is full.

use super::hub::Hub;
use super::now_unix;
use super::outbox::{Eviction, Frame};
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, UserId};

impl Hub {
    /// Encodes once, then queues the same bytes for every member of `room` but `except`.
    pub(super) fn broadcast_room(
        &mut self,
        room: &str,
        message: &ServerMessage,
        except: Option<UserId>,
    ) {
        let Some(room) = self.rooms.get(room) else {
            return;
        };
        let frame = Frame::from(message.encode());
        for &id in &room.members {
            if Some(id) != except
                && let Some(outbox) = self.members.get(&id).and_then(|m| m.outbox.as_ref())
                && outbox.push(frame.clone()).is_err()
            {
                self.overflowed.push(id);
            }
        }
    }

    /// Queues one frame for every member, online or not.
    pub(super) fn broadcast_all(&mut self, message: &ServerMessage) {
        let frame = Frame::from(message.encode());
        for id in self.members.ids() {
            self.push(id, frame.clone());
        }
    }

    pub(super) fn send(&mut self, user: UserId, message: &ServerMessage) {
        self.push(user, Frame::from(message.encode()));
    }

    pub(super) fn send_error(&mut self, user: UserId, code: ErrorCode, text: &str) {
        self.send(user, &ServerMessage::error(code, text, now_unix()));
    }

    pub(super) fn push(&mut self, user: UserId, frame: Frame) {
        if let Some(outbox) = self.members.get(&user).and_then(|m| m.outbox.as_ref())
            && outbox.push(frame).is_err()
        {
            self.overflowed.push(user);
        }
    }

    /// Evicts members whose queue overflowed. Each eviction broadcasts `leave`, which
    /// may overflow further queues, so this runs until nothing is left. Called only
    /// by [`Hub::apply`], after every operation.
    pub(super) fn settle(&mut self) {
        while let Some(user) = self.overflowed.pop() {
            if let Some(outbox) = self.remove(user) {
                tracing::warn!(user_id = user, "send queue full; disconnecting slow client");
                outbox.evict(Eviction::QueueFull);
            }
        }
    }
}

//! Delivery: frames into members' queues, and what happens to a member whose
//! queue is full.

use super::hub::Hub;
use super::now_unix;
use super::outbox::{Eviction, Frame};
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, UserId};
use std::time::Instant;

impl Hub {
    /// Closes link `conn` of `user`, telling it `why` if the hub chose to; a user
    /// left without connections leaves at once.
    pub(super) fn drop_link(&mut self, user: UserId, conn: u64, why: Option<Eviction>) {
        let Some(link) = self.members.unlink(user, conn, Instant::now()) else {
            return;
        };
        if let Some(why) = why {
            link.outbox.evict(why);
        }
        if !self.members[&user].is_online() {
            self.remove(user);
        }
    }

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
            if Some(id) == except {
                continue;
            }
            let Some(member) = self.members.get(&id) else {
                continue;
            };
            for link in &member.links {
                if link.outbox.push(frame.clone()).is_err() {
                    self.overflowed.push((id, link.conn));
                }
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

    /// Queues a frame for `user`: for the connection that asked, while its request
    /// is being handled (the hub's `asking`); otherwise for every connection.
    pub(super) fn push(&mut self, user: UserId, frame: Frame) {
        match self.asking.filter(|s| s.user == user) {
            Some(session) => self.push_to(user, Some(session.conn), frame),
            None => self.push_to(user, None, frame),
        }
    }

    /// Queues a frame for every connection of `user`, even while one of them asks:
    /// what changes the user for all its tabs (a room joined, a message sent).
    pub(super) fn send_all(&mut self, user: UserId, message: &ServerMessage) {
        self.push_to(user, None, Frame::from(message.encode()));
    }

    /// Queues a frame for connection `conn` of `user`, or for all of them.
    pub(super) fn push_to(&mut self, user: UserId, conn: Option<u64>, frame: Frame) {
        let Some(member) = self.members.get(&user) else {
            return;
        };
        for link in member
            .links
            .iter()
            .filter(|l| conn.is_none_or(|c| c == l.conn))
        {
            if link.outbox.push(frame.clone()).is_err() {
                self.overflowed.push((user, link.conn));
            }
        }
    }

    /// Closes connections whose queue overflowed; a user left without one leaves,
    /// which broadcasts `leave` and may overflow further queues, so this runs until
    /// nothing is left. Called only by [`Hub::apply`], after every operation.
    pub(super) fn settle(&mut self) {
        while let Some((user, conn)) = self.overflowed.pop() {
            if self.members.get(&user).and_then(|m| m.link(conn)).is_some() {
                tracing::warn!(user_id = user, "send queue full; disconnecting slow client");
                metrics::counter!("confab_evictions_total").increment(1);
                self.drop_link(user, conn, Some(Eviction::QueueFull));
            }
        }
    }
}

//! [`Sanctions`]: the mutes and bans in force, in memory, so that checking one on
//! every message and every upgrade costs a hash look-up, not a query.

use super::{Ban, Mute};
use confab_shared::{UnixSeconds, UserId};
use std::collections::HashMap;
use std::net::IpAddr;

/// Mutes and bans in force. Their number is what moderators made, and expired
/// ones are dropped by [`Sanctions::expire`], so this stays small.
#[derive(Debug, Default)]
pub struct Sanctions {
    /// Per user: at most one mute everywhere (room None) and one per room.
    mutes: HashMap<UserId, Vec<Mute>>,
    /// A muted guest's address, and whose mute applies there.
    muted_addresses: HashMap<IpAddr, UserId>,
    bans: HashMap<UserId, Ban>,
    banned_addresses: HashMap<IpAddr, UserId>,
}

impl Sanctions {
    /// What the store kept, less what ran out by `now`.
    pub fn new(mutes: Vec<Mute>, bans: Vec<Ban>, now: UnixSeconds) -> Self {
        let mut sanctions = Self::default();
        for mute in mutes.into_iter().filter(|m| m.until > now) {
            sanctions.mute(mute);
        }
        for ban in bans.into_iter().filter(|b| b.in_force(now)) {
            sanctions.ban(ban);
        }
        sanctions
    }

    /// Adds a mute, replacing one of the same user and room.
    pub fn mute(&mut self, mute: Mute) {
        if let Some(address) = mute.address {
            self.muted_addresses.insert(address, mute.user_id);
        }
        let list = self.mutes.entry(mute.user_id).or_default();
        list.retain(|m| m.room != mute.room);
        list.push(mute);
    }

    /// Lifts `user`'s mute in `room` (None: the one everywhere); the lifted mute.
    pub fn unmute(&mut self, user: UserId, room: Option<&str>) -> Option<Mute> {
        let list = self.mutes.get_mut(&user)?;
        let at = list.iter().position(|m| m.room.as_deref() == room)?;
        let mute = list.swap_remove(at);
        if list.is_empty() {
            self.mutes.remove(&user);
            self.muted_addresses.retain(|_, id| *id != user);
        }
        Some(mute)
    }

    /// The mute that keeps `user` (a guest at `guest_address`, if a guest) from
    /// posting in `room` (None: a private message) at `now`, if any.
    pub fn muted(
        &self,
        user: UserId,
        guest_address: Option<IpAddr>,
        room: Option<&str>,
        now: UnixSeconds,
    ) -> Option<&Mute> {
        let by_address = guest_address.and_then(|a| self.muted_addresses.get(&a));
        [Some(&user), by_address]
            .into_iter()
            .flatten()
            .filter_map(|id| self.mutes.get(id))
            .flatten()
            .filter(|m| m.until > now && (m.room.is_none() || m.room.as_deref() == room))
            .max_by_key(|m| m.until)
    }

    pub fn ban(&mut self, ban: Ban) {
        if let Some(address) = ban.address {
            self.banned_addresses.insert(address, ban.user_id);
        }
        self.bans.insert(ban.user_id, ban);
    }

    pub fn unban(&mut self, user: UserId) -> Option<Ban> {
        let ban = self.bans.remove(&user)?;
        self.banned_addresses.retain(|_, id| *id != user);
        Some(ban)
    }

    /// The ban in force at `now` on the account `account`, or on a guest at `address`.
    pub fn banned(
        &self,
        account: Option<UserId>,
        address: IpAddr,
        now: UnixSeconds,
    ) -> Option<&Ban> {
        let id = match account {
            Some(id) => id,
            None => *self.banned_addresses.get(&address)?,
        };
        self.bans.get(&id).filter(|b| b.in_force(now))
    }

    /// The name `user` had when muted or banned, if it is under either.
    pub fn name_of(&self, user: UserId) -> Option<&str> {
        let muted = self.mutes.get(&user).and_then(|list| list.first());
        muted
            .map(|m| m.name.as_str())
            .or_else(|| self.bans.get(&user).map(|b| b.name.as_str()))
    }

    /// Drops what ran out by `now`; returns the mutes that did, to tell their users.
    pub fn expire(&mut self, now: UnixSeconds) -> Vec<Mute> {
        let over: Vec<(UserId, Option<String>)> = self
            .mutes
            .values()
            .flatten()
            .filter(|m| m.until <= now)
            .map(|m| (m.user_id, m.room.clone()))
            .collect();
        let ended = over
            .into_iter()
            .filter_map(|(user, room)| self.unmute(user, room.as_deref()))
            .collect();
        let lapsed: Vec<UserId> = self
            .bans
            .values()
            .filter(|b| !b.in_force(now))
            .map(|b| b.user_id)
            .collect();
        for user in lapsed {
            self.unban(user);
        }
        ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mute(user: UserId, room: Option<&str>, until: UnixSeconds) -> Mute {
        Mute {
            user_id: user,
            name: format!("User{user}"),
            room: room.map(Into::into),
            address: None,
            until,
            reason: String::new(),
            by_name: "mod".into(),
        }
    }

    #[test]
    fn a_room_mute_keeps_its_room_and_a_global_one_everything() {
        let mut s = Sanctions::default();
        s.mute(mute(1, Some("books"), 100));
        assert!(s.muted(1, None, Some("books"), 10).is_some());
        assert!(s.muted(1, None, Some("general"), 10).is_none());
        assert!(s.muted(1, None, None, 10).is_none());
        s.mute(mute(1, None, 50));
        assert!(s.muted(1, None, None, 10).is_some());
        assert!(s.muted(1, None, Some("general"), 60).is_none(), "ran out");
        assert_eq!(s.expire(60).len(), 1);
        assert!(s.unmute(1, Some("books")).is_some());
        assert!(s.muted(1, None, Some("books"), 10).is_none());
    }

    #[test]
    fn a_guests_address_carries_its_mute_and_ban_to_a_new_id() {
        let address: IpAddr = "192.0.2.7".parse().unwrap();
        let mut s = Sanctions::default();
        s.mute(Mute {
            address: Some(address),
            ..mute(5, None, 100)
        });
        assert!(s.muted(9, Some(address), Some("general"), 10).is_some());
        assert!(
            s.muted(9, None, Some("general"), 10).is_none(),
            "an account"
        );
        s.ban(Ban {
            user_id: 5,
            name: "User5".into(),
            address: Some(address),
            until: None,
            reason: String::new(),
            by_name: "mod".into(),
        });
        assert!(s.banned(None, address, 10).is_some());
        assert!(s.banned(Some(9), address, 10).is_none());
        assert!(s.unban(5).is_some());
        assert!(s.banned(None, address, 10).is_none());
    }
}

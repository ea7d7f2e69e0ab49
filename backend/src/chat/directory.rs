//! Which room a name means, which names are archived, and who may create rooms.
//!
//! Room names are unique by [`confab_shared::names::key`]: `Books`, `BOOKS` and
//! `ＢＯＯＫＳ` are one room, and `join_room "BOOKS"` finds `Books`. Creating rooms
//! is limited per client address, since rooms outlive their creator and their
//! names are shown to everyone.

use super::ports::ArchivedRoom;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;

pub struct RoomDirectory {
    /// Key → the room's name as shown, for every active room.
    active: HashMap<String, String>,
    /// Key → archived room, for bringing one back when its name is created again.
    archived: HashMap<String, ArchivedRoom>,
    creations: DefaultKeyedRateLimiter<IpAddr>,
}

impl RoomDirectory {
    pub fn new(per_hour: u32, archived: Vec<ArchivedRoom>) -> Self {
        let per_hour = NonZeroU32::new(per_hour).unwrap_or(NonZeroU32::MIN);
        Self {
            active: HashMap::new(),
            archived: archived
                .into_iter()
                .map(|room| (confab_shared::names::key(&room.name), room))
                .collect(),
            creations: RateLimiter::keyed(Quota::per_hour(per_hour)),
        }
    }

    /// The active room `name` means, if any.
    pub fn find(&self, name: &str) -> Option<&str> {
        self.active
            .get(&confab_shared::names::key(name))
            .map(String::as_str)
    }

    pub fn add(&mut self, name: &str) {
        let key = confab_shared::names::key(name);
        self.archived.remove(&key);
        // Two stored rooms may share a key (made before names were folded): the
        // first keeps it, and the other is still reachable by its exact name.
        self.active.entry(key).or_insert_with(|| name.to_owned());
    }

    pub fn archive(&mut self, room: ArchivedRoom) {
        let key = confab_shared::names::key(&room.name);
        if self.active.get(&key) == Some(&room.name) {
            self.active.remove(&key);
        }
        self.archived.insert(key, room);
    }

    pub fn is_archived(&self, key: &str) -> bool {
        self.archived.contains_key(key)
    }

    pub fn take_archived(&mut self, key: &str) -> Option<ArchivedRoom> {
        self.archived.remove(key)
    }

    pub fn put_archived(&mut self, key: String, room: ArchivedRoom) {
        self.archived.insert(key, room);
    }

    /// Whether `peer` may create one more room now (and counts it if so).
    pub fn may_create(&self, peer: IpAddr) -> bool {
        self.creations.check_key(&peer).is_ok()
    }

    /// Forgets addresses whose allowance is full again, so the limiter's memory
    /// follows the active creators, not every address ever seen.
    pub fn forget_idle_creators(&self) {
        self.creations.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_by_key_and_creation_is_limited_per_address() {
        let mut directory = RoomDirectory::new(2, vec![]);
        directory.add("Books");
        assert_eq!(directory.find("BOOKS"), Some("Books"));
        assert_eq!(directory.find("ｂｏｏｋｓ"), Some("Books"));
        assert_eq!(directory.find("films"), None);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(directory.may_create(a) && directory.may_create(a));
        assert!(!directory.may_create(a));
        assert!(directory.may_create(b));
    }

    #[test]
    fn archived_rooms_leave_the_index_until_added_again() {
        let mut directory = RoomDirectory::new(10, vec![]);
        directory.add("Éclair");
        directory.archive(ArchivedRoom {
            name: "Éclair".into(),
            next_id: 7,
        });
        assert_eq!(directory.find("éclair"), None);
        let key = confab_shared::names::key("ÉCLAIR");
        assert!(directory.is_archived(&key));
        assert_eq!(directory.take_archived(&key).map(|r| r.next_id), Some(7));
    }
}

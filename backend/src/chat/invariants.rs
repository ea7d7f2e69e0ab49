//! What must hold between every two hub operations: rooms and members list each
//! other, and the members' indexes agree. Checked by the fuzzer after every
//! step (see `crate::fuzzing`).

use super::Hub;
use std::time::Instant;

impl Hub {
    /// `Err` names the first broken invariant. Call it after `expire(now)`.
    pub fn check_invariants(&self, now: Instant) -> Result<(), String> {
        self.members.check(now, self.settings.resume_grace)?;
        for (name, room) in &self.rooms {
            for id in &room.members {
                let member = self
                    .members
                    .get(id)
                    .ok_or_else(|| format!("room {name} lists departed user {id}"))?;
                if !member.rooms.contains(name) {
                    return Err(format!("room {name} lists user {id}, who is not in it"));
                }
            }
        }
        for (id, member) in self.members.iter() {
            for name in &member.rooms {
                let listed = self
                    .rooms
                    .get(name)
                    .is_some_and(|r| r.members.contains(&id));
                if !listed {
                    return Err(format!("user {id} is in {name}, which does not list them"));
                }
            }
        }
        Ok(())
    }
}

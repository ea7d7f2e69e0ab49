//! The members' indexes agree with one another: what the fuzzer checks after
//! every step (see `crate::fuzzing`).

use super::Members;
use std::time::{Duration, Instant};

impl Members {
    /// `Err` names the first disagreement. After `Hub::expire(now)`, no member
    /// may be detached for longer than `grace`.
    pub fn check(&self, now: Instant, grace: Duration) -> Result<(), String> {
        for (id, member) in &self.by_id {
            let detached = member.links.is_empty();
            if detached != self.detached.contains(id) || detached != member.detached_at.is_some() {
                return Err(format!(
                    "user {id}: {} links, but the detached index says {}",
                    member.links.len(),
                    self.detached.contains(id)
                ));
            }
            if member
                .detached_at
                .is_some_and(|at| now.duration_since(at) >= grace)
            {
                return Err(format!("user {id} has no connection past the grace period"));
            }
            if self.sessions.get(&member.session) != Some(id) {
                return Err(format!("user {id}: its session is not indexed to it"));
            }
        }
        if let Some(id) = self.detached.iter().find(|id| !self.by_id.contains_key(id)) {
            return Err(format!("detached index holds departed user {id}"));
        }
        if let Some((key, id)) = self
            .names
            .iter()
            .find(|(_, id)| !self.by_id.contains_key(id))
        {
            return Err(format!("name {key:?} held by departed user {id}"));
        }
        if let Some((_, id)) = self.sessions.iter().find(|(key, id)| {
            self.by_id
                .get(id)
                .is_none_or(|member| member.session != **key)
        }) {
            return Err(format!("a session indexed to user {id} is not theirs"));
        }
        if self
            .by_id
            .keys()
            .next_back()
            .is_some_and(|last| *last >= self.next_id)
        {
            return Err("a user id at or past the next one to issue".into());
        }
        Ok(())
    }
}

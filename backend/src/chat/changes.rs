//! Changes to stored messages after they were sent, as the core and its store
//! speak of them: an edit, and a reaction added or taken back.

use confab_shared::reactions::{MAX_REACTORS_LISTED, Reaction};
use confab_shared::{MessageId, UnixSeconds, UserId};

/// A message's new text, from its sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageEdit {
    pub room: String,
    pub id: MessageId,
    pub content: String,
    pub edited_at: UnixSeconds,
    /// The id the room's sequence gave this change.
    pub rev: MessageId,
    /// Who asked (the sender), to hear of a failure.
    pub by: UserId,
}

/// One emoji on a message and who reacted with it, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReaction {
    pub emoji: String,
    pub users: Vec<UserId>,
}

impl StoredReaction {
    pub fn to_wire(&self) -> Reaction {
        Reaction {
            emoji: self.emoji.clone(),
            count: self.users.len() as u32,
            user_ids: self
                .users
                .iter()
                .take(MAX_REACTORS_LISTED)
                .copied()
                .collect(),
        }
    }
}

/// Adds (`on`) or takes back `user`'s `emoji` on a message; the emoji's count after.
pub fn toggle_reaction(
    reactions: &mut Vec<StoredReaction>,
    emoji: &str,
    user: UserId,
    on: bool,
) -> u32 {
    let at = match reactions.iter().position(|r| r.emoji == emoji) {
        Some(at) => at,
        None if on => {
            reactions.push(StoredReaction {
                emoji: emoji.to_owned(),
                users: Vec::new(),
            });
            reactions.len() - 1
        }
        None => return 0,
    };
    let users = &mut reactions[at].users;
    match (on, users.iter().position(|u| *u == user)) {
        (true, None) => users.push(user),
        (false, Some(found)) => {
            users.remove(found);
        }
        _ => {}
    }
    let count = users.len() as u32;
    if count == 0 {
        reactions.remove(at);
    }
    count
}

/// A reaction added or taken back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionChange {
    pub room: String,
    pub id: MessageId,
    pub emoji: String,
    pub user: UserId,
    pub on: bool,
    /// The emoji's count once changed, as the message stood when asked (memory
    /// recounts if it holds the message).
    pub count: u32,
    /// The id the room's sequence gave this change.
    pub rev: MessageId,
}

//! Edits and deletions arriving for messages held: live (`message_edited`,
//! `message_deleted`) or in a catch-up, each applied only if newer than what is
//! shown, and each moving the room's catch-up cursor past it.

use super::{Chat, Timeline};
use confab_shared::client::ClientMessage;
use confab_shared::reactions::{MAX_REACTORS_LISTED, Reaction};
use confab_shared::server::HistoryItem;
use confab_shared::{MessageId, UserId};

impl Timeline {
    /// Brings a held message up to `item`, if `item` is newer; false if the
    /// message is not held.
    pub(super) fn update(&mut self, item: &HistoryItem) -> bool {
        let Some(entry) = self.entries_mut().find(|e| e.id == Some(item.id)) else {
            return false;
        };
        let rev = item.rev.unwrap_or(0);
        if rev > entry.rev {
            entry.rev = rev;
            entry.text.clone_from(&item.content);
            entry.deleted = item.deleted;
            entry.edited = item.edited_at.is_some();
            entry.reactions.clone_from(&item.reactions);
        }
        true
    }
}

impl Chat {
    /// `message_edited`: the new text of a message, if held and not newer already.
    pub(super) fn on_message_edited(
        &mut self,
        room: &str,
        id: MessageId,
        content: String,
        rev: MessageId,
    ) {
        let Some(t) = self.rooms.get_mut(room) else {
            return;
        };
        if let Some(entry) = t.entries_mut().find(|e| e.id == Some(id) && e.rev < rev) {
            entry.text = content;
            entry.edited = true;
            entry.rev = rev;
        }
        t.seen(rev);
    }

    /// Asks to change our message `id` in the current room to `content`; the
    /// list shows the new text once the server has stored it.
    pub fn edit_message(&self, id: MessageId, content: String) -> Option<ClientMessage> {
        let content = content.trim_end().to_owned();
        let entry = self.timeline().entries.iter().find(|e| e.id == Some(id))?;
        if !entry.is_own_public() || entry.deleted || content.trim().is_empty() {
            return None;
        }
        (entry.text != content).then(|| ClientMessage::EditMessage {
            room: self.current.clone(),
            id,
            content,
        })
    }

    /// `reaction`: someone added or took back an emoji on a message held.
    pub(super) fn on_reaction(&mut self, room: &str, change: ReactionEvent) {
        let Some(t) = self.rooms.get_mut(room) else {
            return;
        };
        if let Some(entry) = t
            .entries_mut()
            .find(|e| e.id == Some(change.id) && e.rev < change.rev)
        {
            entry.rev = change.rev;
            apply_reaction(&mut entry.reactions, &change);
        }
        t.seen(change.rev);
    }

    /// Adds our `emoji` to message `id` of the current room, or takes it back.
    pub fn react(&self, id: MessageId, emoji: &str) -> ClientMessage {
        ClientMessage::React {
            room: self.current.clone(),
            id,
            emoji: emoji.to_owned(),
        }
    }

    /// Our newest message in the current room that may still be edited (for
    /// the Up arrow in an empty composer).
    pub fn last_own_message(&self) -> Option<MessageId> {
        let entries = self.timeline().entries.iter().rev();
        entries
            // An image without words has no text to edit.
            .filter(|e| e.is_own_public() && !e.deleted && !e.text.is_empty())
            .find_map(|e| e.id)
    }
}

/// A `reaction` event's news.
pub struct ReactionEvent {
    pub id: MessageId,
    pub emoji: String,
    pub user_id: UserId,
    pub on: bool,
    pub count: u32,
    pub rev: MessageId,
}

/// Brings one emoji of a message's reactions up to `change`.
fn apply_reaction(reactions: &mut Vec<Reaction>, change: &ReactionEvent) {
    let at = match reactions.iter().position(|r| r.emoji == change.emoji) {
        Some(at) => at,
        None => {
            reactions.push(Reaction {
                emoji: change.emoji.clone(),
                count: 0,
                user_ids: Vec::new(),
            });
            reactions.len() - 1
        }
    };
    let reaction = &mut reactions[at];
    reaction.count = change.count;
    reaction.user_ids.retain(|u| *u != change.user_id);
    if change.on && reaction.user_ids.len() < MAX_REACTORS_LISTED {
        reaction.user_ids.push(change.user_id);
    }
    if reaction.count == 0 {
        reactions.remove(at);
    }
}

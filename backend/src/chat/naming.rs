//! Nicknames: one per online user, none alike.
//!
//! Two online users may not show names with the same key
//! ([`confab_shared::names::key`]: case-folded, compatibility-normalized and
//! reduced to their confusable skeleton), and nobody may take a `User<n>` name but
//! its own: those are the names the server hands out, and the next newcomer's
//! must be free. A registered name belongs to its account alone, online or not.

use super::hub::Hub;
use super::now_unix;
use super::outbox::Eviction;
use confab_shared::names;
use confab_shared::server::{self, ServerMessage};
use confab_shared::{ErrorCode, UserId};

impl Hub {
    /// Registers a new account's name: no guest may take it from now on.
    pub fn register_account(&mut self, name_key: String, user: UserId, name: String) {
        self.members.register(name_key, user, name);
    }

    /// Closes every connection signed in with the session whose token hashes to
    /// `session_hash`: signing out takes effect at once, not at the next reconnect.
    pub fn end_session(&mut self, session_hash: &str) {
        let mut signed_out = Vec::new();
        for (id, member) in self.members.iter() {
            for link in &member.links {
                if link.signed_in_with.as_deref() == Some(session_hash) {
                    signed_out.push((id, link.conn));
                }
            }
        }
        for (user, conn) in signed_out {
            self.drop_link(user, conn, Some(Eviction::SignedOut));
        }
    }

    /// A fresh user id for a new account, never given to anyone before.
    pub fn reserve_user_id(&mut self) -> UserId {
        self.members.reserve_id()
    }

    /// Whether an online user other than `except` shows a name with this key.
    pub fn name_shown(&self, name_key: &str, except: Option<UserId>) -> bool {
        self.members
            .shown_by(name_key)
            .is_some_and(|holder| Some(holder) != except)
    }

    pub(super) fn rename(&mut self, user: UserId, new_name: String) {
        if self.members[&user].role.is_some() {
            let text = "Signed-in users keep their account name";
            return self.send_error(user, ErrorCode::InvalidName, text);
        }
        let key = names::key(&new_name);
        let own_default = names::key(&format!("User{user}"));
        if key != own_default && is_server_assigned(&new_name) {
            let error = confab_shared::limits::NameError::Reserved;
            return self.send_error(user, ErrorCode::InvalidName, &error.to_string());
        }
        let Ok(old_name) = self.members.rename(user, new_name.clone()) else {
            let text = format!("Name already in use: {new_name}");
            return self.send_error(user, ErrorCode::NameTaken, &text);
        };
        self.announce_rename(user, old_name, new_name);
    }

    /// A guest showing a name its account now claims goes back to `User<id>`.
    pub(super) fn rename_to_default(&mut self, guest: UserId) {
        let name = format!("User{guest}");
        if let Ok(old_name) = self.members.rename(guest, name.clone()) {
            self.announce_rename(guest, old_name, name);
        }
    }

    /// `name_changed` to every connection of the user, `user_renamed` to everyone else.
    fn announce_rename(&mut self, user: UserId, old_name: String, new_name: String) {
        let now = now_unix();
        let changed = ServerMessage::NameChanged {
            content: server::NameChanged {
                old_name: old_name.clone(),
                new_name: new_name.clone(),
            },
            timestamp: now,
        };
        self.send_all(user, &changed);
        let renamed = ServerMessage::UserRenamed {
            from_id: user,
            from_name: new_name.clone(),
            content: server::UserRenamed {
                user_id: user,
                old_name,
                new_name,
            },
            timestamp: now,
        };
        let frame = super::Frame::from(renamed.encode());
        for id in self.members.ids().into_iter().filter(|&id| id != user) {
            self.push(id, frame.clone());
        }
        self.persist_session(user);
    }
}

/// `User` followed by digits, in any case or width: the server's default names.
pub(crate) fn is_server_assigned(name: &str) -> bool {
    let folded = names::fold(name);
    folded
        .strip_prefix("user")
        .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_names_are_recognised() {
        assert!(super::is_server_assigned("User12"));
        assert!(super::is_server_assigned("ＵＳＥＲ３"));
        assert!(!super::is_server_assigned("User"));
        assert!(!super::is_server_assigned("Users1"));
        assert!(!super::is_server_assigned("User 1a"));
    }
}

//! `search`: the hub checks who may search where and hands the query to the
//! store (only it holds every message); the answer goes back as `search_results`.

use super::hub::Hub;
use super::now_unix;
use super::ports::{SearchQuery, StoredMessage};
use super::request::Followup;
use super::room::fit;
use confab_shared::search::{MAX_SEARCH_RESULTS, SearchResults, search_terms};
use confab_shared::server::ServerMessage;
use confab_shared::{ErrorCode, UserId};

impl Hub {
    /// Searches `room`, or every room `user` is in. A room one is not in is not
    /// searched: its messages are read by joining it, as everyone's are.
    pub(super) fn search(
        &mut self,
        user: UserId,
        query: String,
        room: Option<String>,
    ) -> Option<Followup> {
        let room = room.map(|room| self.resolve_room(&room));
        let joined = &self.members[&user].rooms;
        let rooms: Vec<String> = match &room {
            Some(room) if !self.rooms.contains_key(room) => {
                self.no_such_room(user, room);
                return None;
            }
            Some(room) if !joined.contains(room) => {
                let text = format!("You are not in room: {room}");
                self.send_error(user, ErrorCode::NotInRoom, &text);
                return None;
            }
            Some(room) => vec![room.clone()],
            None => joined.iter().cloned().collect(),
        };
        // `decode` checked the query; a refusal here cannot happen.
        let terms = search_terms(&query).unwrap_or_default();
        Some(Followup::Search {
            user,
            query,
            room,
            search: SearchQuery {
                terms,
                rooms,
                limit: MAX_SEARCH_RESULTS,
            },
        })
    }

    /// Sends `user` what the store found, newest first, within a page's bytes.
    pub(super) fn search_found(
        &mut self,
        user: UserId,
        query: String,
        room: Option<String>,
        found: &[StoredMessage],
    ) {
        let (messages, truncated) = fit(found.iter(), true);
        let frame = ServerMessage::SearchResults {
            content: SearchResults {
                query,
                room,
                messages,
                truncated,
            },
            timestamp: now_unix(),
        };
        self.send(user, &frame);
    }
}

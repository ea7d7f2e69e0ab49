//! Search: the query asked, the results that answer it, and jumping to a result
//! in its room, with the history around it when that is not held.

use super::Chat;
use super::paging::history;
use confab_shared::MessageId;
use confab_shared::client::ClientMessage;
use confab_shared::search::{SearchResults, search_terms_with};
use confab_shared::server::HistoryItem;

/// The search panel's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The query last asked, as typed.
    pub query: String,
    /// The room it was limited to, if any.
    pub room: Option<String>,
    /// Asked, not yet answered.
    pub pending: bool,
    /// Its results, newest first.
    pub results: Vec<HistoryItem>,
    pub truncated: bool,
    /// Why the query was not sent (empty, too long).
    pub problem: Option<String>,
}

/// A message to bring into view: the room's history around it is fetched first
/// when it is not held (`stage`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    pub room: String,
    pub id: MessageId,
    pub stage: JumpStage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JumpStage {
    /// The page ending with the message was asked for.
    Older,
    /// The page after it was asked for.
    Newer,
    /// Held: the view scrolls to it, then clears the jump.
    Shown,
}

impl Chat {
    /// Asks for `query` in `room` (or every room one is in); None, with the
    /// problem noted, when the server would refuse it.
    pub fn search(&mut self, query: &str, room: Option<String>) -> Option<ClientMessage> {
        let query = query.trim().to_owned();
        if let Err(problem) = search_terms_with(&query, crate::text::lower) {
            self.search.problem = Some(problem);
            return None;
        }
        self.search = Search {
            query: query.clone(),
            room: room.clone(),
            pending: true,
            ..Search::default()
        };
        Some(ClientMessage::Search { query, room })
    }

    /// Results arrive; those of a query no longer asked are dropped.
    pub(super) fn on_search_results(&mut self, found: SearchResults) {
        if found.query != self.search.query || found.room != self.search.room {
            return;
        }
        self.search.pending = false;
        self.search.results = found.messages;
        self.search.truncated = found.truncated;
    }

    /// Shows message `id` of `room`: at once if held, otherwise after fetching
    /// the page that ends with it (the page after it follows, see
    /// [`Chat::jump_page_arrived`]). Returns what to send.
    pub fn jump_to(&mut self, room: &str, id: MessageId) -> Option<ClientMessage> {
        if !self.rooms.contains_key(room) {
            // Left since the search: join it again; its latest messages show.
            return self.open_room(room);
        }
        self.open_room(room);
        let timeline = self.rooms.get_mut(room).expect("joined");
        if timeline.holds(id) {
            self.jump = Some(Jump {
                room: room.to_owned(),
                id,
                stage: JumpStage::Shown,
            });
            return None;
        }
        timeline.show_window();
        self.jump = Some(Jump {
            room: room.to_owned(),
            id,
            stage: JumpStage::Older,
        });
        Some(history(room, Some(id.saturating_add(1)), None))
    }

    /// The jump's target, once it is held and should be scrolled to.
    pub fn jump_target(&self) -> Option<(String, MessageId)> {
        let jump = self.jump.as_ref()?;
        (jump.stage == JumpStage::Shown && self.current == jump.room)
            .then(|| (jump.room.clone(), jump.id))
    }

    /// A jump is under way: the list must not follow new messages to the end
    /// meanwhile (that would also fetch everything down to the newest).
    pub fn jumping(&self) -> bool {
        self.jump.is_some()
    }

    /// The view has scrolled to the target.
    pub fn jump_done(&mut self) {
        self.jump = None;
    }

    /// A page of `room` arrived while jumping: after the older page, asks for the
    /// newer one; after that, the newest messages are fetched only on the way
    /// down, as after any scrollback. `more` is the page merge's own follow-up.
    pub(super) fn jump_page_arrived(
        &mut self,
        room: &str,
        more: Option<ClientMessage>,
    ) -> Option<ClientMessage> {
        let Some(jump) = self.jump.as_mut().filter(|j| j.room == room) else {
            return more;
        };
        let timeline = self.rooms.get_mut(room)?;
        match jump.stage {
            JumpStage::Older => {
                jump.stage = JumpStage::Newer;
                timeline.loading_newer = true;
                Some(history(room, None, Some(jump.id)))
            }
            JumpStage::Newer => {
                jump.stage = JumpStage::Shown;
                // A full page leaves `more_after` set: the rest comes on the way down.
                timeline.loading_newer = false;
                None
            }
            JumpStage::Shown => more,
        }
    }
}

/// `text` cut into pieces, each marked if it is one of `terms` (lowercase), for
/// highlighting results. Case is ignored where lowercasing keeps byte offsets;
/// elsewhere nothing is marked rather than something wrong.
pub fn highlight(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let lower = crate::text::lower(text);
    if lower.len() != text.len() || terms.is_empty() {
        return vec![(text.to_owned(), false)];
    }
    let mut marked = vec![false; text.len()];
    for term in terms.iter().filter(|t| !t.is_empty()) {
        for (at, _) in lower.match_indices(term.as_str()) {
            marked[at..at + term.len()].fill(true);
        }
    }
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for (at, c) in text.char_indices() {
        let on = marked[at];
        match pieces.last_mut() {
            Some((piece, was)) if *was == on => piece.push(c),
            _ => pieces.push((c.to_string(), on)),
        }
    }
    pieces
}

/// Around the first match of a long text: at most `chars` characters, with an
/// ellipsis where cut.
pub fn excerpt(text: &str, terms: &[String], chars: usize) -> String {
    let count = text.chars().count();
    if count <= chars {
        return text.to_owned();
    }
    let lower = crate::text::lower(text);
    let first = terms
        .iter()
        .filter_map(|t| lower.find(t.as_str()))
        .min()
        .filter(|_| lower.len() == text.len())
        .map_or(0, |byte| text[..byte].chars().count());
    let start = first.saturating_sub(chars / 4).min(count - chars);
    let body: String = text.chars().skip(start).take(chars).collect();
    let before = if start > 0 { "…" } else { "" };
    let after = if start + chars < count { "…" } else { "" };
    format!("{before}{body}{after}")
}

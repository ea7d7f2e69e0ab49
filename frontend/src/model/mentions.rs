//! Mentions and links in message text: `@name` completion in the composer, the
//! pieces a message is drawn from (mentions marked, links made safe), and which
//! arriving messages deserve a notification.

use super::{Applied, Chat, Timeline};
use crate::text::lower;
use confab_shared::limits::MAX_NAME_CHARS;

/// Most names the completion list offers.
pub const MAX_SUGGESTIONS: usize = 6;
/// Longest notification body, in characters.
const NOTICE_CHARS: usize = 120;

/// One piece of a message's text, as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// `@name` of someone in the room; `me` when it names the viewer.
    Mention {
        text: String,
        me: bool,
    },
    /// An http or https address, drawn as a link that opens apart from the chat.
    Link(String),
}

/// A browser notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    /// The room to open on a click; None for a private message.
    pub room: Option<String>,
    /// Not what the user is looking at: notify even while the tab is visible.
    pub elsewhere: bool,
}

/// The `@prefix` being typed just before `caret` (a byte offset): where its `@`
/// is, and the prefix. Only at the start or after whitespace, so an e-mail
/// address is not a mention.
pub fn mention_at(draft: &str, caret: usize) -> Option<(usize, String)> {
    let before = draft.get(..caret)?;
    let at = before.rfind('@')?;
    let prefix = &before[at + 1..];
    let starts_word = before[..at]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    let plausible =
        prefix.chars().count() <= MAX_NAME_CHARS && !prefix.contains(char::is_whitespace);
    (starts_word && plausible).then(|| (at, prefix.to_owned()))
}

/// `draft` with what was typed at `at..caret` (`@prefix`, `:code`) replaced by
/// `insert` (`@name `, an emoji), and where the caret goes after it.
pub fn complete_mention(draft: &str, at: usize, caret: usize, insert: &str) -> (String, usize) {
    let text = format!("{}{insert}{}", &draft[..at], &draft[caret..]);
    (text, at + insert.len())
}

/// Whether `text` mentions `name`: `@name`, any case, not followed by more of a
/// word (so `@Ann` is not a mention of `An`).
pub fn mentions(text: &str, name: &str) -> bool {
    !name.is_empty() && find_mention(text, name, 0).is_some()
}

fn find_mention(text: &str, name: &str, from: usize) -> Option<usize> {
    let folded = lower(text);
    // Case folding that changes lengths would misplace offsets: exact case then.
    let (hay, needle) = match folded.len() == text.len() {
        true => (folded, format!("@{}", lower(name))),
        false => (text.to_owned(), format!("@{name}")),
    };
    let mut start = from;
    while let Some(found) = hay.get(start..)?.find(&needle) {
        let at = start + found;
        let end = at + needle.len();
        let whole = hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        if whole {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

/// Cuts `text` into pieces: links, mentions of `names` (the room's members),
/// and plain text in between. `me` is the viewer's name.
pub fn pieces(text: &str, names: &[String], me: Option<&str>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(link) = link_at(rest) {
            flush(&mut out, &mut plain);
            out.push(Piece::Link(link.to_owned()));
            rest = &rest[link.len()..];
            continue;
        }
        if rest.starts_with('@') && plain.chars().next_back().is_none_or(char::is_whitespace) {
            // The longest member name that is mentioned here ("Ann Lee" over "Ann").
            let named = names
                .iter()
                .filter(|n| find_mention(rest, n, 0) == Some(0))
                .max_by_key(|n| n.len());
            if let Some(name) = named {
                flush(&mut out, &mut plain);
                let len = 1 + name.len();
                let is_me = me.is_some_and(|m| m.eq_ignore_ascii_case(name) || m == name);
                out.push(Piece::Mention {
                    text: rest[..len].to_owned(),
                    me: is_me,
                });
                rest = &rest[len..];
                continue;
            }
        }
        let c = rest.chars().next().expect("not empty");
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut out, &mut plain);
    out
}

fn flush(out: &mut Vec<Piece>, plain: &mut String) {
    if !plain.is_empty() {
        out.push(Piece::Text(std::mem::take(plain)));
    }
}

/// An http(s) address at the start of `text`, without the punctuation that
/// usually ends the sentence around it.
fn link_at(text: &str) -> Option<&str> {
    let scheme = ["https://", "http://"].iter().find(|s| {
        text.get(..s.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(s))
    })?;
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        .unwrap_or(text.len());
    let link = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
    (link.len() > scheme.len()).then_some(link)
}

impl Chat {
    /// Members of the current room whose names start with `prefix` (any case),
    /// not counting oneself; at most [`MAX_SUGGESTIONS`].
    pub fn mention_suggestions(&self, prefix: &str) -> Vec<String> {
        let prefix = lower(prefix);
        let me = self.my_id();
        let mut names: Vec<String> = self
            .timeline()
            .members
            .iter()
            .filter(|u| Some(u.id) != me && lower(&u.name).starts_with(&prefix))
            .map(|u| u.name.clone())
            .collect();
        names.sort_by_key(|n| lower(n));
        names.dedup();
        names.truncate(MAX_SUGGESTIONS);
        names
    }

    /// The names mentions are recognised by in `room`: its members'.
    pub fn member_names(&self, room: &str) -> Vec<String> {
        self.rooms
            .get(room)
            .map(|t| t.members.iter().map(|u| u.name.clone()).collect())
            .unwrap_or_default()
    }

    /// Whether a message in `room` saying `text` from someone else mentions us.
    pub fn mentions_me(&self, text: &str) -> bool {
        self.me.as_ref().is_some_and(|me| mentions(text, &me.name))
    }

    /// Someone else's message in `room` that mentions us: a notice, to show if
    /// the room is not the one shown or the tab is hidden.
    pub(super) fn notice_mention(&self, room: &str, from: &str, text: &str, applied: &mut Applied) {
        if self.mentions_me(text) {
            applied.notify = Some(Notice {
                title: format!("{from} in #{room}"),
                body: shorten(text),
                room: Some(room.to_owned()),
                elsewhere: room != self.current || self.conversation.is_some(),
            });
        }
    }

    /// A private message to us: a notice, as for a mention.
    pub(super) fn notice_private(
        &self,
        from_id: u64,
        from: &str,
        text: &str,
        applied: &mut Applied,
    ) {
        applied.notify = Some(Notice {
            title: format!("{from} (private)"),
            body: shorten(text),
            room: None,
            elsewhere: self
                .conversation
                .as_ref()
                .is_none_or(|c| c.with_id != from_id),
        });
    }
}

impl Timeline {
    /// Unread messages that mention `name`.
    pub fn unread_mentions(&self, name: &str) -> u32 {
        let unread = self.unread_entries();
        unread.filter(|e| mentions(&e.text, name)).count() as u32
    }
}

fn shorten(text: &str) -> String {
    match text.chars().count() > NOTICE_CHARS {
        true => format!("{}…", text.chars().take(NOTICE_CHARS).collect::<String>()),
        false => text.to_owned(),
    }
}

//! Emoji: the set the picker shows (loaded on first use from `/emoji.json`,
//! which ships with the bundle, so no network beyond our own server), shortcodes
//! (`:grinning_face:`, and the common short forms such as `:+1:`), and
//! `:shortcode` completion.

use crate::text::lower;
use serde::Deserialize;

/// Most emoji the completion list offers.
pub const MAX_EMOJI_SUGGESTIONS: usize = 8;
/// Fewest characters after `:` before completion offers anything.
const MIN_SHORTCODE_CHARS: usize = 2;

/// Short forms people type from other chats, beside the CLDR-derived codes.
const ALIASES: [(&str, &str); 30] = [
    ("+1", "👍"),
    ("thumbsup", "👍"),
    ("-1", "👎"),
    ("smile", "😄"),
    ("joy", "😂"),
    ("heart", "❤️"),
    ("tada", "🎉"),
    ("fire", "🔥"),
    ("wave", "👋"),
    ("pray", "🙏"),
    ("eyes", "👀"),
    ("100", "💯"),
    ("rocket", "🚀"),
    ("thinking", "🤔"),
    ("clap", "👏"),
    ("ok_hand", "👌"),
    ("sob", "😭"),
    ("laughing", "😆"),
    ("wink", "😉"),
    ("sweat_smile", "😅"),
    ("rofl", "🤣"),
    ("slightly_smiling_face", "🙂"),
    ("shrug", "🤷"),
    ("party", "🥳"),
    ("check", "✅"),
    ("x", "❌"),
    ("warning", "⚠️"),
    ("coffee", "☕"),
    ("beer", "🍺"),
    ("pizza", "🍕"),
];

/// Every emoji, in groups, in the order keyboards show them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EmojiSet {
    pub groups: Vec<EmojiGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EmojiGroup {
    pub name: String,
    /// Each emoji with its CLDR name ("grinning face").
    pub emoji: Vec<(String, String)>,
}

/// The shortcode of a CLDR name: `grinning face` → `grinning_face`,
/// `flag: France` → `flag_france`.
pub fn shortcode(name: &str) -> String {
    let mut code = String::new();
    for c in lower(name).chars() {
        match c {
            c if c.is_alphanumeric() => code.push(c),
            ' ' | '-' | '_' if !code.ends_with('_') && !code.is_empty() => code.push('_'),
            _ => {}
        }
    }
    code.trim_end_matches('_').to_owned()
}

impl EmojiSet {
    /// All emoji with their codes: aliases first, then every CLDR name.
    fn coded(&self) -> impl Iterator<Item = (String, &str)> {
        let aliases = ALIASES
            .iter()
            .map(|(code, emoji)| (code.to_string(), *emoji));
        let named = self
            .groups
            .iter()
            .flat_map(|g| &g.emoji)
            .map(|(emoji, name)| (shortcode(name), emoji.as_str()));
        aliases.chain(named)
    }

    /// Emoji whose code starts with `query`, then those with a word that does;
    /// each once, at most `max`, as (emoji, code).
    pub fn find(&self, query: &str, max: usize) -> Vec<(String, String)> {
        let query = lower(query);
        let starts: Vec<_> = self
            .coded()
            .filter(|(code, _)| code.starts_with(&query))
            .collect();
        let inner = self
            .coded()
            .filter(|(code, _)| !code.starts_with(&query) && code.contains(&format!("_{query}")));
        let mut found: Vec<(String, String)> = Vec::new();
        for (code, emoji) in starts.into_iter().chain(inner) {
            if found.len() == max {
                break;
            }
            if !found.iter().any(|(e, _)| e == emoji) {
                found.push((emoji.to_owned(), code));
            }
        }
        found
    }

    /// The emoji of an exact code, if any.
    pub fn by_code(&self, code: &str) -> Option<String> {
        let code = lower(code);
        self.coded()
            .find(|(c, _)| *c == code)
            .map(|(_, emoji)| emoji.to_owned())
    }

    /// `text` with every known `:code:` replaced by its emoji.
    pub fn replace_codes(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(':') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let end = after.find(|c: char| !is_code_char(c));
            let code = end.filter(|&e| e > 0 && after[e..].starts_with(':'));
            match code.and_then(|e| Some((e, self.by_code(&after[..e])?))) {
                Some((e, emoji)) => {
                    out.push_str(&emoji);
                    rest = &after[e + 1..];
                }
                None => {
                    out.push(':');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

fn is_code_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '+' | '-')
}

/// The `:code` being typed just before `caret` (a byte offset): where its `:`
/// is, and the code so far. Only at the start or after whitespace or `(`, so
/// `12:30` and `http://` offer nothing.
pub fn shortcode_at(draft: &str, caret: usize) -> Option<(usize, String)> {
    let before = draft.get(..caret)?;
    let colon = before.rfind(':')?;
    let code = &before[colon + 1..];
    let starts_word = before[..colon]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || c == '(');
    let plausible = code.chars().count() >= MIN_SHORTCODE_CHARS && code.chars().all(is_code_char);
    (starts_word && plausible).then(|| (colon, code.to_owned()))
}

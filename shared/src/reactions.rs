//! Reactions: one emoji per reaction, toggled by `react`, counted per message.

use crate::UserId;
use serde::{Deserialize, Serialize};

/// Longest reaction, in bytes: room for a family or a flag sequence, not text.
pub const MAX_REACTION_BYTES: usize = 32;
/// Most different reactions one message collects.
pub const MAX_REACTION_KINDS: usize = 20;
/// Most reactors' ids a message's reaction lists (its `count` is exact).
pub const MAX_REACTORS_LISTED: usize = 50;
/// The reactions the client offers at a click.
pub const QUICK_REACTIONS: [&str; 6] = ["👍", "❤️", "😂", "🎉", "😮", "😢"];

/// One emoji on one message: how many reacted with it, and (the first
/// [`MAX_REACTORS_LISTED`] of) who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub emoji: String,
    pub count: u32,
    pub user_ids: Vec<UserId>,
}

/// Checks a reaction: an emoji (or a short sequence of them), not words,
/// markup or invisible text. Returns it trimmed.
pub fn validate_reaction(raw: &str) -> Result<String, String> {
    let emoji = raw.trim();
    if emoji.is_empty() || emoji.len() > MAX_REACTION_BYTES {
        return Err(format!("a reaction is 1-{MAX_REACTION_BYTES} bytes"));
    }
    // Keycaps (1️⃣, #️⃣) start with an ASCII digit, '#' or '*'; nothing else ASCII.
    let ascii_ok = |c: char| c.is_ascii_digit() || c == '#' || c == '*';
    let pictographic = !emoji.is_ascii();
    let clean = emoji
        .chars()
        .all(|c| (!c.is_ascii() || ascii_ok(c)) && !c.is_control() && !c.is_whitespace());
    if !pictographic || !clean {
        return Err("a reaction is an emoji".into());
    }
    Ok(emoji.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_pass_and_words_markup_and_long_text_do_not() {
        for ok in ["👍", " 🎉 ", "❤️", "👨‍👩‍👧", "🇫🇷", "1️⃣"] {
            assert!(validate_reaction(ok).is_ok(), "{ok}");
        }
        let long = "😀".repeat(250);
        for bad in [
            "",
            "lol",
            "<b>",
            "👍 👍",
            "a👍",
            "\u{0}👍",
            long.as_str(),
            "1",
        ] {
            assert!(validate_reaction(bad).is_err(), "{bad}");
        }
    }
}

//! Search: `search {"query","room"?}` finds messages of the rooms you are in,
//! newest first. A query is plain words, matched as substrings in any order and
//! any case: it has no operators, so what a user types (quotes, `AND`, `*`,
//! `NEAR(`) is looked for as text, never run as a query language.

use crate::server::HistoryItem;
use serde::{Deserialize, Serialize};

/// Longest query, in bytes.
pub const MAX_SEARCH_QUERY_BYTES: usize = 200;
/// Most words a query is made of; more are refused, not ignored.
pub const MAX_SEARCH_TERMS: usize = 8;
/// Most results one search returns.
pub const MAX_SEARCH_RESULTS: u32 = 50;

/// The words of a query: split at whitespace, lowercase, without repeats, in
/// the order typed. Checks the query's size and that it has words at all.
pub fn search_terms(query: &str) -> Result<Vec<String>, String> {
    search_terms_with(query, str::to_lowercase)
}

/// [`search_terms`], lowercasing with `lowercase`: the web client uses the
/// browser's, to leave Rust's case tables out of its bundle.
pub fn search_terms_with(
    query: &str,
    lowercase: impl Fn(&str) -> String,
) -> Result<Vec<String>, String> {
    if query.len() > MAX_SEARCH_QUERY_BYTES {
        return Err(format!("a query is at most {MAX_SEARCH_QUERY_BYTES} bytes"));
    }
    let mut terms: Vec<String> = Vec::new();
    for word in query.split_whitespace() {
        if word.chars().any(char::is_control) {
            return Err("a query has no control characters".into());
        }
        let word = lowercase(word);
        if !terms.contains(&word) {
            terms.push(word);
        }
    }
    if terms.is_empty() {
        return Err("a query needs a word to look for".into());
    }
    if terms.len() > MAX_SEARCH_TERMS {
        return Err(format!("a query has at most {MAX_SEARCH_TERMS} words"));
    }
    Ok(terms)
}

/// Whether `content` holds every term, ignoring case: the meaning of a match,
/// which every store gives its own fast form.
pub fn matches(content: &str, terms: &[String]) -> bool {
    let content = content.to_lowercase();
    terms.iter().all(|term| content.contains(term.as_str()))
}

/// The answer to `search`: the matching messages, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as asked, so a client can drop answers to older ones.
    pub query: String,
    /// The room searched; absent when every room of yours was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// Each with its `room` and `id`, to jump to.
    pub messages: Vec<HistoryItem>,
    /// Cut short by [`crate::limits::MAX_HISTORY_BYTES`]: more matched.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_words_like_any_other() {
        assert_eq!(
            search_terms(r#"cats AND "dogs" NEAR( x*"#).unwrap(),
            ["cats", "and", "\"dogs\"", "near(", "x*"]
        );
    }

    #[test]
    fn words_are_lowercased_and_not_repeated() {
        assert_eq!(
            search_terms("  Rust rust  RUST  天气 ").unwrap(),
            ["rust", "天气"]
        );
    }

    #[test]
    fn empty_long_and_wordy_queries_are_refused() {
        assert!(search_terms("   ").is_err());
        assert!(search_terms(&"x".repeat(MAX_SEARCH_QUERY_BYTES + 1)).is_err());
        assert!(search_terms(&"x".repeat(MAX_SEARCH_QUERY_BYTES)).is_ok());
        assert!(search_terms("a b c d e f g h i").is_err());
        assert!(search_terms("bell\u{7}").is_err());
    }

    #[test]
    fn a_match_holds_every_word_in_any_order_and_case() {
        let terms = search_terms("weather 天气").unwrap();
        assert!(matches("今天天气 nice WEATHER", &terms));
        assert!(!matches("nice weather", &terms));
    }
}

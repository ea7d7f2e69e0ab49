//! Search on SQLite: FTS5 with the trigram tokenizer (migration 0011).
//!
//! A trigram index finds any substring of three characters or more, in any
//! script: "天气" inside "今天天气很好" as well as "weath" inside "Weather". The
//! index keeps no positions (`detail=none`: it costs the writer less, see
//! BENCHMARKS.md), so a word is looked up as all of its trigrams, each a quoted
//! string, and then checked whole against the text. Quoting means FTS5's
//! operators (`AND`, `NEAR`, `*`, `"`, `:`) in a query are only text. Shorter
//! words cannot use the index: they filter what the index found, and a query
//! made only of short words scans the newest [`SHORT_QUERY_SCAN`] messages.

use super::sqlite_messages::{COLUMNS, message};
use crate::chat::ports::{SearchQuery, StoredMessage};
use sqlx::SqlitePool;

/// How many of the newest messages a query with no word of three characters
/// looks through: without the index, its cost must have a bound.
pub(super) const SHORT_QUERY_SCAN: i64 = 50_000;

/// The shortest word the trigram index can look up, in characters.
const INDEXED_CHARS: usize = 3;

pub(super) async fn search(
    pool: &SqlitePool,
    query: &SearchQuery,
) -> Result<Vec<StoredMessage>, sqlx::Error> {
    let (indexed, short): (Vec<&String>, Vec<&String>) = query
        .terms
        .iter()
        .partition(|term| term.chars().count() >= INDEXED_CHARS);
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("m.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    // Every word is checked whole. `lower()` folds ASCII only, so a word with
    // other letters (É, Ж) is left to its trigrams, which fold every script.
    let whole: Vec<&String> = short
        .iter()
        .copied()
        .chain(indexed.iter().copied().filter(|t| t.is_ascii()))
        .collect();
    let whole_filter: String = whole
        .iter()
        .map(|_| " AND instr(lower(m.content), ?) > 0")
        .collect();
    let rooms = serde_json::to_string(&query.rooms).expect("room names serialize");
    let sql = if indexed.is_empty() {
        format!(
            "SELECT {columns} FROM message_search_keys k \
             JOIN messages m ON m.room = k.room AND m.id = k.id \
             WHERE k.rowid > (SELECT coalesce(max(rowid), 0) FROM message_search_keys) - ? \
             AND k.room IN (SELECT value FROM json_each(?)) AND m.deleted = 0{whole_filter} \
             ORDER BY k.rowid DESC LIMIT ?"
        )
    } else {
        format!(
            "SELECT {columns} FROM message_search s \
             JOIN message_search_keys k ON k.rowid = s.rowid \
             JOIN messages m ON m.room = k.room AND m.id = k.id \
             WHERE message_search MATCH ? \
             AND k.room IN (SELECT value FROM json_each(?)) AND m.deleted = 0{whole_filter} \
             ORDER BY s.rowid DESC LIMIT ?"
        )
    };
    let mut statement = sqlx::query(&sql);
    statement = match indexed.is_empty() {
        true => statement.bind(SHORT_QUERY_SCAN),
        false => statement.bind(match_expression(&indexed)),
    };
    statement = statement.bind(rooms);
    for term in whole {
        statement = statement.bind(term.as_str());
    }
    let rows = statement
        .bind(i64::from(query.limit))
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(message).collect())
}

/// Every trigram of every word as an FTS5 string (`"` doubled inside), all
/// required.
fn match_expression(terms: &[&String]) -> String {
    let mut trigrams: Vec<String> = Vec::new();
    for term in terms {
        let chars: Vec<char> = term.chars().collect();
        for window in chars.windows(INDEXED_CHARS) {
            let trigram: String = window.iter().collect();
            let quoted = format!("\"{}\"", trigram.replace('"', "\"\""));
            if !trigrams.contains(&quoted) {
                trigrams.push(quoted);
            }
        }
    }
    trigrams.join(" AND ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_their_trigrams_quoted() {
        let terms = ["\"hi\"".to_owned(), "near(".to_owned(), "天气好".to_owned()];
        let refs: Vec<&String> = terms.iter().collect();
        assert_eq!(
            match_expression(&refs),
            r#""""hi" AND "hi""" AND "nea" AND "ear" AND "ar(" AND "天气好""#
        );
    }
}

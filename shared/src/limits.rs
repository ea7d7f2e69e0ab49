//! Limits shared by both ends, so the client can refuse what the server would.

use crate::names::{self, LabelProblem};
use thiserror::Error;

/// Longest nickname, in Unicode scalar values (characters), not bytes.
pub const MAX_NAME_CHARS: usize = 20;

/// Largest message `content`, in UTF-8 bytes: the tutorial's 10 KB (10240 bytes).
pub const MAX_CONTENT_BYTES: usize = 10 * 1024;

/// Longest room name, in characters.
pub const MAX_ROOM_CHARS: usize = 32;

/// Most messages in one `history` reply, and the history sent on joining a room.
pub const MAX_HISTORY: u32 = 100;

/// Most bytes of messages in one `history` page (or a `room_joined`'s history), as
/// encoded JSON: a page of 100 maximal messages would be over a megabyte, sent to
/// every newcomer. A page cut short says so with `truncated`.
pub const MAX_HISTORY_BYTES: usize = 256 * 1024;

/// The room every connection starts in, and where room-less messages go.
pub const DEFAULT_ROOM: &str = "general";

/// Members listed per page in a big room.
pub const USERS_PAGE: usize = 50;

/// Rooms a fresh database starts with: the tutorial's examples.
pub const SEED_ROOMS: [&str; 3] = ["general", "random", "gaming"];

/// Longest client-chosen transaction id on a `message`.
pub const MAX_TXN_ID_BYTES: usize = 64;

/// Why a nickname was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    #[error("Invalid name (1-20 characters required)")]
    Length,
    #[error("Invalid name (control characters are not allowed)")]
    ControlCharacter,
    #[error("Invalid name (invisible, markup or mixed-script characters are not allowed)")]
    Unsafe,
    #[error("Invalid name (reserved)")]
    Reserved,
}

/// Why message content was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContentError {
    #[error("Message is empty")]
    Empty,
    #[error("Message too large (max 10240 bytes)")]
    TooLarge,
    /// Control characters other than tab and line breaks: nobody types them, and
    /// each costs six bytes once escaped in JSON (`\u0001`), which would let one
    /// 10 KB message become 60 KB in every history frame.
    #[error("Message contains control characters")]
    ControlCharacter,
}

/// Why a room name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoomError {
    #[error("Invalid room name (1-32 characters required)")]
    Length,
    #[error("Invalid room name (control characters are not allowed)")]
    ControlCharacter,
    #[error("Invalid room name (invisible, markup or mixed-script characters are not allowed)")]
    Unsafe,
}

/// The sender name of server notices (`leave` comes "from" it): nobody may take it.
pub const RESERVED_NAMES: [&str; 1] = ["system"];

/// Normalizes a proposed room name and checks it (see [`crate::names`]): 1 to 32
/// characters, nothing invisible, no markup, no confusable mix of scripts.
pub fn validate_room(raw: &str) -> Result<String, RoomError> {
    names::normalize_label(raw, MAX_ROOM_CHARS).map_err(|problem| match problem {
        LabelProblem::Length => RoomError::Length,
        LabelProblem::ControlCharacter => RoomError::ControlCharacter,
        LabelProblem::Unsafe => RoomError::Unsafe,
    })
}

/// Normalizes a proposed nickname and checks it (see [`crate::names`]): 1 to 20
/// characters, nothing invisible, no markup, no confusable mix of scripts, and not
/// a reserved name such as `System`.
///
/// Returns the name as it will be shown.
pub fn validate_name(raw: &str) -> Result<String, NameError> {
    let name = names::normalize_label(raw, MAX_NAME_CHARS).map_err(|problem| match problem {
        LabelProblem::Length => NameError::Length,
        LabelProblem::ControlCharacter => NameError::ControlCharacter,
        LabelProblem::Unsafe => NameError::Unsafe,
    })?;
    if RESERVED_NAMES.contains(&names::fold(&name).as_str()) {
        return Err(NameError::Reserved);
    }
    Ok(name)
}

/// Checks message content: not blank, at most [`MAX_CONTENT_BYTES`] bytes, and no
/// control characters but tab, line feed and carriage return.
///
/// Content is otherwise kept exactly as sent (leading spaces and newlines matter in chat).
pub fn validate_content(content: &str) -> Result<(), ContentError> {
    if content.trim().is_empty() {
        return Err(ContentError::Empty);
    }
    if content.len() > MAX_CONTENT_BYTES {
        return Err(ContentError::TooLarge);
    }
    if content
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(ContentError::ControlCharacter);
    }
    Ok(())
}

/// A client says `typing` at most this often while composing.
pub const TYPING_EVERY_SECS: u64 = 3;
/// A `typing` shows for this long after the last one, unless its sender posts or leaves.
pub const TYPING_SHOWN_SECS: i64 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_counted_in_characters_not_bytes() {
        let twenty_cjk = "聊".repeat(20); // 60 bytes, 20 characters
        assert_eq!(validate_name(&twenty_cjk), Ok(twenty_cjk.clone()));
        assert_eq!(validate_name(&"聊".repeat(21)), Err(NameError::Length));
        assert_eq!(validate_name(&"a".repeat(20)), Ok("a".repeat(20)));
        assert_eq!(validate_name(&"a".repeat(21)), Err(NameError::Length));
    }

    #[test]
    fn names_are_trimmed_and_must_not_be_blank() {
        assert_eq!(validate_name("  Ann  "), Ok("Ann".into()));
        assert_eq!(validate_name("   "), Err(NameError::Length));
        assert_eq!(validate_name(""), Err(NameError::Length));
    }

    #[test]
    fn names_reject_control_characters() {
        assert_eq!(validate_name("a\u{7}b"), Err(NameError::ControlCharacter));
        assert_eq!(validate_name("a\nb"), Err(NameError::ControlCharacter));
    }

    #[test]
    fn content_bounds() {
        assert_eq!(validate_content(" \n "), Err(ContentError::Empty));
        assert_eq!(validate_content(&"x".repeat(MAX_CONTENT_BYTES)), Ok(()));
        assert_eq!(
            validate_content(&"x".repeat(MAX_CONTENT_BYTES + 1)),
            Err(ContentError::TooLarge)
        );
        assert_eq!(validate_content("line\n\tindented\r\n"), Ok(()));
        assert_eq!(
            validate_content(&"\u{1}".repeat(10)),
            Err(ContentError::ControlCharacter)
        );
        assert_eq!(
            validate_content("a\u{7f}"),
            Err(ContentError::ControlCharacter)
        );
    }

    #[test]
    fn system_is_reserved_in_any_case_or_width() {
        for name in ["System", "SYSTEM", " system ", "Ｓｙｓｔｅｍ"] {
            assert_eq!(validate_name(name), Err(NameError::Reserved), "{name}");
        }
        assert_eq!(validate_name("Systems"), Ok("Systems".into()));
    }
}

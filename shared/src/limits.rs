//! Limits shared by both ends, so the client can refuse what the server would.

use thiserror::Error;

/// Longest nickname, in Unicode scalar values (characters), not bytes.
pub const MAX_NAME_CHARS: usize = 20;

/// Largest message `content`, in UTF-8 bytes: the tutorial's 10 KB (10240 bytes).
pub const MAX_CONTENT_BYTES: usize = 10 * 1024;

/// Longest room name, in characters.
pub const MAX_ROOM_CHARS: usize = 32;

/// Most messages in one `history` reply, and the history sent on joining a room.
pub const MAX_HISTORY: u32 = 100;

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
}

/// Why message content was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContentError {
    #[error("Message is empty")]
    Empty,
    #[error("Message too large (max 10240 bytes)")]
    TooLarge,
}

/// Why a room name was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoomError {
    #[error("Invalid room name (1-32 characters required)")]
    Length,
    #[error("Invalid room name (control characters are not allowed)")]
    ControlCharacter,
}

/// Trims a proposed room name and checks it: 1 to 32 characters, no control characters.
pub fn validate_room(raw: &str) -> Result<&str, RoomError> {
    checked_label(raw, MAX_ROOM_CHARS).map_err(|problem| match problem {
        LabelProblem::Length => RoomError::Length,
        LabelProblem::ControlCharacter => RoomError::ControlCharacter,
    })
}

/// Trims a proposed nickname and checks it: 1 to 20 characters, no control characters.
///
/// Returns the name as it will be shown (trimmed).
pub fn validate_name(raw: &str) -> Result<&str, NameError> {
    checked_label(raw, MAX_NAME_CHARS).map_err(|problem| match problem {
        LabelProblem::Length => NameError::Length,
        LabelProblem::ControlCharacter => NameError::ControlCharacter,
    })
}

/// What is wrong with a name-like label (a nickname or a room name).
enum LabelProblem {
    Length,
    ControlCharacter,
}

/// Trims `raw`; it must then have 1 to `max_chars` characters (not bytes), none of
/// them control characters.
fn checked_label(raw: &str, max_chars: usize) -> Result<&str, LabelProblem> {
    let label = raw.trim();
    let chars = label.chars().count();
    if chars == 0 || chars > max_chars {
        return Err(LabelProblem::Length);
    }
    if label.chars().any(char::is_control) {
        return Err(LabelProblem::ControlCharacter);
    }
    Ok(label)
}

/// Checks message content: not blank, at most [`MAX_CONTENT_BYTES`] bytes.
///
/// Content is otherwise kept exactly as sent (leading spaces and newlines matter in chat).
pub fn validate_content(content: &str) -> Result<(), ContentError> {
    if content.trim().is_empty() {
        return Err(ContentError::Empty);
    }
    if content.len() > MAX_CONTENT_BYTES {
        return Err(ContentError::TooLarge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_counted_in_characters_not_bytes() {
        let twenty_cjk = "聊".repeat(20); // 60 bytes, 20 characters
        assert_eq!(validate_name(&twenty_cjk), Ok(twenty_cjk.as_str()));
        assert_eq!(validate_name(&"聊".repeat(21)), Err(NameError::Length));
        assert_eq!(validate_name(&"a".repeat(20)), Ok("a".repeat(20).as_str()));
        assert_eq!(validate_name(&"a".repeat(21)), Err(NameError::Length));
    }

    #[test]
    fn names_are_trimmed_and_must_not_be_blank() {
        assert_eq!(validate_name("  Ann  "), Ok("Ann"));
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
    }
}

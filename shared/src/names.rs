//! Nicknames and room names that cannot be used to impersonate or to inject markup.
//!
//! A name is shown to other people, so two names that *look* the same must not be
//! able to stand for two different users or rooms, and a name must not carry
//! markup into an old client that puts names into `innerHTML` (the tutorial's does).
//! Every label therefore goes through [`normalize_label`] before it is checked:
//!
//! 1. NFKC: full-width `Ｕｓｅｒ１` becomes `User1`, ligatures and compatibility
//!    forms become their plain letters.
//! 2. White space of any kind (including U+2028) becomes one ASCII space, and the
//!    ends are trimmed.
//! 3. Refused: control, invisible and bidi-control characters (U+200B, U+200D,
//!    U+FEFF, U+3164, RTL override…), `<` and `>`, a label without a visible
//!    character (only combining marks, say), and letters mixing scripts in a way
//!    Unicode TR39 calls confusable (`gеneral` with a Cyrillic `е`).
//!
//! [`fold`] gives the key two labels are compared by: case-folded NFKC, so `Éclair`
//! and `éclair`, or `BOOKS` and `Books`, are one name.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_security::general_security_profile::IdentifierType;
use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

/// What is wrong with a proposed label, before it is mapped to the error of a name
/// or of a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelProblem {
    /// Empty after trimming, or longer than allowed (in characters).
    Length,
    /// A control character.
    ControlCharacter,
    /// An invisible, bidi-control or markup character, only marks, or mixed scripts.
    Unsafe,
}

/// The label as it will be shown: NFKC, white space folded to single spaces,
/// trimmed; or why it cannot be used. `max_chars` counts characters, not bytes.
pub fn normalize_label(raw: &str, max_chars: usize) -> Result<String, LabelProblem> {
    let mut label = String::with_capacity(raw.len());
    for c in raw.nfkc() {
        if c.is_control() {
            return Err(LabelProblem::ControlCharacter);
        } else if c.is_whitespace() {
            if !label.is_empty() && !label.ends_with(' ') {
                label.push(' ');
            }
        } else if is_invisible(c) || c == '<' || c == '>' {
            return Err(LabelProblem::Unsafe);
        } else {
            label.push(c);
        }
    }
    let label = label.trim_end().to_owned();
    let chars = label.chars().count();
    if chars == 0 || chars > max_chars {
        return Err(LabelProblem::Length);
    }
    let first = label.chars().next().expect("not empty");
    if is_combining_mark(first) || !label.chars().any(is_visible) {
        return Err(LabelProblem::Unsafe);
    }
    if !single_script_letters(&label) {
        return Err(LabelProblem::Unsafe);
    }
    Ok(label)
}

/// The comparison key of a label: NFKC after lower-casing, the approximation of
/// Unicode's NFKC_Casefold that std offers. Equal keys mean "the same name".
pub fn fold(label: &str) -> String {
    label
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .nfkc()
        .collect()
}

/// The key under which labels must be unique: [`fold`], then Unicode's confusable
/// skeleton (TR39), so `Books` and `BOOKS`, or `paypal` and `pаypal` (a Cyrillic
/// `а`), share one key.
pub fn key(label: &str) -> String {
    unicode_security::skeleton(&fold(label)).collect()
}

/// Characters that draw nothing or reorder text: zero-width spaces and joiners,
/// byte-order marks, fillers, bidi embeddings, overrides and isolates. Variation
/// selectors U+FE0E and U+FE0F are kept: they only pick an emoji's presentation.
fn is_invisible(c: char) -> bool {
    if matches!(c, '\u{FE0E}' | '\u{FE0F}') {
        return false;
    }
    c.identifier_type() == Some(IdentifierType::Default_Ignorable)
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character that shows something on its own: not a space or a combining mark.
fn is_visible(c: char) -> bool {
    !c.is_whitespace() && !is_combining_mark(c) && !matches!(c, '\u{FE0E}' | '\u{FE0F}')
}

/// Whether the label's letters come from one script, or from a combination TR39
/// calls "moderately restrictive" (Latin with Han and kana, or Latin with one other
/// script that is not Cyrillic or Greek). Digits, punctuation and emoji belong to
/// every script and are not looked at.
fn single_script_letters(label: &str) -> bool {
    let letters: String = label.chars().filter(|c| c.is_alphabetic()).collect();
    letters.is_empty()
        || letters
            .as_str()
            .check_restriction_level(RestrictionLevel::ModeratelyRestrictive)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> String {
        normalize_label(raw, 20).unwrap_or_else(|e| panic!("{raw:?} refused: {e:?}"))
    }

    #[test]
    fn compatibility_forms_and_spaces_are_normalized() {
        assert_eq!(ok("Ｕｓｅｒ１"), "User1");
        assert_eq!(ok("  Ann \u{2028}\u{3000} Lee  "), "Ann Lee");
        assert_eq!(ok("聊天室"), "聊天室");
        assert_eq!(ok("Zoë"), "Zoë");
        assert_eq!(ok("Алексей"), "Алексей");
        assert_eq!(ok("Ann 安"), "Ann 安");
        assert_eq!(ok("❤\u{FE0F} fan"), "❤\u{FE0F} fan");
        assert_eq!(ok("O'Brien & co"), "O'Brien & co");
    }

    #[test]
    fn invisible_bidi_and_markup_characters_are_refused() {
        for raw in [
            "\u{200B}",
            "\u{200D}\u{200D}",
            "\u{FEFF}x",
            "\u{3164}",
            "abc\u{202E}def",
            "a\u{2066}b",
            "<svg onload=alert()>",
            "<img src onerror='/*",
            "＜b＞",
            "\u{301}\u{301}",
            "\u{301}a",
        ] {
            assert_eq!(
                normalize_label(raw, 20),
                Err(LabelProblem::Unsafe),
                "{raw:?}"
            );
        }
        assert_eq!(
            normalize_label("a\u{7}", 20),
            Err(LabelProblem::ControlCharacter)
        );
        assert_eq!(normalize_label(" \u{2028} ", 20), Err(LabelProblem::Length));
    }

    #[test]
    fn confusable_script_mixes_are_refused() {
        // "general" with a Cyrillic е.
        assert_eq!(
            normalize_label("g\u{435}neral", 32),
            Err(LabelProblem::Unsafe)
        );
        assert_eq!(
            normalize_label("p\u{3B1}ypal", 32),
            Err(LabelProblem::Unsafe)
        );
    }

    #[test]
    fn folding_ignores_case_beyond_ascii() {
        assert_eq!(fold("Éclair"), fold("éclair"));
        assert_eq!(fold("BOOKS"), fold("Books"));
        assert_eq!(fold("ＢＯＯＫＳ"), "books");
        assert_ne!(fold("books"), fold("book"));
        assert_eq!(key("paypal"), key("p\u{430}ypal"));
        assert_eq!(key("Books"), key("BOOKS"));
        assert_eq!(key("general"), key("ＧＥＮＥＲＡＬ"));
        assert_ne!(key("Ann"), key("Bob"));
    }
}

//! Tests of the rich-messaging requests: read markers, edits, reactions.

use super::*;

#[test]
fn a_read_marker_names_a_room_and_a_bounded_id() {
    let read = decode(r#"{"type":"read","room":" general ","id":42}"#).unwrap();
    assert_eq!(
        read,
        ClientMessage::Read {
            room: "general".into(),
            id: 42
        }
    );
    let too_big = format!(r#"{{"type":"read","room":"general","id":{}}}"#, MAX_ID + 1);
    assert_eq!(
        decode(&too_big).unwrap_err().code(),
        ErrorCode::InvalidField
    );
    let no_room = r#"{"type":"read","id":1}"#;
    assert_eq!(decode(no_room).unwrap_err().code(), ErrorCode::InvalidField);
    let bad_room = r#"{"type":"read","room":"<b>x</b>","id":1}"#;
    assert_eq!(decode(bad_room).unwrap_err().code(), ErrorCode::InvalidRoom);
}

#[test]
fn an_edit_is_checked_as_a_message_is() {
    let empty = r#"{"type":"edit_message","room":"general","id":3,"content":"   "}"#;
    assert_eq!(decode(empty).unwrap_err().code(), ErrorCode::InvalidContent);
    let huge = format!(
        r#"{{"type":"edit_message","room":"general","id":3,"content":"{}"}}"#,
        "x".repeat(limits::MAX_CONTENT_BYTES + 1)
    );
    assert_eq!(decode(&huge).unwrap_err().code(), ErrorCode::TooLarge);
    let no_id = r#"{"type":"edit_message","room":"general","content":"x"}"#;
    assert_eq!(decode(no_id).unwrap_err().code(), ErrorCode::InvalidField);
}

#[test]
fn a_reaction_is_an_emoji_not_an_essay() {
    let essay = format!(
        r#"{{"type":"react","room":"general","id":1,"emoji":"{}"}}"#,
        "x".repeat(1000)
    );
    assert_eq!(decode(&essay).unwrap_err().code(), ErrorCode::InvalidField);
    let ok = decode(r#"{"type":"react","room":"general","id":1,"emoji":" 🎉 "}"#).unwrap();
    assert!(matches!(ok, ClientMessage::React { emoji, .. } if emoji == "🎉"));
}

//! Emoji data, shortcodes and completion.

use crate::model::{EmojiSet, shortcode, shortcode_at};

/// The set that ships with the client, as the browser fetches it.
fn shipped() -> EmojiSet {
    let json = include_str!("../../emoji.json");
    serde_json::from_str(json).expect("emoji.json parses")
}

#[test]
fn the_shipped_set_has_every_group_and_no_skin_tone_repeats() {
    let set = shipped();
    let names: Vec<_> = set.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names[0], "Smileys & Emotion");
    assert!(names.contains(&"Flags") && names.len() == 9, "{names:?}");
    let all: Vec<_> = set.groups.iter().flat_map(|g| &g.emoji).collect();
    assert!(all.len() > 1800, "{}", all.len());
    assert!(!all.iter().any(|(_, name)| name.contains("skin tone")));
}

#[test]
fn shortcodes_come_from_names_and_common_short_forms() {
    assert_eq!(shortcode("grinning face"), "grinning_face");
    assert_eq!(shortcode("flag: France"), "flag_france");
    assert_eq!(shortcode("woman: red hair"), "woman_red_hair");
    let set = shipped();
    assert_eq!(set.by_code("+1").as_deref(), Some("👍"));
    assert_eq!(set.by_code("Grinning_Face").as_deref(), Some("😀"));
    assert_eq!(set.by_code("no_such_thing"), None);
    let found = set.find("tad", 8);
    assert_eq!(found[0], ("🎉".to_owned(), "tada".to_owned()));
    // A word inside a code counts too, after the codes that start with it.
    assert!(set.find("heart", 8).len() == 8);
    assert!(set.find("france", 8).iter().any(|(e, _)| e == "🇫🇷"));
}

#[test]
fn codes_in_text_become_emoji_and_times_or_addresses_do_not() {
    let set = shipped();
    assert_eq!(
        set.replace_codes("ship it :rocket: :+1::tada: at 12:30 :nope: http://x"),
        "ship it 🚀 👍🎉 at 12:30 :nope: http://x"
    );
    assert_eq!(shortcode_at("nice :ta", 8), Some((5, "ta".into())));
    assert_eq!(shortcode_at(":+1", 3), Some((0, "+1".into())));
    assert_eq!(shortcode_at("at 12:30", 8), None);
    assert_eq!(shortcode_at("see http://ex", 13), None);
    assert_eq!(shortcode_at("a :t", 4), None, "one letter is too few");
}

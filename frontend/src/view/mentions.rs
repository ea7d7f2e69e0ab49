//! Completion in the composer: `@` and the start of a name offers the room's
//! members, `:` and two letters offers emoji by shortcode. Up and Down choose,
//! Enter or Tab takes one, Escape closes the list.

use crate::app::ctx;
use crate::model::{MAX_EMOJI_SUGGESTIONS, complete_mention, mention_at, shortcode_at};
use leptos::html::Textarea;
use leptos::prelude::*;

/// What the list offers: where the `@` or `:` is, each item as shown and as
/// inserted, and the one chosen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Suggestions {
    at: usize,
    items: Vec<(String, String)>,
    chosen: usize,
}

/// After each keystroke: what to offer for the `@prefix` before the caret.
pub fn suggest(input: NodeRef<Textarea>, suggestions: RwSignal<Option<Suggestions>>) {
    let ctx = ctx();
    let chat = ctx.chat;
    let Some(el) = input.get_untracked() else {
        return;
    };
    let text = el.value();
    // The caret, as a UTF-16 offset: the byte offset it stands for.
    let caret16 = el.selection_start().ok().flatten().unwrap_or(0) as usize;
    let caret = utf16_to_byte(&text, caret16);
    let mentions = mention_at(&text, caret).map(|(at, prefix)| {
        let names = chat.with_untracked(|c| c.mention_suggestions(&prefix));
        let items = names
            .into_iter()
            .map(|n| (format!("@{n}"), format!("@{n} ")));
        (at, items.collect::<Vec<_>>())
    });
    let emoji = || {
        let (at, code) = shortcode_at(&text, caret)?;
        let Some(set) = ctx.emoji.get_untracked() else {
            super::emoji::load(ctx.emoji);
            return None;
        };
        let found = set.find(&code, MAX_EMOJI_SUGGESTIONS);
        let items = found.into_iter().map(|(e, c)| (format!("{e} :{c}:"), e));
        Some((at, items.collect::<Vec<_>>()))
    };
    let found = mentions
        .or_else(emoji)
        .filter(|(_, items)| !items.is_empty());
    suggestions.set(found.map(|(at, items)| Suggestions {
        at,
        items,
        chosen: 0,
    }));
}

/// Handles a key while the list is open; true if it was the list's.
pub fn on_key(
    ev: &leptos::ev::KeyboardEvent,
    input: NodeRef<Textarea>,
    draft: RwSignal<String>,
    suggestions: RwSignal<Option<Suggestions>>,
) -> bool {
    let Some(open) = suggestions.get_untracked() else {
        return false;
    };
    let count = open.items.len();
    let step = |by: usize| {
        suggestions.update(|s| {
            if let Some(s) = s {
                s.chosen = (s.chosen + by) % count;
            }
        });
    };
    match ev.key().as_str() {
        "ArrowDown" => step(1),
        "ArrowUp" => step(count - 1),
        "Enter" | "Tab" if !ev.is_composing() => {
            take(open.items[open.chosen].1.clone(), input, draft, suggestions)
        }
        "Escape" => suggestions.set(None),
        _ => return false,
    }
    ev.prevent_default();
    true
}

/// Puts `insert` in place of the `@prefix` or `:code`, and the caret after it.
fn take(
    insert: String,
    input: NodeRef<Textarea>,
    draft: RwSignal<String>,
    suggestions: RwSignal<Option<Suggestions>>,
) {
    let (Some(el), Some(open)) = (input.get_untracked(), suggestions.get_untracked()) else {
        return;
    };
    let text = el.value();
    let caret = utf16_to_byte(
        &text,
        el.selection_start().ok().flatten().unwrap_or(0) as usize,
    );
    let (completed, caret) = complete_mention(&text, open.at, caret.max(open.at), &insert);
    draft.set(completed.clone());
    el.set_value(&completed);
    let caret16 = completed[..caret].encode_utf16().count() as u32;
    let _ = el.set_selection_range(caret16, caret16);
    let _ = el.focus();
    suggestions.set(None);
}

fn utf16_to_byte(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (byte, c) in text.char_indices() {
        if seen >= units {
            return byte;
        }
        seen += c.len_utf16();
    }
    text.len()
}

/// The list over the composer.
#[component]
pub fn MentionList(
    input: NodeRef<Textarea>,
    draft: RwSignal<String>,
    suggestions: RwSignal<Option<Suggestions>>,
) -> impl IntoView {
    let items = move || {
        suggestions
            .get()
            .map(|s| (s.items, s.chosen))
            .unwrap_or_default()
    };
    view! {
        <Show when=move || suggestions.with(Option::is_some)>
            <ul class="mention-list" role="listbox" aria-label="Suggestions" data-testid="mention-list">
                {move || {
                    let (items, chosen) = items();
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, (label, insert))| {
                            view! {
                                <li
                                    role="option"
                                    aria-selected=(i == chosen).to_string()
                                    class:chosen=i == chosen
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        take(insert.clone(), input, draft, suggestions);
                                    }
                                >{label}</li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}

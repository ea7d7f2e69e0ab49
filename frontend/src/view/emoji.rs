//! The emoji picker beside the composer: the groups as tabs, a search by name,
//! and a grid; a click puts the emoji where the caret is. The data comes from
//! `/emoji.json` (shipped with the bundle) the first time it is needed.

use crate::app::ctx;
use crate::model::{EmojiSet, shortcode};
use leptos::html::Textarea;
use leptos::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Most emoji a search shows.
const MAX_FOUND: usize = 64;

static LOADING: AtomicBool = AtomicBool::new(false);

/// Fetches the emoji set once; `set` holds it when it has come.
pub fn load(set: RwSignal<Option<Arc<EmojiSet>>>) {
    if set.get_untracked().is_some() || LOADING.swap(true, Ordering::SeqCst) {
        return;
    }
    leptos::task::spawn_local(async move {
        let fetched = async {
            let response = gloo_net::http::Request::get("/emoji.json")
                .send()
                .await
                .ok()?;
            response.json::<EmojiSet>().await.ok()
        };
        match fetched.await {
            Some(emoji) => set.set(Some(Arc::new(emoji))),
            // Asked again on the next use.
            None => LOADING.store(false, Ordering::SeqCst),
        }
    });
}

/// The smiley button and, when open, the picker over the composer.
#[component]
pub fn EmojiPicker(input: NodeRef<Textarea>, draft: RwSignal<String>) -> impl IntoView {
    let ctx = ctx();
    let open = RwSignal::new(false);
    let group = RwSignal::new(0usize);
    let query = RwSignal::new(String::new());
    let toggle = move |_| {
        load(ctx.emoji);
        open.update(|o| *o = !*o);
    };
    let insert = move |emoji: String| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let text = el.value();
        let caret16 = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let caret = text
            .char_indices()
            .scan(0, |units, (byte, c)| {
                let here = (*units, byte);
                *units += c.len_utf16();
                Some(here)
            })
            .find(|(units, _)| *units >= caret16)
            .map_or(text.len(), |(_, byte)| byte);
        let next = format!("{}{emoji}{}", &text[..caret], &text[caret..]);
        let after = (text[..caret].encode_utf16().count() + emoji.encode_utf16().count()) as u32;
        draft.set(next.clone());
        el.set_value(&next);
        let _ = el.set_selection_range(after, after);
        let _ = el.focus();
        open.set(false);
    };
    let shown = Memo::new(move |_| {
        let set = ctx.emoji.get()?;
        let q = crate::text::lower(query.get().trim());
        let list: Vec<(String, String)> = if q.is_empty() {
            set.groups.get(group.get())?.emoji.clone()
        } else {
            let codes = set.find(&q.replace(' ', "_"), MAX_FOUND);
            codes
                .into_iter()
                .map(|(e, code)| (e, code.replace('_', " ")))
                .collect()
        };
        Some(list)
    });
    let tabs = Memo::new(move |_| {
        ctx.emoji.get().map(|set| {
            let firsts = set
                .groups
                .iter()
                .map(|g| (g.emoji[0].0.clone(), g.name.clone()));
            firsts.collect::<Vec<_>>()
        })
    });
    view! {
        <button type="button" class="emoji-toggle" title="Emoji" aria-label="Insert an emoji"
            aria-expanded=move || open.get().to_string() data-testid="emoji-toggle" on:click=toggle>"😊"</button>
        <Show when=move || open.get()>
            <div class="emoji-picker" role="dialog" aria-label="Emoji" data-testid="emoji-picker"
                on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }>
                <input type="search" class="emoji-search" placeholder="Search emoji" aria-label="Search emoji"
                    data-testid="emoji-search" prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev)) />
                <div class="emoji-tabs" role="tablist">
                    {move || tabs.get().unwrap_or_default().into_iter().enumerate().map(|(i, (emoji, name))| view! {
                        <button type="button" role="tab" title=name.clone() aria-label=name
                            aria-selected=move || (group.get() == i && query.with(String::is_empty)).to_string()
                            on:click=move |_| { group.set(i); query.set(String::new()); }>{emoji}</button>
                    }).collect_view()}
                </div>
                <div class="emoji-grid" data-testid="emoji-grid">
                    {move || match shown.get() {
                        None => view! { <p class="emoji-note">"Loading…"</p> }.into_any(),
                        Some(list) if list.is_empty() => view! { <p class="emoji-note">"No emoji found"</p> }.into_any(),
                        Some(list) => list.into_iter().map(|(emoji, name)| {
                            let pick = emoji.clone();
                            let code = format!(":{}:", shortcode(&name));
                            view! {
                                <button type="button" title=code aria-label=name
                                    on:click=move |_| insert(pick.clone())>{emoji}</button>
                            }
                        }).collect_view().into_any(),
                    }}
                </div>
            </div>
        </Show>
    }
}

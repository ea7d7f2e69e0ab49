//! The search panel: a query box (this room or all of mine), the results with
//! the words found marked, and a click that jumps to a result in its room.

use crate::app::ctx;
use crate::browser;
use crate::model::{excerpt, highlight};
use confab_shared::search::search_terms_with;
use confab_shared::server::HistoryItem;
use leptos::html::Input;
use leptos::prelude::*;

/// Longest excerpt of a result shown, in characters.
const EXCERPT_CHARS: usize = 160;

/// The magnifier in the room header: opens and closes the panel.
#[component]
pub fn SearchButton() -> impl IntoView {
    let open = ctx().search_open;
    view! {
        <button
            class="search-toggle"
            title="Search messages"
            aria-label="Search messages"
            aria-expanded=move || open.get().to_string()
            aria-controls="search-panel"
            data-testid="search-toggle"
            on:click=move |_| open.update(|o| *o = !*o)
        >"🔍"</button>
    }
}

#[component]
pub fn SearchPanel() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let open = ctx.search_open;
    let input = NodeRef::<Input>::new();
    let this_room = RwSignal::new(false);
    // Every frame recomputes this, so it holds the search's state, not its
    // results: they change only when an answer ends `pending`, which this sees.
    let state = Memo::new(move |_| {
        chat.with(|c| {
            let s = &c.search;
            let shape = (s.pending, s.results.len(), s.truncated);
            (s.query.clone(), s.room.clone(), s.problem.clone(), shape)
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = input.get_untracked().map(|i| i.value()).unwrap_or_default();
        let room = this_room
            .get_untracked()
            .then(|| chat.with_untracked(|c| c.current.clone()));
        if let Some(frame) = chat.try_update(|c| c.search(&query, room)).flatten() {
            ctx.connection.send(frame);
        }
    };
    // Focus the box whenever the panel opens.
    Effect::new(move |_| {
        if open.get()
            && let Some(el) = input.get()
        {
            let _ = el.focus();
        }
    });
    let status = move || {
        let (query, _, problem, (pending, count, truncated)) = state.get();
        if let Some(problem) = problem {
            return problem;
        }
        match (pending, count, query.is_empty()) {
            (_, _, true) => "Words in any order; case does not matter.".into(),
            (true, _, _) => "Searching…".into(),
            (false, 0, _) => "No messages found.".into(),
            (false, 1, _) => "1 message".into(),
            (false, n, _) if n as u32 >= confab_shared::search::MAX_SEARCH_RESULTS || truncated => {
                format!("The newest {n} messages")
            }
            (false, n, _) => format!("{n} messages"),
        }
    };
    let results = Memo::new(move |_| {
        state.track();
        chat.with_untracked(|c| c.search.results.clone())
    });
    view! {
        <Show when=move || open.get()>
            <section id="search-panel" class="search-panel" role="search" aria-label="Search messages" data-testid="search-panel">
                <form class="search-form" on:submit=submit>
                    <input
                        type="search"
                        node_ref=input
                        placeholder="Search messages"
                        aria-label="Search messages"
                        maxlength="200"
                        data-testid="search-input"
                        on:keydown=move |ev| if ev.key() == "Escape" { open.set(false) }
                    />
                    <button type="submit" data-testid="search-go">"Search"</button>
                    <button type="button" class="close" aria-label="Close search" on:click=move |_| open.set(false)>"✕"</button>
                    <label class="scope">
                        <input type="checkbox" prop:checked=move || this_room.get() on:change=move |_| this_room.update(|t| *t = !*t) data-testid="search-this-room" />
                        " This room only"
                    </label>
                </form>
                <p class="search-status" role="status" data-testid="search-status">{status}</p>
                <ol class="search-results">
                    <For
                        each=move || results.get()
                        key=|m| (m.room.clone(), m.id)
                        children=move |m| view! { <Result item=m /> }
                    />
                </ol>
            </section>
        </Show>
    }
}

/// One result: where and who, and the text with the words found marked.
#[component]
fn Result(item: HistoryItem) -> impl IntoView {
    let ctx = ctx();
    let terms = ctx.chat.with_untracked(|c| {
        search_terms_with(&c.search.query, crate::text::lower).unwrap_or_default()
    });
    let text = excerpt(&item.content, &terms, EXCERPT_CHARS);
    let pieces = highlight(&text, &terms)
        .into_iter()
        .map(|(piece, found)| match found {
            true => view! { <mark>{piece}</mark> }.into_any(),
            false => piece.into_any(),
        })
        .collect_view();
    let (room, id) = (item.room.clone(), item.id);
    let jump = move |_| {
        if let Some(frame) = ctx.chat.try_update(|c| c.jump_to(&room, id)).flatten() {
            ctx.connection.send(frame);
        }
        // On a phone the panel covers the room: get it out of the way.
        if browser::narrow_screen() {
            ctx.search_open.set(false);
        }
    };
    view! {
        <li>
            <button class="search-result" data-testid="search-result" on:click=jump>
                <span class="where">
                    <span class="result-room">"#"{item.room.clone()}</span>
                    <span class="result-sender">{item.from_name.clone()}</span>
                    <time>{browser::moment(item.timestamp)}</time>
                </span>
                <span class="text">{pieces}</span>
            </button>
        </li>
    }
}

//! The message list: follows new messages unless you scrolled up to read.

use super::Avatar;
use crate::app::ctx;
use crate::browser;
use crate::model::{Delivery, Entry, EntryKind};
use confab_shared::client::ClientMessage;
use leptos::html::Div;
use leptos::prelude::*;

/// How close to the end (px) still counts as "at the bottom".
const STICKY_PX: i32 = 48;

#[component]
pub fn MessageList() -> impl IntoView {
    let chat = ctx().chat;
    let list = NodeRef::<Div>::new();
    let at_bottom = RwSignal::new(true);
    let unseen = RwSignal::new(0u64);
    let newest_seen = StoredValue::new(0u64);

    let scroll_to_end = move || {
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    Effect::new(move |_| {
        let newest = chat.with(|c| c.entries.back().map_or(0, |e| e.key));
        let previous = newest_seen.get_value();
        newest_seen.set_value(newest);
        if newest <= previous {
            return;
        }
        let mine = chat.with_untracked(|c| {
            c.entries
                .back()
                .is_some_and(|e| matches!(e.kind, EntryKind::Public { own: true, .. }))
        });
        if at_bottom.get_untracked() || mine {
            request_animation_frame(scroll_to_end);
        } else {
            unseen.update(|n| *n += newest - previous);
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            let bottom = el.scroll_height() - el.scroll_top() - el.client_height() < STICKY_PX;
            at_bottom.set(bottom);
            if bottom {
                unseen.set(0);
            }
        }
    };

    view! {
        <div class="messages-wrap">
            <div
                class="messages"
                node_ref=list
                role="log"
                aria-live="polite"
                aria-label="Messages"
                tabindex="0"
                data-testid="messages"
                on:scroll=on_scroll
            >
                <For
                    each=move || chat.with(|c| c.entries.iter().cloned().collect::<Vec<_>>())
                    key=|e| (e.key, e.delivery.clone())
                    children=|entry| view! { <EntryView entry /> }
                />
            </div>
            <Show when=move || { unseen.get() > 0 }>
                <button class="jump" data-testid="jump" on:click=move |_| { unseen.set(0); scroll_to_end(); }>
                    {move || format!("{} new message{} ↓", unseen.get(), if unseen.get() == 1 { "" } else { "s" })}
                </button>
            </Show>
        </div>
    }
}

#[component]
fn EntryView(entry: Entry) -> impl IntoView {
    let time = browser::clock_time(entry.time);
    let (sender, from_id, class, tag) = match &entry.kind {
        EntryKind::System => {
            return view! { <div class="line system">{entry.text}</div> }.into_any();
        }
        EntryKind::Error => {
            return view! { <div class="line error" data-testid="error">{entry.text}</div> }
                .into_any();
        }
        EntryKind::Public {
            from_id,
            from_name,
            own: true,
        } => (from_name.clone(), *from_id, "msg own", None),
        EntryKind::Public {
            from_id, from_name, ..
        } => (from_name.clone(), *from_id, "msg", None),
        EntryKind::PrivateIn { from_id, from_name } => (
            from_name.clone(),
            *from_id,
            "msg private",
            Some("Private".to_string()),
        ),
        EntryKind::PrivateOut { to_id, to_name } => (
            "You".into(),
            *to_id,
            "msg own private",
            Some(format!("Private to {to_name}")),
        ),
    };
    let own = class.contains("own");
    let state = match entry.delivery {
        Delivery::Sent => None,
        Delivery::Pending { .. } => {
            Some(view! { <span class="state">"Sending…"</span> }.into_any())
        }
        Delivery::Failed { .. } => Some(view! { <FailedState key=entry.key /> }.into_any()),
    };
    view! {
        <article class=class data-testid="message">
            {(!own).then(|| view! { <Avatar id=from_id name=sender.clone() /> })}
            <div class="bubble">
                <header>
                    <span class="sender">{sender}</span>
                    {tag.map(|t| view! { <span class="tag">{t}</span> })}
                    <time>{time}</time>
                </header>
                <p class="text">{entry.text}</p>
                {state}
            </div>
        </article>
    }
    .into_any()
}

#[component]
fn FailedState(key: u64) -> impl IntoView {
    let ctx = ctx();
    let retry = move |_| {
        if let Some((content, txn_id)) = ctx.chat.try_update(|c| c.retry(key)).flatten() {
            let txn = txn_id.clone();
            if !ctx.connection.send(ClientMessage::Message {
                content,
                txn_id: Some(txn_id),
            }) {
                ctx.chat.update(|c| c.fail(&txn));
            } else {
                super::composer::fail_after_timeout(ctx.chat, txn);
            }
        }
    };
    view! {
        <span class="state failed" data-testid="failed">
            "Not sent" <button class="retry" on:click=retry>"Retry"</button>
        </span>
    }
}

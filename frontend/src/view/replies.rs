//! Replies: the arrow on a message that answers it, the quote a reply shows,
//! and the "Replying to" bar over the composer.

use crate::app::ctx;
use crate::model::{Entry, EntryKind};
use confab_shared::MessageId;
use leptos::prelude::*;

/// The arrow, on every stored public message that is not removed.
#[component]
pub fn ReplyButton(entry: Entry) -> impl IntoView {
    let ctx = ctx();
    let public = matches!(entry.kind, EntryKind::Public { .. });
    let id = entry.id.filter(|_| public && !entry.deleted)?;
    let reply = move |_| {
        ctx.chat.update(|c| c.reply(id));
        if let Some(input) = document().get_element_by_id("composer-input")
            && let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(input)
        {
            let _ = input.focus();
        }
    };
    Some(view! {
        <button class="reply" title="Reply" aria-label="Reply to this message" data-testid="reply" on:click=reply>"↩"</button>
    })
}

/// What a reply answers, quoted above its text (as the list holds it when the
/// reply is drawn).
#[component]
pub fn Quote(reply_to: Option<MessageId>) -> impl IntoView {
    let id = reply_to?;
    let ctx = ctx();
    let quoted = ctx.chat.with_untracked(|c| c.quote(id));
    let (who, text) = quoted.unwrap_or_else(|| (String::new(), "an earlier message".into()));
    // Clicking the quote shows the original, fetching it if it is far back.
    let show = move |_| {
        let room = ctx.chat.with_untracked(|c| c.current.clone());
        if let Some(frame) = ctx.chat.try_update(|c| c.jump_to(&room, id)).flatten() {
            ctx.connection.send(frame);
        }
    };
    Some(view! {
        <blockquote class="quote" data-testid="quote" title="Show the original" on:click=show>
            {(!who.is_empty()).then(|| view! { <strong>{who}": "</strong> })}
            {text}
        </blockquote>
    })
}

/// "Replying to Ann: …" over the composer, with a way out.
#[component]
pub fn ReplyingTo() -> impl IntoView {
    let chat = ctx().chat;
    let quoted = Memo::new(move |_| chat.with(|c| c.replying_to.and_then(|id| c.quote(id))));
    view! {
        <Show when=move || quoted.with(Option::is_some)>
            <div class="replying" data-testid="replying">
                <span class="replying-text">
                    "Replying to " <strong>{move || quoted.get().map(|(who, _)| who)}</strong>
                    ": " {move || quoted.get().map(|(_, text)| text)}
                </span>
                <button type="button" aria-label="Cancel reply" on:click=move |_| chat.update(|c| c.cancel_reply())>"✕"</button>
            </div>
        </Show>
    }
}

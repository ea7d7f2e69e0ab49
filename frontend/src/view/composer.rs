//! Where you type: Enter sends, Shift+Enter adds a line, Escape leaves private mode.

use crate::app::ctx;
use crate::browser;
use crate::model::Chat;
use confab_shared::client::ClientMessage;
use confab_shared::limits::{MAX_CONTENT_BYTES, validate_content};
use leptos::prelude::*;
use std::time::Duration;

/// How long a sent message may wait for its echo before it is marked failed.
const ECHO_TIMEOUT: Duration = Duration::from_secs(10);

#[component]
pub fn Composer() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let draft = RwSignal::new(String::new());
    let private_to = move || chat.with(|c| c.private_to.clone());
    let too_long = move || draft.with(|d| d.len() > MAX_CONTENT_BYTES);

    let send = move || {
        let text = draft.get_untracked();
        if validate_content(&text).is_err() || !ctx.connected() {
            return;
        }
        let sent = match chat.with_untracked(|c| c.private_to.clone()) {
            Some((to_id, _)) => ctx.connection.send(ClientMessage::PrivateMessage {
                to_id,
                content: text,
            }),
            None => {
                let txn_id = browser::new_txn_id();
                chat.update(|c| c.add_pending(text.clone(), txn_id.clone(), browser::now_unix()));
                let ok = ctx.connection.send(ClientMessage::Message {
                    content: text,
                    txn_id: Some(txn_id.clone()),
                });
                if ok {
                    fail_after_timeout(chat, txn_id)
                } else {
                    chat.update(|c| c.fail(&txn_id))
                }
                true
            }
        };
        if sent {
            draft.set(String::new());
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" if !ev.shift_key() && !ev.is_composing() => {
            ev.prevent_default();
            send();
        }
        "Escape" => chat.update(|c| c.private_to = None),
        _ => {}
    };
    let placeholder = move || match private_to() {
        Some((_, name)) => format!("Private message to {name}…"),
        None if ctx.connected() => "Message everyone…".into(),
        None => "Waiting for connection…".into(),
    };

    view! {
        <form class="composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <Show when=move || private_to().is_some()>
                <div class="private-chip" data-testid="private-chip">
                    <span>"Private to " <strong>{move || private_to().map(|(_, n)| n)}</strong></span>
                    <button type="button" aria-label="Cancel private message" on:click=move |_| chat.update(|c| c.private_to = None)>"✕"</button>
                </div>
            </Show>
            <div class="row">
                <label for="composer-input" class="visually-hidden">"Message"</label>
                <textarea
                    id="composer-input"
                    rows="1"
                    placeholder=placeholder
                    aria-invalid=move || too_long().to_string()
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=on_keydown
                ></textarea>
                <button type="submit" class="send" disabled=move || !ctx.connected() || too_long()>"Send"</button>
            </div>
            <Show when=too_long>
                <p class="field-error">{move || format!("Too long: {} of {MAX_CONTENT_BYTES} bytes", draft.with(|d| d.len()))}</p>
            </Show>
        </form>
    }
}

/// Marks a message failed if its echo has not arrived within [`ECHO_TIMEOUT`].
pub fn fail_after_timeout(chat: RwSignal<Chat>, txn_id: String) {
    set_timeout(
        move || chat.update(|c| c.fail_if_pending(&txn_id)),
        ECHO_TIMEOUT,
    );
}

//! Where you type: Enter sends, Shift+Enter adds a line, Escape leaves private mode.

use super::attachments::{AttachButton, TrayView};
use super::mentions::{MentionList, Suggestions, on_key, suggest};
use super::replies::ReplyingTo;
use crate::app::{Ctx, ctx};
use crate::browser;
use crate::connection::Status;
use crate::model::Tray;
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
    let input = NodeRef::<leptos::html::Textarea>::new();
    let suggestions = RwSignal::new(None::<Suggestions>);
    let private_to = Memo::new(move |_| chat.with(|c| c.private_to.clone()));
    let too_long = move || draft.with(|d| d.len() > MAX_CONTENT_BYTES);
    // Why we may not post here, if we may not: a read-only room, or a mute.
    let barred = Memo::new(move |_| {
        chat.with(|c| {
            if c.read_only_here() {
                Some("Only moderators post in this room".to_string())
            } else {
                let now = browser::now_unix();
                c.muted_here(now)
                    .map(|m| format!("Muted until {}", browser::moment(m.until)))
            }
        })
    });

    let send = move || {
        // `:tada:` typed out whole becomes 🎉, once the emoji set is here.
        let typed = draft.get_untracked();
        let text = ctx.emoji.with_untracked(|set| match set {
            Some(set) => set.replace_codes(&typed),
            None => typed,
        });
        // Public messages may be written offline: they wait, pending, and go out on
        // reconnect. Private ones have no such queue and need a connection.
        let private = chat.with_untracked(|c| c.private_to.is_some());
        // Images go to rooms; with any, the words may be left out.
        let images = match private {
            true => Vec::new(),
            false => ctx.tray.with_untracked(Tray::ready),
        };
        let words_needed = images.is_empty() || !text.trim().is_empty();
        if (words_needed && validate_content(&text).is_err())
            || (private && !ctx.connected())
            || (!private && ctx.tray.with_untracked(Tray::uploading))
            || barred.get_untracked().is_some()
        {
            return;
        }
        let sent = match chat.with_untracked(|c| c.private_to.clone()) {
            Some((to_id, _)) => ctx.connection.send(ClientMessage::PrivateMessage {
                to_id,
                content: text,
            }),
            None => {
                let txn_id = browser::new_txn_id();
                let now = browser::now_unix();
                let frame = chat.try_update(|c| c.add_pending(text, images, txn_id.clone(), now));
                ctx.tray.update(Tray::sent);
                // While disconnected it stays pending, and is sent on reconnect.
                if let Some(frame) = frame
                    && ctx.connection.send(frame)
                {
                    fail_after_timeout(ctx, txn_id);
                }
                true
            }
        };
        if sent {
            draft.set(String::new());
            chat.update(|c| c.typing_done());
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        _ if on_key(&ev, input, draft, suggestions) => {}
        "Enter" if !ev.shift_key() && !ev.is_composing() => {
            ev.prevent_default();
            send();
        }
        "Escape" => chat.update(|c| {
            c.cancel_reply();
            c.close_conversation();
        }),
        // As in Slack: Up in an empty composer edits our last message.
        "ArrowUp" if draft.with(String::is_empty) && private_to.get_untracked().is_none() => {
            if let Some(id) = chat.with_untracked(|c| c.last_own_message()) {
                ev.prevent_default();
                ctx.editing.set(Some(id));
            }
        }
        _ => {}
    };
    let placeholder = move || match private_to.get() {
        _ if barred.get().is_some() => barred.get().unwrap_or_default(),
        Some((_, name)) => format!("Private message to {name}…"),
        None if ctx.connected() => format!("Message #{}…", chat.with(|c| c.current.clone())),
        None => "Offline: messages will be sent when you reconnect".into(),
    };

    view! {
        <form class="composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <ReplyingTo />
            <Show when=move || private_to.get().is_some()>
                <div class="private-chip" data-testid="private-chip">
                    <span>"Private to " <strong>{move || private_to.get().map(|(_, n)| n)}</strong></span>
                    <button type="button" aria-label="Cancel private message" on:click=move |_| chat.update(|c| c.close_conversation())>"✕"</button>
                </div>
            </Show>
            <MentionList input draft suggestions />
            <Show when=move || private_to.get().is_none()><TrayView /></Show>
            <div class="row">
                <label for="composer-input" class="visually-hidden">"Message"</label>
                <textarea
                    id="composer-input"
                    node_ref=input
                    rows="1"
                    placeholder=placeholder
                    disabled=move || barred.get().is_some()
                    aria-invalid=move || too_long().to_string()
                    prop:value=move || draft.get()
                    on:input=move |ev| {
                        draft.set(event_target_value(&ev));
                        announce_typing(ctx, draft);
                        suggest(input, suggestions);
                    }
                    on:keydown=on_keydown
                    on:blur=move |_| suggestions.set(None)
                    on:paste=move |ev: leptos::ev::ClipboardEvent| {
                        let files = ev.clipboard_data().and_then(|d| d.files());
                        if let Some(files) = files.filter(|f| f.length() > 0 && private_to.get_untracked().is_none()) {
                            ev.prevent_default();
                            crate::uploads::take_files(ctx, files);
                        }
                    }
                ></textarea>
                <AttachButton />
                <super::emoji::EmojiPicker input draft />
                <button type="submit" class="send" disabled=move || too_long() || barred.get().is_some() || (private_to.get().is_some() && !ctx.connected()) || (private_to.get().is_none() && ctx.tray.with(Tray::uploading))>"Send"</button>
            </div>
            <Show when=too_long>
                <p class="field-error">{move || format!("Too long: {} of {MAX_CONTENT_BYTES} bytes", draft.with(|d| d.len()))}</p>
            </Show>
        </form>
    }
}

/// Marks a message failed if, still connected, its echo has not arrived within
/// [`ECHO_TIMEOUT`]. (After a drop it stays pending and is resent on reconnect.)
pub fn fail_after_timeout(ctx: Ctx, txn_id: String) {
    let check = move || {
        if ctx.connection.status.get_untracked() == Status::Connected {
            ctx.chat.update(|c| c.fail_if_pending(&txn_id));
        }
    };
    set_timeout(check, ECHO_TIMEOUT);
}

/// Tells the room we are composing (the model keeps it to once every few seconds).
fn announce_typing(ctx: Ctx, draft: RwSignal<String>) {
    if draft.with_untracked(|d| d.trim().is_empty()) || !ctx.connected() {
        return;
    }
    let now_ms = js_sys::Date::now() as u64;
    if let Some(typing) = ctx.chat.try_update(|c| c.typing_now(now_ms)).flatten() {
        ctx.connection.send(typing);
    }
}

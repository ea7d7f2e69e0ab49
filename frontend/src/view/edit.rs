//! Editing our own messages in place: the pencil on a message (or Up in an empty
//! composer) turns its text into a box; Enter saves, Escape cancels. The list
//! shows the new text, "(edited)", once the server has stored it.

use crate::app::ctx;
use crate::model::Entry;
use leptos::html::Textarea;
use leptos::prelude::*;

/// The pencil, on our own stored messages.
#[component]
pub fn EditButton(entry: Entry) -> impl IntoView {
    let ctx = ctx();
    let id = entry
        .id
        .filter(|_| entry.is_own_public() && !entry.deleted && !entry.text.is_empty())?;
    Some(view! {
        <button
            class="edit"
            title="Edit this message"
            aria-label="Edit message"
            data-testid="edit"
            on:click=move |_| ctx.editing.set(Some(id))
        >"✎"</button>
    })
}

/// A message's text, "(edited)" if it was; while being edited, the box.
#[component]
pub fn EditedText(entry: Entry) -> impl IntoView {
    let ctx = ctx();
    let id = entry.id;
    let editing = Memo::new(move |_| id.is_some() && ctx.editing.get() == id);
    let text = entry.text.clone();
    let edited = entry.edited;
    view! {
        <Show
            when=move || editing.get()
            fallback=move || view! {
                <p class="text">
                    <super::rich_text::RichText text=text.clone() />
                    {edited.then(|| view! { <span class="edited" data-testid="edited">" (edited)"</span> })}
                </p>
            }
        >
            <EditBox id=id.unwrap_or_default() text=entry.text.clone() />
        </Show>
    }
}

#[component]
fn EditBox(id: confab_shared::MessageId, text: String) -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(text);
    let input = NodeRef::<Textarea>::new();
    // Focused with the caret at the end, as soon as it is on the page.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            let end = el.value().len() as u32;
            let _ = el.set_selection_range(end, end);
        }
    });
    let save = move || {
        let frame = ctx
            .chat
            .with_untracked(|c| c.edit_message(id, draft.get_untracked()));
        if let Some(frame) = frame {
            ctx.connection.send(frame);
        }
        ctx.editing.set(None);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" if !ev.shift_key() && !ev.is_composing() => {
            ev.prevent_default();
            save();
        }
        "Escape" => ctx.editing.set(None),
        _ => {}
    };
    view! {
        <div class="edit-box">
            <label class="visually-hidden" for=format!("edit-{id}")>"Edit message"</label>
            <textarea
                id=format!("edit-{id}")
                node_ref=input
                rows="2"
                data-testid="edit-input"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=on_keydown
            ></textarea>
            <div class="edit-actions">
                <button class="cancel" on:click=move |_| ctx.editing.set(None)>"Cancel"</button>
                <button class="save" data-testid="edit-save" on:click=move |_| save()>"Save"</button>
            </div>
        </div>
    }
}

//! Browser notifications for mentions and private messages. Permission is asked
//! for only when the user clicks "Notify me", never on load (browsers rightly
//! punish pages that ask unprompted).

use crate::model::{Chat, Notice};
use leptos::prelude::*;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// Whether the browser has notifications, and what the user said of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Unsupported,
    /// Not asked yet: the button is offered.
    Ask,
    Granted,
    Denied,
}

pub fn permission() -> Permission {
    let supported = js_sys::Reflect::has(&window(), &"Notification".into()).unwrap_or(false);
    if !supported {
        return Permission::Unsupported;
    }
    match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Ask,
    }
}

/// Asks for permission (from a click), and tells `state` the answer.
pub fn ask(state: RwSignal<Permission>) {
    let Ok(promise) = Notification::request_permission() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        state.set(permission());
    });
}

/// Shows `notice` if allowed; a click brings the tab forward and opens the room.
pub fn show(notice: &Notice, chat: RwSignal<Chat>) {
    if permission() != Permission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(&notice.body);
    // One notification per room (or per private chat): a burst replaces, not piles up.
    let tag = notice.room.clone().unwrap_or_else(|| "private".into());
    options.set_tag(&tag);
    let Ok(shown) = Notification::new_with_options(&notice.title, &options) else {
        return;
    };
    let room = notice.room.clone();
    let click = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        let _ = window().focus();
        if let Some(room) = &room {
            chat.update(|c| {
                c.open_room(room);
            });
        }
    });
    shown.set_onclick(Some(wasm_bindgen::JsCast::unchecked_ref(click.as_ref())));
    // The handler must live as long as its notification may be clicked: until
    // the next one with its tag replaces it. So one is kept per tag, not leaked.
    HANDLERS.with_borrow_mut(|handlers| handlers.insert(tag, click));
}

type Handler = wasm_bindgen::closure::Closure<dyn FnMut()>;

thread_local! {
    static HANDLERS: std::cell::RefCell<std::collections::HashMap<String, Handler>> =
        Default::default();
}

/// The "Notify me" button, offered until the user has answered.
#[component]
pub fn NotifyButton() -> impl IntoView {
    let state = RwSignal::new(permission());
    view! {
        <Show when=move || state.get() == Permission::Ask>
            <button
                class="notify-toggle"
                title="Get a notification when someone mentions you or writes to you privately"
                data-testid="notify-me"
                on:click=move |_| ask(state)
            >
                <span aria-hidden="true">"🔔"</span><span class="notify-label">" Notify me"</span>
            </button>
        </Show>
    }
}

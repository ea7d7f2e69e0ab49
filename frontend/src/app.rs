//! The root component: owns the chat state and the connection, and lays out the page.

use crate::browser;
use crate::connection::{self, Connection, Status};
use crate::model::Chat;
use crate::view::{
    AccountMenu, Composer, ConversationView, DropZone, Lightbox, MessageList, ModerationNotices,
    RoomHeader, SearchPanel, Sidebar, StatusBadge,
};
use leptos::prelude::*;

/// Shared with every component through context.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub chat: RwSignal<Chat>,
    pub connection: Connection,
    /// The id of our message being edited in place, if any.
    pub editing: RwSignal<Option<confab_shared::MessageId>>,
    /// The search panel is open.
    pub search_open: RwSignal<bool>,
    /// The emoji set, once fetched (see `view::emoji::load`).
    pub emoji: RwSignal<Option<std::sync::Arc<crate::model::EmojiSet>>>,
    /// Images waiting to go with the next message.
    pub tray: RwSignal<crate::model::Tray>,
    /// The image shown over everything, if any.
    pub lightbox: RwSignal<Option<confab_shared::attachments::Attachment>>,
}

#[component]
pub fn App() -> impl IntoView {
    let mut start = Chat::new(browser::saved_name());
    // What an earlier visit showed, and what it sent that was never stored.
    start.restore_history(browser::kept_history());
    start.restore_outbox(browser::kept_outbox());
    let chat = RwSignal::new(start);
    let unread = RwSignal::new(0u32);
    let connection = connection::start(chat, unread);
    let editing = RwSignal::new(None);
    provide_context(Ctx {
        chat,
        connection,
        editing,
        search_open: RwSignal::new(false),
        emoji: RwSignal::new(None),
        tray: RwSignal::new(Default::default()),
        lightbox: RwSignal::new(None),
    });

    Effect::new(move |_| {
        let n = unread.get();
        browser::set_title(&if n > 0 {
            format!("({n}) Confab")
        } else {
            "Confab".into()
        });
    });
    let outbox = Memo::new(move |_| chat.with(|c| c.outbox()));
    Effect::new(move |_| outbox.with(|waiting| browser::keep_outbox(waiting)));
    // The last messages are kept for a reload without a network: written two
    // seconds after a change, at most, rather than on every frame.
    let writing = StoredValue::new(false);
    Effect::new(move |_| {
        chat.track();
        if !writing.get_value() {
            writing.set_value(true);
            let write = move || {
                writing.set_value(false);
                chat.with_untracked(|c| browser::keep_history(&c.kept_history()));
            };
            set_timeout(write, std::time::Duration::from_secs(2));
        }
    });
    Effect::new(move |_| {
        if let Some(name) = chat.with(|c| c.chosen_name.clone()) {
            browser::save_name(&name);
        }
    });
    let seen = move |_| {
        if !browser::page_hidden() {
            unread.set(0);
        }
    };
    let _ = window_event_listener_untyped("visibilitychange", seen);
    let _ = window_event_listener_untyped("focus", seen);

    let people_open = RwSignal::new(false);
    let online = Memo::new(move |_| chat.with(|c| c.timeline().member_count()));
    let in_conversation = Memo::new(move |_| chat.with(|c| c.conversation.is_some()));
    let zone = DropZone::new();
    view! {
        <div class="app">
            <header class="topbar">
                <button
                    class="people-toggle"
                    aria-controls="sidebar"
                    aria-expanded=move || people_open.get().to_string()
                    on:click=move |_| people_open.update(|open| *open = !*open)
                >
                    "People · " {online}
                </button>
                <h1 class="brand"><span class="logo" aria-hidden="true">"◆"</span>" Confab"</h1>
                <crate::notify::NotifyButton />
                <AccountMenu />
                <StatusBadge status=connection.status />
            </header>
            <Sidebar open=people_open />
            <main class="chat" class:dropping=move || zone.dropping.get()
                on:dragenter=move |ev| zone.enter(ev) on:dragover=move |ev| zone.over(ev)
                on:dragleave=move |_| zone.leave() on:drop=move |ev| zone.drop(ev)>
                <ModerationNotices />
                <SearchPanel />
                <Show
                    when=move || in_conversation.get()
                    fallback=|| view! { <RoomHeader /> <MessageList /> }
                >
                    <ConversationView />
                </Show>
                <Composer />
            </main>
            <Lightbox />
        </div>
    }
}

/// The context every component reads.
pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

impl Ctx {
    pub fn connected(&self) -> bool {
        self.connection.status.get() == Status::Connected
    }
}

//! The message list: follows new messages unless you scrolled up to read.

use super::Avatar;
use super::attachments::Attachments;
use super::edit::{EditButton, EditedText};
use super::moderation::RoleBadge;
use super::reactions::Reactions;
use super::receipts::{NewDivider, ReadBy, report_reads};
use super::replies::{Quote, ReplyButton};
use crate::app::ctx;
use crate::browser;
use crate::model::{Delivery, Entry, EntryKind};
use confab_shared::client::ClientMessage;
use leptos::html::Div;
use leptos::prelude::*;

/// How close to the end (px) still counts as "at the bottom".
const STICKY_PX: i32 = 48;
/// How close to the top (px) starts loading older messages.
const LOAD_OLDER_PX: i32 = 120;

/// What the list showed last time it changed, to tell appends from prepends.
#[derive(Clone, Default, PartialEq)]
struct Shown {
    room: String,
    first: Option<u64>,
    last: Option<u64>,
}

#[component]
pub fn MessageList() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let list = NodeRef::<Div>::new();
    let at_bottom = RwSignal::new(true);
    let unseen = RwSignal::new(0u32);
    let shown = StoredValue::new(Shown::default());
    // When older messages were asked for: the first entry shown then, and how far
    // below the list's top it was, to keep the reader's place when a page is
    // inserted above (and, far back, the newest are trimmed below).
    let anchor = StoredValue::new(None::<(u64, f64)>);

    let scroll_to_end = move || {
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    Effect::new(move |_| {
        let now = chat.with(|c| {
            let entries = &c.timeline().entries;
            Shown {
                room: c.current.clone(),
                // The first *message*: local notes ("Welcome…") stay on top, and
                // older pages are inserted below them.
                first: entries.iter().find(|e| e.id.is_some()).map(|e| e.key),
                last: entries.last().map(|e| e.key),
            }
        });
        let before = shown.get_value();
        shown.set_value(now.clone());
        if chat.with_untracked(|c| c.jumping()) {
            // `scroll_to_jump` places the list once the message is there.
            at_bottom.set(false);
        } else if now.room != before.room {
            unseen.set(0);
            at_bottom.set(true);
            request_animation_frame(scroll_to_end);
        } else if now.first != before.first && anchor.get_value().is_some() {
            if let Some((key, offset)) = anchor.get_value() {
                anchor.set_value(None);
                request_animation_frame(move || {
                    if let Some(el) = list.get_untracked()
                        && let Some(offset_now) = offset_of(&el, key)
                    {
                        let moved = (offset_now - offset).round() as i32;
                        el.set_scroll_top(el.scroll_top() + moved);
                    }
                });
            }
        } else if now.last != before.last {
            let mine = chat.with_untracked(|c| {
                c.timeline()
                    .entries
                    .last()
                    .is_some_and(|e| e.is_own_public())
            });
            if at_bottom.get_untracked() || mine {
                request_animation_frame(scroll_to_end);
            } else {
                unseen.update(|n| *n += 1);
            }
        }
    });
    let on_scroll = move |_| {
        let Some(el) = list.get_untracked() else {
            return;
        };
        let bottom = el.scroll_height() - el.scroll_top() - el.client_height() < STICKY_PX;
        at_bottom.set(bottom);
        if bottom {
            unseen.set(0);
        }
        if el.scroll_top() < LOAD_OLDER_PX
            && let Some(request) = chat.try_update(|c| c.request_older()).flatten()
        {
            let first = shown.get_value().first;
            let offset = first.and_then(|key| Some((key, offset_of(&el, key)?)));
            anchor.set_value(offset);
            ctx.connection.send(request);
        }
        // Back at the bottom after reading far back: fetch what was trimmed.
        if bottom && let Some(request) = chat.try_update(|c| c.request_newer()).flatten() {
            ctx.connection.send(request);
        }
    };
    let loading = Memo::new(move |_| chat.with(|c| c.timeline().loading_older));
    let start = Memo::new(move |_| chat.with(|c| !c.timeline().more_before));
    // Recomputed on every frame, but the list hears of it only when it changed.
    let entries = Memo::new(move |_| chat.with(|c| c.timeline().entries.clone()));
    let divider = Memo::new(move |_| chat.with(|c| c.divider_key()));
    let readers = Memo::new(move |_| chat.with(|c| c.readers()));
    report_reads(ctx, at_bottom);
    scroll_to_jump(chat, list);

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
                <Show when=move || loading.get()><div class="line">"Loading older messages…"</div></Show>
                <Show when=move || start.get()><div class="line start">"This is the beginning of the room"</div></Show>
                <For
                    each=move || entries.get()
                    key=|e| (e.key, e.delivery.clone(), e.deleted, e.rev)
                    children=move |entry| {
                        let key = entry.key;
                        view! {
                            <NewDivider key divider />
                            <EntryView entry />
                            <ReadBy key readers />
                        }
                    }
                />
            </div>
            <TypingLine />
            <Show when=move || { unseen.get() > 0 }>
                <button class="jump" data-testid="jump" on:click=move |_| { unseen.set(0); scroll_to_end(); }>
                    {move || format!("{} new message{} ↓", unseen.get(), if unseen.get() == 1 { "" } else { "s" })}
                </button>
            </Show>
        </div>
    }
}

/// The current room's name and size, and the way out of it.
#[component]
pub fn RoomHeader() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let room = Memo::new(move |_| chat.with(|c| c.current.clone()));
    let members = Memo::new(move |_| chat.with(|c| c.timeline().member_count()));
    let leave = move |_| {
        let room = room.get();
        ctx.connection.send(ClientMessage::LeaveRoom { room });
    };
    view! {
        <div class="room-header">
            <h2 data-testid="room-title"><span class="hash">"#"</span>{room}</h2>
            <span class="members">{move || format!("{} online", members.get())}</span>
            <super::search::SearchButton />
            <Show when=move || room.get() != confab_shared::limits::DEFAULT_ROOM>
                <button class="leave" on:click=leave disabled=move || !ctx.connected()>"Leave room"</button>
            </Show>
        </div>
    }
}

/// Brings a jumped-to message (a search result, a quote) into the middle of the
/// list and flashes it, once it is drawn: after the list's own scrolling on a
/// room change, so that does not undo it.
fn scroll_to_jump(chat: RwSignal<crate::model::Chat>, list: NodeRef<Div>) {
    let target = Memo::new(move |_| chat.with(|c| c.jump_target()));
    Effect::new(move |_| {
        let Some((_, id)) = target.get() else {
            return;
        };
        let show = move || {
            chat.update(|c| c.jump_done());
            let selector = format!("[data-id=\"{id}\"]");
            let Some(el) = list.get_untracked() else {
                return;
            };
            let Ok(Some(message)) = el.query_selector(&selector) else {
                return;
            };
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            message.scroll_into_view_with_scroll_into_view_options(&options);
            let _ = message.class_list().add_1("flash");
            set_timeout(
                move || {
                    let _ = message.class_list().remove_1("flash");
                },
                std::time::Duration::from_secs(2),
            );
        };
        set_timeout(show, std::time::Duration::from_millis(50));
    });
}

/// How far below the top of the list's visible area the entry `key` is, in px.
fn offset_of(list: &web_sys::HtmlDivElement, key: u64) -> Option<f64> {
    let selector = format!("[data-key=\"{key}\"]");
    let entry = list.query_selector(&selector).ok()??;
    Some(entry.get_bounding_client_rect().top() - list.get_bounding_client_rect().top())
}

#[component]
fn EntryView(entry: Entry) -> impl IntoView {
    let time = browser::clock_time(entry.time);
    let key = entry.key;
    let (sender, from_id, class, tag) = match &entry.kind {
        EntryKind::System => {
            return view! { <div class="line system" data-key=key>{entry.text}</div> }.into_any();
        }
        EntryKind::Error => {
            return view! { <div class="line error" data-testid="error" data-key=key>{entry.text}</div> }
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
    if entry.deleted {
        return view! {
            <article class=format!("{class} deleted") data-testid="message" data-key=key>
                <div class="bubble"><p class="text removed">{format!("{sender}: message removed")}</p></div>
            </article>
        }
        .into_any();
    }
    let delete = DeleteButton(DeleteButtonProps {
        entry: entry.clone(),
    });
    // Shown as the message is drawn; a later role change shows on new messages.
    let badge = matches!(entry.kind, EntryKind::Public { .. })
        .then(|| ctx().chat.with_untracked(|c| c.badge_of(from_id)))
        .flatten();
    let state = match entry.delivery {
        Delivery::Sent => None,
        Delivery::Pending { .. } => {
            Some(view! { <span class="state">"Sending…"</span> }.into_any())
        }
        Delivery::Failed { .. } => Some(view! { <FailedState key=entry.key /> }.into_any()),
    };
    view! {
        <article class=class data-testid="message" data-key=key data-id=entry.id>
            {(!own).then(|| view! { <Avatar id=from_id name=sender.clone() /> })}
            <div class="bubble">
                <header>
                    <span class="sender">{sender}</span>
                    <RoleBadge role=badge />
                    {tag.map(|t| view! { <span class="tag">{t}</span> })}
                    <time>{time}</time>
                    <ReplyButton entry=entry.clone() />
                    <EditButton entry=entry.clone() />
                    {delete}
                </header>
                <Quote reply_to=entry.reply_to />
                {(!entry.text.is_empty()).then(|| view! { <EditedText entry=entry.clone() /> })}
                <Attachments list=entry.attachments.clone() />
                <Reactions entry=entry.clone() />
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
        if let Some(frame) = ctx.chat.try_update(|c| c.retry(key)).flatten() {
            let ClientMessage::Message {
                txn_id: Some(txn_id),
                ..
            } = &frame
            else {
                return;
            };
            let txn_id = txn_id.clone();
            if ctx.connection.send(frame) {
                super::composer::fail_after_timeout(ctx, txn_id);
            }
        }
    };
    view! {
        <span class="state failed" data-testid="failed">
            "Not sent" <button class="retry" on:click=retry>"Retry"</button>
        </span>
    }
}

/// Deletes a message: one's own, or anyone's for a moderator. Offered only where
/// the viewer may; the server checks.
#[component]
fn DeleteButton(entry: Entry) -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let (Some(id), room) = (entry.id, chat.with_untracked(|c| c.current.clone())) else {
        return None;
    };
    let allowed = Memo::new(move |_| chat.with(|c| c.may_delete(&entry)));
    let delete = move |_| {
        let room = room.clone();
        ctx.connection
            .send(ClientMessage::DeleteMessage { room, id });
    };
    Some(view! {
        <Show when=move || allowed.get()>
            <button class="delete" title="Delete this message" aria-label="Delete message" data-testid="delete" on:click=delete.clone()>"🗑"</button>
        </Show>
    })
}

/// "Ann is typing…" under the messages; it lapses by itself, so it looks again
/// every second.
#[component]
fn TypingLine() -> impl IntoView {
    let chat = ctx().chat;
    let now = RwSignal::new(browser::now_unix());
    let tick = set_interval_with_handle(
        move || now.set(browser::now_unix()),
        std::time::Duration::from_secs(1),
    );
    if let Ok(tick) = tick {
        on_cleanup(move || tick.clear());
    }
    let line = Memo::new(move |_| chat.with(|c| c.typing_line(now.get())));
    view! {
        <div class="typing" data-testid="typing">{move || line.get()}</div>
    }
}

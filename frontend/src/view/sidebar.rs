//! Your nickname, and who is online (click someone to message them privately).

use super::Avatar;
use super::moderation::{AuditPanel, MemberMenu, RoleBadge};
use crate::app::ctx;
use confab_shared::client::ClientMessage;
use leptos::prelude::*;

#[component]
pub fn Sidebar(open: RwSignal<bool>) -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    // Memos: each recomputes on every frame but notifies its views only when its
    // value changed, so a message does not re-render the member list.
    let my_id = Memo::new(move |_| chat.with(|c| c.my_id()));
    let count = Memo::new(move |_| chat.with(|c| c.timeline().member_count()));
    let members = Memo::new(move |_| chat.with(|c| c.timeline().members.clone()));
    view! {
        <aside id="sidebar" class="sidebar" class:open=move || open.get()>
            <NameForm />
            <Rooms open />
            <super::Conversations open />
            <section class="online" aria-labelledby="online-heading">
                <h2 id="online-heading">
                    "Online" <span class="count" data-testid="online-count">{move || count.get()}</span>
                </h2>
                <ul class="users" data-testid="users">
                    <For
                        each=move || members.get()
                        key=|u| (u.id, u.name.clone(), u.role)
                        children=move |user| {
                            let (id, name, badge) = (user.id, user.name.clone(), user.role);
                            let is_me = move || my_id.get() == Some(id);
                            let selected = Memo::new(move |_| chat.with(|c| c.private_to.as_ref().is_some_and(|(to, _)| *to == id)));
                            let choose = {
                                let name = name.clone();
                                move |_| {
                                    if !is_me() {
                                        chat.update(|c| c.private_to = Some((id, name.clone())));
                                        open.set(false);
                                        focus_composer();
                                    }
                                }
                            };
                            view! {
                                <li class="member">
                                    <button
                                        class="user"
                                        class:me=is_me
                                        class:selected=selected
                                        disabled=is_me
                                        title=move || if is_me() { "You".to_string() } else { format!("Message {} privately", user.name) }
                                        on:click=choose
                                    >
                                        <Avatar id=id name=name.clone() />
                                        <span class="user-name">{name.clone()}</span>
                                        <RoleBadge role=badge />
                                        <Show when=is_me><span class="you">"you"</span></Show>
                                    </button>
                                    <Show when=move || !is_me()>
                                        <MemberMenu id=id name=name.clone() badge=badge />
                                    </Show>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
            <AuditPanel />
        </aside>
    }
}

/// Every room: joined ones first-class with their unread counts; others one click
/// from joining. A new room is one name away.
#[component]
fn Rooms(open: RwSignal<bool>) -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let names = move || {
        chat.with(|c| {
            let mut names: Vec<String> = c.directory.iter().map(|r| r.name.clone()).collect();
            names.extend(
                c.rooms
                    .keys()
                    .filter(|r| !names.contains(r))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            names
        })
    };
    let draft = RwSignal::new(String::new());
    let read_only = RwSignal::new(false);
    let staff = Memo::new(move |_| chat.with(|c| c.is_staff()));
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = draft.get_untracked().trim().to_owned();
        if !name.is_empty() {
            let announce = read_only.get_untracked() && staff.get_untracked();
            let frame = chat.try_update(|c| c.create_room(&name, announce));
            if let Some(frame) = frame
                && ctx.connection.send(frame)
            {
                draft.set(String::new());
            }
        }
    };
    view! {
        <section class="rooms" aria-labelledby="rooms-heading">
            <h2 id="rooms-heading">"Rooms"</h2>
            <ul data-testid="rooms">
                <For
                    each=names
                    key=|name| name.clone()
                    children=move |name| {
                        let room = name.clone();
                        let joined = Memo::new(move |_| chat.with(|c| c.rooms.contains_key(&room)));
                        let room = name.clone();
                        let current = Memo::new(move |_| chat.with(|c| c.current == room));
                        let room = name.clone();
                        // The room shown has its divider instead of a badge.
                        let unread = Memo::new(move |_| chat.with(|c| {
                            c.rooms.get(&room).filter(|_| c.current != room).map_or(0, |t| t.unread())
                        }));
                        let room = name.clone();
                        // Some of them name us: the badge says so.
                        let mentioned = Memo::new(move |_| chat.with(|c| {
                            let me = c.me.as_ref().map(|m| m.name.as_str()).unwrap_or_default();
                            c.rooms.get(&room).filter(|_| c.current != room).is_some_and(|t| t.unread_mentions(me) > 0)
                        }));
                        let room = name.clone();
                        let pick = move |_| {
                            if let Some(join) = chat.try_update(|c| c.open_room(&room)).flatten() {
                                ctx.connection.send(join);
                            }
                            open.set(false);
                        };
                        view! {
                            <li>
                                <button
                                    class="room"
                                    class:joined=joined
                                    class:current=current
                                    aria-current=move || current.get().then_some("true")
                                    title=move || if joined.get() { "Open".to_string() } else { "Join this room".to_string() }
                                    on:click=pick
                                >
                                    <span class="hash" aria-hidden="true">"#"</span>
                                    <span class="room-name">{name.clone()}</span>
                                    <Show when=move || { unread.get() > 0 }>
                                        <span class="badge" class:mention=mentioned data-testid="room-unread" aria-label=move || if mentioned.get() { "unread, mentions you" } else { "unread" }>{move || if mentioned.get() { format!("@{}", unread.get()) } else { unread.get().to_string() }}</span>
                                    </Show>
                                    <Show when=move || !joined.get()>
                                        <span class="join-hint">"join"</span>
                                    </Show>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <form class="new-room" on:submit=create>
                <label for="new-room" class="visually-hidden">"New room name"</label>
                <input
                    id="new-room"
                    placeholder="New room"
                    maxlength="32"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
                <button type="submit" aria-label="Create room" disabled=move || !ctx.connected()>"+"</button>
            </form>
            <Show when=move || staff.get()>
                <label class="read-only-choice">
                    <input type="checkbox" prop:checked=move || read_only.get() on:change=move |ev| read_only.set(event_target_checked(&ev)) />
                    " Announcements (only moderators post)"
                </label>
            </Show>
        </section>
    }
}

#[component]
fn NameForm() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let draft = RwSignal::new(String::new());
    // Follow the server's name for us. Through a memo, so only a change of our
    // name resets the field: every frame updates the chat, and tracking all of it
    // overwrote whatever the user was typing each time someone spoke.
    let my_name = Memo::new(move |_| chat.with(|c| c.me.as_ref().map(|m| m.name.clone())));
    Effect::new(move |_| {
        if let Some(name) = my_name.get() {
            draft.set(name);
        }
    });
    let error = move || chat.with(|c| c.name_error.clone());
    // An account's name is its own: shown, not editable.
    let signed_in = Memo::new(move |_| chat.with(|c| c.me.as_ref().is_some_and(|m| m.signed_in)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = draft.get_untracked().trim().to_owned();
        if !name.is_empty() {
            chat.update(|c| c.name_error = None);
            ctx.connection.send(ClientMessage::SetName { name });
        }
    };
    view! {
        <form class="name-form" on:submit=submit>
            <label for="name-input">
                {move || if signed_in.get() { "Your account" } else { "Your nickname" }}
            </label>
            <div class="row">
                <input
                    id="name-input"
                    readonly=move || signed_in.get()
                    autocomplete="nickname"
                    aria-invalid=move || error().is_some().to_string()
                    aria-describedby="name-error"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
                <Show when=move || !signed_in.get()>
                    <button type="submit" disabled=move || !ctx.connected()>"Set"</button>
                </Show>
            </div>
            <p id="name-error" class="field-error" role="alert">{error}</p>
        </form>
    }
}

pub fn focus_composer() {
    use wasm_bindgen::JsCast;
    if let Some(input) = document().get_element_by_id("composer-input")
        && let Ok(input) = input.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = input.focus();
    }
}

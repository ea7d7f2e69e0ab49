//! Stored private conversations (signed-in users): the list in the sidebar, with
//! unread counts, and the open one in place of the room.

use super::Avatar;
use crate::app::ctx;
use crate::browser;
use leptos::prelude::*;

#[component]
pub fn Conversations(open: RwSignal<bool>) -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let signed_in = Memo::new(move |_| chat.with(|c| c.me.as_ref().is_some_and(|m| m.signed_in)));
    let list = Memo::new(move |_| chat.with(|c| c.conversations.clone()));
    let current = Memo::new(move |_| chat.with(|c| c.conversation.as_ref().map(|o| o.with_id)));
    view! {
        <Show when=move || signed_in.get() && !list.get().is_empty()>
            <section class="conversations" aria-labelledby="conversations-heading">
                <h2 id="conversations-heading">"Private"</h2>
                <ul data-testid="conversations">
                    <For
                        each=move || list.get()
                        key=|c| (c.with_id, c.last.id, c.unread)
                        children=move |c| {
                            let (id, name) = (c.with_id, c.with_name.clone());
                            let pick = {
                                let name = name.clone();
                                move |_| {
                                    let asks = chat.try_update(|chat| chat.open_conversation(id, name.clone()));
                                    for ask in asks.into_iter().flatten() {
                                        ctx.connection.send(ask);
                                    }
                                    open.set(false);
                                    super::sidebar::focus_composer();
                                }
                            };
                            let unread = c.unread;
                            view! {
                                <li>
                                    <button
                                        class="conversation"
                                        class:current=move || current.get() == Some(id)
                                        data-testid="conversation"
                                        on:click=pick
                                    >
                                        <Avatar id=id name=name.clone() />
                                        <span class="conversation-text">
                                            <span class="user-name">{name.clone()}</span>
                                            <span class="snippet">{c.last.content.clone()}</span>
                                        </span>
                                        <Show when=move || { unread > 0 }>
                                            <span class="badge" data-testid="conversation-unread" aria-label="unread">{unread}</span>
                                        </Show>
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
        </Show>
    }
}

/// The open conversation: its header (with a way back to the room) and messages.
#[component]
pub fn ConversationView() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let name =
        Memo::new(move |_| chat.with(|c| c.conversation.as_ref().map(|o| o.with_name.clone())));
    let messages = Memo::new(move |_| {
        chat.with(|c| {
            c.conversation
                .as_ref()
                .map(|o| o.messages.clone())
                .unwrap_or_default()
        })
    });
    let me = Memo::new(move |_| chat.with(|c| c.my_id()));
    let seen = Memo::new(move |_| chat.with(|c| c.seen_at()));
    let room = Memo::new(move |_| chat.with(|c| c.current.clone()));
    view! {
        <div class="room-header">
            <h2 data-testid="conversation-title">
                <span class="hash">"@"</span>{name}
            </h2>
            <span class="members">"Private conversation"</span>
            <button class="leave" on:click=move |_| chat.update(|c| c.close_conversation())>
                {move || format!("Back to #{}", room.get())}
            </button>
        </div>
        <div class="messages-wrap">
            <div class="messages" data-testid="conversation-messages">
                <Show when=move || messages.get().is_empty()>
                    <div class="line system">"No messages yet. Say hello!"</div>
                </Show>
                <For
                    each=move || messages.get()
                    key=|m| m.id
                    children=move |m| {
                        let own = me.get_untracked() == Some(m.from_id);
                        let class = if own { "msg own private" } else { "msg private" };
                        let id = m.id;
                        view! {
                            <article class=class data-testid="private-message">
                                {(!own).then(|| view! { <Avatar id=m.from_id name=m.from_name.clone() /> })}
                                <div class="bubble">
                                    <header>
                                        <span class="sender">{if own { "You".to_string() } else { m.from_name.clone() }}</span>
                                        <time>{browser::clock_time(m.timestamp)}</time>
                                    </header>
                                    <p class="text">{m.content.clone()}</p>
                                    <Show when=move || seen.get() == Some(id)>
                                        <span class="state seen" data-testid="seen">"Seen"</span>
                                    </Show>
                                </div>
                            </article>
                        }
                    }
                />
            </div>
        </div>
    }
}

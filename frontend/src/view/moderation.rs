//! Moderation in the page: badges beside names, a user's menu of the actions the
//! viewer's role allows, the notices a muted or removed user sees, and the audit
//! log for owners and admins. The server checks everything; this only offers.

use crate::app::ctx;
use crate::browser;
use confab_shared::UserId;
use confab_shared::api::Role;
use confab_shared::client::ClientMessage;
use confab_shared::moderation::AuditEntry;
use leptos::prelude::*;

/// A small label beside a moderator's, admin's or owner's name.
#[component]
pub fn RoleBadge(role: Option<Role>) -> impl IntoView {
    role.filter(|r| r.is_staff()).map(|role| {
        view! { <span class=format!("role-badge {role}") data-testid="role-badge">{role.as_str()}</span> }
    })
}

/// Mute choices, as people think of them.
const MUTE_FOR: [(&str, u64); 3] = [("5 min", 300), ("1 hour", 3_600), ("1 day", 86_400)];

/// The actions the viewer may take on one user, with a reason field.
#[component]
pub fn MemberMenu(id: UserId, name: String, badge: Option<Role>) -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let may = Memo::new(move |_| chat.with(|c| c.may_moderate(badge)));
    let grantable = Memo::new(move |_| chat.with(|c| c.grantable(badge)));
    let act = move |request: ClientMessage| {
        if ctx.connection.send(request) {
            open.set(false);
            reason.set(String::new());
        }
    };
    let why = move || reason.get_untracked().trim().to_owned();
    let label = format!("Moderate {name}");
    view! {
        <Show when=move || may.get() || !grantable.get().is_empty()>
            <button
                class="member-menu-toggle"
                aria-label=label.clone()
                aria-expanded=move || open.get().to_string()
                data-testid="member-menu"
                on:click=move |_| open.update(|o| *o = !*o)
            >"⋯"</button>
        </Show>
        <Show when=move || open.get()>
            <div class="member-menu" role="menu" data-testid="member-actions">
                <Show when=move || may.get()>
                    <label class="visually-hidden" for=format!("reason-{id}")>"Reason"</label>
                    <input
                        id=format!("reason-{id}")
                        class="reason"
                        placeholder="Reason (shown to them)"
                        maxlength="200"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    />
                    <div class="actions">
                        <button on:click=move |_| act(ClientMessage::Kick { user_id: id, reason: why() })>"Kick"</button>
                        {MUTE_FOR.map(|(label, seconds)| view! {
                            <button on:click=move |_| act(ClientMessage::Mute { user_id: id, seconds, room: None, reason: why() })>
                                {format!("Mute {label}")}
                            </button>
                        })}
                        <button on:click=move |_| act(ClientMessage::Unmute { user_id: id, room: None })>"Unmute"</button>
                        <button class="danger" on:click=move |_| act(ClientMessage::Ban { user_id: id, seconds: Some(86_400), reason: why() })>"Ban 1 day"</button>
                        <button class="danger" on:click=move |_| act(ClientMessage::Ban { user_id: id, seconds: None, reason: why() })>"Ban"</button>
                    </div>
                </Show>
                <Show when=move || !grantable.get().is_empty()>
                    <div class="actions roles">
                        <span class="hint">"Role:"</span>
                        {move || grantable.get().into_iter().map(|role| view! {
                            <button on:click=move |_| act(ClientMessage::GrantRole { user_id: id, role })>{role.as_str()}</button>
                        }).collect_view()}
                    </div>
                </Show>
            </div>
        </Show>
    }
}

/// What a muted, kicked or banned user is told, above the messages.
#[component]
pub fn ModerationNotices() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let now = RwSignal::new(browser::now_unix());
    // The mute runs out on its own: look again every few seconds.
    let _tick = set_interval_with_handle(
        move || now.set(browser::now_unix()),
        std::time::Duration::from_secs(5),
    );
    let mute = Memo::new(move |_| chat.with(|c| c.muted_here(now.get()).cloned()));
    let removed = Memo::new(move |_| chat.with(|c| c.moderation.removed.clone()));
    let rejoin = move |_| {
        chat.update(|c| c.rejoin());
        ctx.connection.restart();
    };
    view! {
        {move || mute.get().map(|m| {
            let mut text = format!("You are muted until {}", browser::moment(m.until));
            if !m.reason.is_empty() {
                text += &format!(": {}", m.reason);
            }
            view! { <div class="notice muted" role="status" data-testid="muted-notice">{text}</div> }
        })}
        {move || removed.get().map(|r| {
            let title = if r.banned { "You are banned" } else { "You were removed from the chat" };
            let by = (!r.by.is_empty()).then(|| format!("By {}", r.by));
            let until = r.until.map(|u| format!("Until {}", browser::moment(u)));
            view! {
                <div class="notice removed" role="alert" data-testid="removed-notice">
                    <strong>{title}</strong>
                    {by.map(|b| view! { <span>{b}</span> })}
                    {(!r.reason.is_empty()).then(|| view! { <span class="reason">{format!("Reason: {}", r.reason)}</span> })}
                    {until.map(|u| view! { <span>{u}</span> })}
                    <button on:click=rejoin>{if r.banned { "Try again" } else { "Rejoin" }}</button>
                </div>
            }
        })}
    }
}

/// Owners and admins: the audit log, newest first, with older pages on demand.
#[component]
pub fn AuditPanel() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let allowed = Memo::new(move |_| chat.with(|c| c.may_read_audit()));
    let open = RwSignal::new(false);
    let entries = Memo::new(move |_| chat.with(|c| c.moderation.audit.clone()));
    let more = Memo::new(move |_| chat.with(|c| c.moderation.audit_more));
    let load = move |older: bool| {
        if let Some(request) = chat.try_update(|c| c.request_audit(older)) {
            ctx.connection.send(request);
        }
    };
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if open.get_untracked() {
            load(false);
        }
    };
    view! {
        <Show when=move || allowed.get()>
            <section class="audit" aria-labelledby="audit-heading">
                <h2 id="audit-heading">
                    <button class="audit-toggle" aria-expanded=move || open.get().to_string() on:click=toggle data-testid="audit-toggle">
                        "Audit log"
                    </button>
                </h2>
                <Show when=move || open.get()>
                    <ol class="audit-entries" data-testid="audit">
                        {move || entries.get().into_iter().map(|e| view! { <li>{describe(&e)}</li> }).collect_view()}
                    </ol>
                    <Show when=move || more.get()>
                        <button class="more" on:click=move |_| load(true)>"Older"</button>
                    </Show>
                </Show>
            </section>
        </Show>
    }
}

/// One audit entry as a sentence: when, who, what, whom, why.
fn describe(e: &AuditEntry) -> String {
    let mut text = format!(
        "{} {} {}",
        browser::moment(e.at),
        e.by_name,
        e.action.as_str().replace('_', " ")
    );
    if let Some(target) = &e.target_name {
        text += &format!(" {target}");
    }
    if let Some(role) = e.role {
        text += &format!(" → {role}");
    }
    if let Some(room) = &e.room {
        text += &format!(" in #{room}");
    }
    if let Some(until) = e.until {
        text += &format!(" until {}", browser::moment(until));
    }
    if !e.reason.is_empty() {
        text += &format!(": {}", e.reason);
    }
    text
}

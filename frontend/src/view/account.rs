//! Who you are: a guest with a "Sign in" button, or an account with its name and
//! "Sign out". The sign-in form also creates accounts; guest mode is one click away.

use crate::account;
use crate::app::ctx;
use confab_shared::ErrorCode;
use confab_shared::api::{ApiError, Credentials, MIN_PASSWORD_CHARS};
use leptos::prelude::*;

#[component]
pub fn AccountMenu() -> impl IntoView {
    let ctx = ctx();
    let chat = ctx.chat;
    let signed_in = Memo::new(move |_| {
        chat.with(|c| {
            c.me.as_ref()
                .filter(|m| m.signed_in)
                .map(|m| m.name.clone())
        })
    });
    let asked = RwSignal::new(false);
    let required = Memo::new(move |_| chat.with(|c| c.sign_in_required));
    let form_open = move || (asked.get() || required.get()) && signed_in.get().is_none();
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = account::sign_out().await;
            crate::browser::forget_kept();
            chat.update(|c| c.identity_changed());
            ctx.connection.restart();
        });
    };
    view! {
        <div class="account">
            {move || match signed_in.get() {
                Some(name) => view! {
                    <span class="account-name" data-testid="account-name" title="Signed in">{name}</span>
                    <button class="link" data-testid="sign-out" on:click=sign_out>"Sign out"</button>
                }.into_any(),
                None => view! {
                    <button class="link" data-testid="sign-in" on:click=move |_| asked.set(true)>"Sign in"</button>
                }.into_any(),
            }}
        </div>
        <Show when=form_open>
            <SignInForm close=move || asked.set(false) guests=move || !required.get() />
        </Show>
    }
}

#[component]
fn SignInForm(
    close: impl Fn() + Copy + Send + Sync + 'static,
    guests: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = ctx();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |create: bool| {
        let credentials = Credentials {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = if create {
                account::sign_up(&credentials).await
            } else {
                account::sign_in(&credentials).await
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    password.set(String::new());
                    ctx.chat.update(|c| c.identity_changed());
                    ctx.connection.restart();
                    close();
                }
                Err(failure) => error.set(Some(explain(&failure))),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <form
                class="dialog"
                role="dialog"
                aria-labelledby="sign-in-title"
                data-testid="sign-in-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit(false);
                }
            >
                <h2 id="sign-in-title">"Sign in to Confab"</h2>
                <p class="hint">"An account keeps your name, rooms and private messages on every device."</p>
                <label>
                    "Username"
                    <input
                        name="username"
                        autocomplete="username"
                        maxlength="20"
                        required
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Password"
                    <input
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        minlength=MIN_PASSWORD_CHARS.to_string()
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="form-error" role="alert" data-testid="sign-in-error">{move || error.get()}</p>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>"Sign in"</button>
                    <button
                        type="button"
                        data-testid="sign-up"
                        disabled=move || busy.get()
                        on:click=move |_| submit(true)
                    >
                        "Create account"
                    </button>
                    <Show when=guests>
                        <button type="button" class="link" data-testid="as-guest" on:click=move |_| close()>
                            "Continue as guest"
                        </button>
                    </Show>
                </div>
            </form>
        </div>
    }
}

/// What to tell the user, by the error's code.
fn explain(failure: &ApiError) -> String {
    match failure.code {
        ErrorCode::InvalidCredentials => "Wrong username or password.".into(),
        ErrorCode::NameTaken => "That name is taken. Try another.".into(),
        ErrorCode::RateLimited => "Too many attempts. Wait a minute and try again.".into(),
        ErrorCode::InvalidPassword => {
            format!("Passwords need at least {MIN_PASSWORD_CHARS} characters.")
        }
        _ => failure.message.clone(),
    }
}

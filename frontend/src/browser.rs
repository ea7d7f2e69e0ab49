//! The few browser facts the client needs, in one place.

use confab_shared::UnixSeconds;

/// `ws://host/ws` or `wss://host/ws`, for the page's own host (trunk serve proxies
/// it), with `?resume=TOKEN` to keep our session after a drop.
pub fn socket_url(resume: Option<&str>) -> String {
    let location = leptos::prelude::window().location();
    let secure = location.protocol().is_ok_and(|p| p == "https:");
    let host = location.host().unwrap_or_else(|_| "127.0.0.1:8080".into());
    let scheme = if secure { "wss" } else { "ws" };
    // `v` tells the server this client resumes after a drop (see `PROTOCOL_VERSION`).
    let v = confab_shared::PROTOCOL_VERSION;
    match resume {
        Some(token) => format!(
            "{scheme}://{host}/ws?v={v}&resume={}",
            js_sys::encode_uri_component(token)
        ),
        None => format!("{scheme}://{host}/ws?v={v}"),
    }
}

pub fn now_unix() -> UnixSeconds {
    (js_sys::Date::now() / 1000.0) as UnixSeconds
}

/// A fresh id for a message we send, unique enough per user.
pub fn new_txn_id() -> String {
    format!(
        "{:x}-{:08x}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    )
}

/// `HH:MM` in the viewer's local time.
pub fn clock_time(at: UnixSeconds) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64 * 1000.0));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// A moment to come: its time today, or its date and time on another day.
pub fn moment(at: UnixSeconds) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64 * 1000.0));
    let today = js_sys::Date::new_0();
    if date.to_date_string() == today.to_date_string() {
        return clock_time(at);
    }
    let day = format!(
        "{}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    );
    format!("{day} {}", clock_time(at))
}

/// Reconnect delay: exponential from 0.5 s, capped at 30 s, with full jitter so a
/// restarted server is not hit by every client at the same instant.
pub fn backoff_ms(attempt: u32) -> u32 {
    let ceiling = (500u64 << attempt.min(6)).min(30_000) as f64;
    (ceiling * (0.5 + 0.5 * js_sys::Math::random())) as u32
}

/// The browser's own idea of whether there is a network at all.
pub fn online() -> bool {
    leptos::prelude::window().navigator().on_line()
}

pub fn page_hidden() -> bool {
    leptos::prelude::document().hidden()
}

pub fn set_title(title: &str) {
    leptos::prelude::document().set_title(title);
}

const NAME_KEY: &str = "confab.name";

pub fn saved_name() -> Option<String> {
    storage()?.get_item(NAME_KEY).ok().flatten()
}

pub fn save_name(name: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(NAME_KEY, name);
    }
}

/// Where messages waiting to be stored are kept across a closed tab (see
/// `model::outbox`). The page's local storage: the list is small (at most
/// `MAX_OUTBOX` messages) and written whole, synchronously, as it changes, so a
/// tab closed right after sending has already kept it.
const OUTBOX_KEY: &str = "confab.outbox";

pub fn kept_outbox() -> Vec<crate::model::Outgoing> {
    (storage().and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten()))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn keep_outbox(waiting: &[crate::model::Outgoing]) {
    let Some(storage) = storage() else { return };
    let _ = match waiting.is_empty() {
        true => storage.remove_item(OUTBOX_KEY),
        false => match serde_json::to_string(waiting) {
            Ok(json) => storage.set_item(OUTBOX_KEY, &json),
            Err(_) => Ok(()),
        },
    };
}

/// The last messages of each room (see `model::kept`), for a reload without a
/// network.
const HISTORY_KEY: &str = "confab.history";

pub fn kept_history() -> crate::model::Kept {
    (storage().and_then(|s| s.get_item(HISTORY_KEY).ok().flatten()))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn keep_history(kept: &crate::model::Kept) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(kept)) {
        let _ = storage.set_item(HISTORY_KEY, &json);
    }
}

/// Signing out leaves nothing of the chat behind in this browser.
pub fn forget_kept() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(HISTORY_KEY);
        let _ = storage.remove_item(OUTBOX_KEY);
    }
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// A phone-sized window, where panels cover the room (as the stylesheet's
/// breakpoint has it).
pub fn narrow_screen() -> bool {
    leptos::prelude::window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= 720.0)
}

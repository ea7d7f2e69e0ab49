//! Confab's browser client: Leptos, rendered client-side, built by trunk.

mod account;
mod app;
mod browser;
mod connection;
mod model;
mod notify;
mod text;
mod uploads;
mod view;

fn main() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(app::App);
}

/// Panics show in the browser console instead of vanishing.
fn console_error_panic_hook_lite() {
    #[cfg(target_arch = "wasm32")]
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}

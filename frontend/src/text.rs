//! Changing case, through the browser's own Unicode tables.
//!
//! Why not `str::to_lowercase`: it links Rust's case-mapping tables (about
//! 24 KB) into the wasm, and the browser already holds the same mapping
//! (`String.prototype.toLowerCase`, the default Unicode case mapping too).
//! Natively, as in the model's tests, it is the standard library's.

#[cfg(target_arch = "wasm32")]
pub fn lower(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn lower(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(target_arch = "wasm32")]
pub fn upper(text: &str) -> String {
    js_sys::JsString::from(text).to_upper_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn upper(text: &str) -> String {
    text.to_uppercase()
}

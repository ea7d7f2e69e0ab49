//! The web client bundle, embedded in the binary at build time.
//!
//! `trunk build --release` writes the bundle to `frontend/dist`; the release build
//! of `confab` embeds it, so the one binary serves the app from any folder. (Debug
//! builds read the folder at run time instead, which suits development.)

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../frontend/dist"]
#[allow_missing = true]
struct Bundle;

/// Serves `uri`'s file from the bundle; unknown paths get `index.html`, so the
/// client can own its routes.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    match Bundle::get(path).map(|f| (path, f)).or_else(|| Bundle::get("index.html").map(|f| ("index.html", f))) {
        Some((path, file)) => {
            let mut response = file.data.into_owned().into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, content_type(path, file.metadata.mimetype()));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(path)));
            response
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            Html("<h1>Confab</h1><p>The web client was not built into this binary. Build it with <code>cargo xtask run</code>; the WebSocket works regardless.</p>"),
        )
            .into_response(),
    }
}

fn content_type(path: &str, guessed: &str) -> HeaderValue {
    let value = if path.ends_with(".wasm") {
        "application/wasm"
    } else if guessed.starts_with("text/") || guessed.ends_with("javascript") {
        // Browsers need the charset to read non-ASCII text right.
        return HeaderValue::from_str(&format!("{guessed}; charset=utf-8"))
            .unwrap_or(HeaderValue::from_static("text/plain"));
    } else {
        guessed
    };
    HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// Trunk names assets `name-<hash>.ext` (a 64-bit hash in unpadded hex), so their
/// content never changes under one name and they may be cached forever. `index.html` names the current hashes and
/// must be revalidated on every load.
fn cache_control(path: &str) -> &'static str {
    if path == "index.html" || !is_hashed(path) {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    }
}

fn is_hashed(path: &str) -> bool {
    let stem = path.rsplit('/').next().unwrap_or(path);
    let stem = stem.split('.').next().unwrap_or(stem);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (10..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_immutable_and_index_is_not() {
        assert_eq!(cache_control("index.html"), "no-cache");
        assert_eq!(
            cache_control("frontend-3f2a9c1b0d4e5f67_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("frontend-3f2a9c1b0d4e5f67.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("style-0123456789abcdef.css"),
            "public, max-age=31536000, immutable"
        );
        // Unpadded: a hash with a leading zero digit is one character shorter.
        assert_eq!(
            cache_control("frontend-707167521a0d58e_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("favicon.svg"), "no-cache");
        assert_eq!(cache_control("my-page.html"), "no-cache");
    }

    #[test]
    fn wasm_gets_its_mime_type() {
        assert_eq!(
            content_type("a.wasm", "application/octet-stream"),
            "application/wasm"
        );
        assert_eq!(
            content_type("a.js", "text/javascript"),
            "text/javascript; charset=utf-8"
        );
    }
}

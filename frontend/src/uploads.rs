//! Sends images to `POST /api/uploads` and puts them in the composer's tray.
//! The session cookie goes with the request (same origin), so only a signed-in
//! user gets through; the server judges the bytes, whatever the type sent.

use crate::app::Ctx;
use confab_shared::api::ApiError;
use confab_shared::attachments::{Attachment, UPLOAD_ENDPOINT};
use gloo_net::http::Request;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// Takes files picked, pasted or dropped: each is uploaded, and shown in the
/// tray as it goes.
pub fn take_files(ctx: Ctx, files: web_sys::FileList) {
    let signed_in = (ctx.chat).with_untracked(|c| c.me.as_ref().is_some_and(|m| m.signed_in));
    for file in (0..files.length()).filter_map(|i| files.get(i)) {
        if !signed_in {
            ctx.tray
                .update(|t| t.refuse(&file.name(), "Sign in to share images"));
            continue;
        }
        let Some(key) = ctx
            .tray
            .try_update(|t| t.add(&file.name(), &file.type_()))
            .flatten()
        else {
            continue;
        };
        leptos::task::spawn_local(async move {
            let outcome = upload(file).await;
            ctx.tray.update(|t| t.finished(key, outcome));
        });
    }
}

async fn upload(file: web_sys::File) -> Result<Attachment, String> {
    let request = Request::post(UPLOAD_ENDPOINT)
        .header("Content-Type", &file.type_())
        .body(JsValue::from(file))
        .map_err(|_| "Cannot read the file".to_string())?;
    let response =
        (request.send().await).map_err(|_| "Upload failed: no connection".to_string())?;
    if response.status() == 201 {
        return (response.json::<Attachment>().await)
            .map_err(|_| "Upload failed: unexpected answer".to_string());
    }
    let status = response.status();
    Err(match response.json::<ApiError>().await {
        Ok(error) => error.message,
        Err(_) => format!("Upload failed ({status})"),
    })
}

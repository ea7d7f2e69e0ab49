//! `GET /uploads/<id>.<ext>`: an upload's bytes, with headers that keep a
//! browser from taking them for anything but the image the store says it is.

use super::Context;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use confab_shared::attachments::{ImageType, UPLOADS_PATH, parse_upload_url};
use std::sync::Arc;
use tokio_util::io::ReaderStream;

/// Nothing in an upload may run, load or be framed: were a file ever opened as
/// a document, it could do nothing (`sandbox`, no sources at all).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

pub async fn file(State(up): State<Arc<Context>>, Path(file): Path<String>) -> Response {
    let url = format!("{UPLOADS_PATH}{file}");
    let Some((id, kind)) = parse_upload_url(&url) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let upload = match up.store.upload(id).await {
        Ok(Some(upload)) if upload.kind == kind => upload,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, source = %error.source, "cannot look up an upload");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let opened = match up.files.open_file(id, kind).await {
        Ok(opened) => opened,
        Err(error) => {
            tracing::warn!(%error, id, "an upload's file is missing");
            return StatusCode::NOT_FOUND.into_response();
        }
    };
    let mut response = Body::from_stream(ReaderStream::new(opened)).into_response();
    let headers = response.headers_mut();
    let mut set = |name, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, kind.mime().to_owned());
    set(header::CONTENT_LENGTH, upload.bytes.to_string());
    set(header::CONTENT_DISPOSITION, disposition(kind, &file));
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned());
    set(
        header::CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY.to_owned(),
    );
    // Other sites may not embed them: the chat's images are for the chat.
    set(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin".to_owned(),
    );
    // An id names its bytes for good: they never change.
    set(
        header::CACHE_CONTROL,
        "public, max-age=31536000, immutable".to_owned(),
    );
    response
}

/// Shown in the page when it is an image; anything else would be downloaded,
/// never displayed. Only images are taken today, so every type shows inline;
/// the match keeps that choice explicit for the next type added.
fn disposition(kind: ImageType, file: &str) -> String {
    let how = match kind {
        ImageType::Png | ImageType::Jpeg | ImageType::Gif | ImageType::Webp => "inline",
    };
    format!("{how}; filename=\"{file}\"")
}

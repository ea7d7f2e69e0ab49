//! `POST /api/uploads`: the image's bytes as the body → 201 `{url, width, height}`.

use super::Context;
use super::sniff::{self, Refused};
use crate::api::{Failure, check_origin, session_token};
use crate::chat::now_unix;
use crate::chat::ports::StoredUpload;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use confab_shared::ErrorCode;
use confab_shared::attachments::Attachment;
use futures_util::StreamExt;
use governor::clock::{Clock, DefaultClock};
use std::sync::Arc;
use std::time::Duration;

const DAY_SECS: i64 = 86_400;

pub async fn upload(
    State(up): State<Arc<Context>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    check_origin(&headers, &up.origins)?;
    let token = session_token(&headers).ok_or_else(sign_in_first)?;
    let account = (up.auth.account(&token).await)
        .map_err(|e| Failure::storage(&e))?
        .ok_or_else(sign_in_first)?;
    let user = account.user_id;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > up.max_bytes) {
        return Err(too_large(up.max_bytes));
    }
    let now = DefaultClock::default().now();
    // Accounts whose bucket is full again need no entry: memory stays bounded.
    if up.per_account.len() > super::MAX_TRACKED {
        up.per_account.retain_recent();
    }
    (up.per_account.check_key(&user))
        .map_err(|wait| Failure::rate_limited(wait.wait_time_from(now)))?;
    let since = now_unix() - DAY_SECS;
    let used =
        (up.store.uploaded_bytes_since(user, since).await).map_err(|e| Failure::storage(&e))?;
    if used >= up.quota_per_day {
        return Err(quota_used());
    }
    let bytes = {
        let _permit = tokio::time::timeout(Duration::from_secs(10), up.receiving.acquire())
            .await
            .map_err(|_| busy())?
            .expect("never closed");
        tokio::time::timeout(super::RECEIVE_TIME, read_body(body, up.max_bytes))
            .await
            .map_err(|_| too_slow())??
    };
    if used + bytes.len() as u64 > up.quota_per_day {
        return Err(quota_used());
    }
    let image = sniff::inspect(&bytes).map_err(refused)?;
    let upload = StoredUpload {
        id: uuid::Uuid::new_v4().simple().to_string(),
        owner: user,
        kind: image.kind,
        bytes: bytes.len() as u64,
        width: image.width,
        height: image.height,
        created_at: now_unix(),
    };
    if let Err(error) = up.files.save(&upload.id, upload.kind, &bytes).await {
        tracing::error!(%error, "cannot write an upload to disk");
        return Err(Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::StorageError,
            "Storage unavailable; try again",
        ));
    }
    if let Err(error) = up.store.save_upload(&upload).await {
        up.files.remove(&upload.id, upload.kind).await;
        return Err(Failure::storage(&error));
    }
    tracing::info!(
        user_id = user,
        bytes = upload.bytes,
        kind = upload.kind.mime(),
        "image uploaded"
    );
    metrics::counter!("confab_uploads_total").increment(1);
    metrics::counter!("confab_upload_bytes_total").increment(upload.bytes);
    let attachment: Attachment = upload.attachment();
    Ok((StatusCode::CREATED, Json(attachment)).into_response())
}

/// The body, or 413 as soon as it passes `max` bytes (whatever it declared).
async fn read_body(body: Body, max: u64) -> Result<Vec<u8>, Failure> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidBody,
                "The upload broke off",
            )
        })?;
        if (bytes.len() + chunk.len()) as u64 > max {
            return Err(too_large(max));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn sign_in_first() -> Failure {
    Failure::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::SignInRequired,
        "Sign in to share images",
    )
}

fn too_large(max: u64) -> Failure {
    let text = format!("An upload is at most {} KB", max / 1024);
    Failure::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge, text)
}

fn quota_used() -> Failure {
    let mut failure = Failure::rate_limited(Duration::from_secs(3600));
    failure.set_message("Your uploads for today are used up; try again tomorrow");
    failure
}

fn busy() -> Failure {
    Failure::new(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::ServerBusy,
        "Too many uploads at once; try again",
    )
}

fn too_slow() -> Failure {
    Failure::new(
        StatusCode::REQUEST_TIMEOUT,
        ErrorCode::InvalidBody,
        "The upload took too long",
    )
}

fn refused(why: Refused) -> Failure {
    let (status, code) = match why {
        Refused::TooManyPixels { .. } => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
        Refused::NotAnImage | Refused::Damaged => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedType,
        ),
    };
    Failure::new(status, code, why.to_string())
}

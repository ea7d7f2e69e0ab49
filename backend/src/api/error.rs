//! Every error the API answers: a status and an `ApiError` body.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use confab_shared::ErrorCode;
use confab_shared::api::ApiError;
use std::time::Duration;

pub struct Failure {
    status: StatusCode,
    body: ApiError,
    retry_after: Option<Duration>,
}

impl Failure {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError {
                code,
                message: message.into(),
            },
            retry_after: None,
        }
    }

    /// 429 with `Retry-After` in whole seconds, rounded up.
    pub fn rate_limited(wait: Duration) -> Self {
        let mut failure = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            "Too many attempts; try again later",
        );
        failure.retry_after = Some(wait);
        failure
    }

    /// The same failure, told in other words.
    pub fn set_message(&mut self, message: impl Into<String>) {
        self.body.message = message.into();
    }

    pub fn storage(error: &crate::chat::ports::StoreError) -> Self {
        tracing::error!(%error, source = %error.source, "account storage failed");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::StorageError,
            "Storage unavailable; try again",
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::SignInRequired,
            "Not signed in",
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}

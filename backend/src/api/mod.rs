//! The HTTP API for accounts and sessions (`/api/...`): JSON in, JSON out, every
//! error an `ApiError` with a `code`. The rules live in `chat::auth`; this layer
//! is HTTP: bodies, cookies, `Origin`, rate limits and status codes.

mod error;
mod handlers;
mod rate;
mod token;

pub(crate) use error::Failure;
pub use rate::SignInLimits;
pub use token::{bearer_token, cookie_token, session_token};

use crate::chat::auth::Auth;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::post;
use confab_shared::api::MAX_BODY_BYTES;
use std::sync::Arc;

/// What the API is given.
pub struct Context {
    pub auth: Arc<Auth>,
    /// Origins allowed to call endpoints with a side effect (as for the socket).
    pub origins: Vec<String>,
    pub limits: SignInLimits,
    /// Mark the session cookie `Secure`: the server is reached over HTTPS.
    pub secure_cookie: bool,
}

/// `/api/accounts` and `/api/session`.
pub fn router(context: Arc<Context>) -> Router {
    Router::new()
        .route("/api/accounts", post(handlers::sign_up))
        .route(
            "/api/session",
            post(handlers::sign_in)
                .get(handlers::whoami)
                .delete(handlers::sign_out),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(no_store))
        .with_state(context)
}

/// Answers carry tokens and who is signed in: no cache may keep them.
async fn no_store(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Endpoints with a side effect take no request from another site's page.
pub(crate) fn check_origin(
    headers: &axum::http::HeaderMap,
    origins: &[String],
) -> Result<(), Failure> {
    if crate::ws::origin_allowed(headers, origins) {
        return Ok(());
    }
    let origin = headers.get(axum::http::header::ORIGIN);
    tracing::warn!(?origin, "refused API call from foreign origin");
    Err(Failure::new(
        axum::http::StatusCode::FORBIDDEN,
        confab_shared::ErrorCode::ForbiddenOrigin,
        "Origin not allowed",
    ))
}

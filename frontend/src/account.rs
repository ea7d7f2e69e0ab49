//! The accounts API (`/api/...`), as the sign-in form uses it. The session itself
//! travels in an HttpOnly cookie the page never sees; the socket carries it too.

use confab_shared::ErrorCode;
use confab_shared::api::{ApiError, Credentials};
use gloo_net::http::{Request, Response};

/// Signs in; on success the browser holds the session cookie.
pub async fn sign_in(credentials: &Credentials) -> Result<(), ApiError> {
    post("/api/session", credentials).await
}

/// Creates an account, then signs in to it.
pub async fn sign_up(credentials: &Credentials) -> Result<(), ApiError> {
    post("/api/accounts", credentials).await?;
    sign_in(credentials).await
}

async fn post(url: &str, credentials: &Credentials) -> Result<(), ApiError> {
    let response = Request::post(url)
        .json(credentials)
        .map_err(|_| unreachable_server())?
        .send()
        .await
        .map_err(|_| unreachable_server())?;
    answer(response).await
}

/// Ends the session on the server, which also clears the cookie.
pub async fn sign_out() -> Result<(), ApiError> {
    let response = Request::delete("/api/session")
        .send()
        .await
        .map_err(|_| unreachable_server())?;
    answer(response).await
}

async fn answer(response: Response) -> Result<(), ApiError> {
    if response.ok() {
        return Ok(());
    }
    Err(response
        .json::<ApiError>()
        .await
        .unwrap_or_else(|_| ApiError {
            code: ErrorCode::Unknown,
            message: format!("The server answered {}", response.status()),
        }))
}

fn unreachable_server() -> ApiError {
    ApiError {
        code: ErrorCode::Unknown,
        message: "Cannot reach the server".into(),
    }
}

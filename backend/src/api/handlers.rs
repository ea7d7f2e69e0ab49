//! The handlers of `/api/accounts` and `/api/session`.

use super::error::Failure;
use super::token::{session_cookie, session_token};
use super::{Context, check_origin};
use crate::chat::auth::{SESSION_LIFETIME, SignInError, SignUpError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use confab_shared::api::{AccountCreated, Credentials, SessionInfo};
use confab_shared::{ErrorCode, names};
use std::net::SocketAddr;
use std::sync::Arc;

type Answer = Result<Response, Failure>;

/// `POST /api/accounts`: 201, 400 (bad name, short password), 409 (taken).
pub async fn sign_up(
    State(api): State<Arc<Context>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let credentials = attempt(&api, &headers, peer, body, Limit::Address)?;
    if let Some(notice) = api.auth.address_ban(peer.ip()) {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Banned,
            notice,
        ));
    }
    let account = api.auth.sign_up(credentials).await.map_err(|e| match e {
        SignUpError::Taken => {
            Failure::new(StatusCode::CONFLICT, ErrorCode::NameTaken, e.to_string())
        }
        SignUpError::InvalidName(_) => Failure::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidName,
            e.to_string(),
        ),
        SignUpError::PasswordTooShort | SignUpError::PasswordTooLong => Failure::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidPassword,
            e.to_string(),
        ),
        SignUpError::Store(error) => Failure::storage(&error),
    })?;
    let created = AccountCreated {
        user_id: account.user_id,
        username: account.username,
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `POST /api/session`: 200 with the token, and the cookie; 401 otherwise.
pub async fn sign_in(
    State(api): State<Arc<Context>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let credentials = attempt(&api, &headers, peer, body, Limit::AddressAndAccount)?;
    let signed_in = api.auth.sign_in(credentials).await.map_err(|e| match e {
        SignInError::InvalidCredentials => Failure::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            e.to_string(),
        ),
        SignInError::Banned(_) => {
            Failure::new(StatusCode::FORBIDDEN, ErrorCode::Banned, e.to_string())
        }
        SignInError::Store(error) => Failure::storage(&error),
    })?;
    let lifetime = SESSION_LIFETIME.as_secs() as i64;
    let cookie = session_cookie(&signed_in.token, lifetime, api.secure_cookie);
    let info = SessionInfo {
        user_id: signed_in.account.user_id,
        username: signed_in.account.username,
        role: signed_in.account.role,
        token: Some(signed_in.token),
    };
    let mut response = Json(info).into_response();
    set_cookie(&mut response, &cookie);
    Ok(response)
}

/// `GET /api/session`: who this is, or 401.
pub async fn whoami(State(api): State<Arc<Context>>, headers: HeaderMap) -> Answer {
    let token = session_token(&headers).ok_or_else(Failure::unauthorized)?;
    let account = api
        .auth
        .account(&token)
        .await
        .map_err(|e| Failure::storage(&e))?
        .ok_or_else(Failure::unauthorized)?;
    let info = SessionInfo {
        user_id: account.user_id,
        username: account.username,
        role: account.role,
        token: None,
    };
    Ok(Json(info).into_response())
}

/// `DELETE /api/session`: revokes the session and clears the cookie; 204.
pub async fn sign_out(State(api): State<Arc<Context>>, headers: HeaderMap) -> Answer {
    check_origin(&headers, &api.origins)?;
    if let Some(token) = session_token(&headers) {
        api.auth
            .sign_out(&token)
            .await
            .map_err(|e| Failure::storage(&e))?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut response, &session_cookie("", 0, api.secure_cookie));
    Ok(response)
}

/// Which sign-in limits an attempt counts against.
enum Limit {
    Address,
    AddressAndAccount,
}

/// What signing up and signing in check first: the origin, the body, and the
/// attempt limits. The credentials, if all pass.
fn attempt(
    api: &Context,
    headers: &HeaderMap,
    peer: SocketAddr,
    body: Result<Bytes, BytesRejection>,
    limit: Limit,
) -> Result<Credentials, Failure> {
    check_origin(headers, &api.origins)?;
    let credentials = credentials(body)?;
    let key = match limit {
        Limit::Address => None,
        Limit::AddressAndAccount => Some(names::key(credentials.username.trim())),
    };
    api.limits
        .check(peer.ip(), key.as_deref())
        .map_err(Failure::rate_limited)?;
    Ok(credentials)
}

fn credentials(body: Result<Bytes, BytesRejection>) -> Result<Credentials, Failure> {
    let body = body.map_err(|rejection| {
        Failure::new(
            rejection.status(),
            ErrorCode::InvalidBody,
            rejection.body_text(),
        )
    })?;
    serde_json::from_slice(&body).map_err(|_| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidBody,
            r#"Expected {"username": "...", "password": "..."}"#,
        )
    })
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
}

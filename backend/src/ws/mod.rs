//! The WebSocket layer: upgrade checks, then one task per connection that reads the
//! client's frames into the hub and writes the hub's frames out.

mod conn;
mod connection;
pub mod context;
pub use inbound::End;
mod frames;
mod handshake;
mod heartbeat;
mod inbound;
mod origin;

use crate::chat::Arrival;
use crate::chat::account::Account;
use crate::listener::SocketPermit;
use axum::extract::{FromRequestParts, Query, Request};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use confab_shared::ErrorCode;
use confab_shared::server::ServerMessage;
use futures_util::{SinkExt, StreamExt};
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};

pub use conn::WsConn;
pub use context::{Context, Limits};
pub use handshake::{Handshake, check as check_upgrade};
pub use inbound::classify;
pub use origin::origin_allowed;

/// tungstenite reads into a buffer of this size per socket. Its default, 128 KiB,
/// costs about 1.3 GB per 10k idle sockets; chat frames are small.
const READ_BUFFER_BYTES: usize = 1024;
/// tungstenite writes only control frames (Confab writes text frames itself, see
/// [`frames`]): each goes out at once, and its buffer never holds more than a few.
const CONTROL_WRITE_BUFFER_BYTES: usize = 4 * 1024;

/// Close codes Confab sends (RFC 6455 §7.4.1).
pub mod close_code {
    pub const NORMAL: u16 = 1000;
    pub const GOING_AWAY: u16 = 1001;
    pub const PROTOCOL_ERROR: u16 = 1002;
    pub const INVALID_UTF8: u16 = 1007;
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    /// The server is restarting or draining: resume, here later or on another node.
    pub const SERVICE_RESTART: u16 = 1012;
    pub const TRY_AGAIN_LATER: u16 = 1013;
    /// A moderator removed this user (kicked or banned): do not reconnect by yourself.
    pub const REMOVED: u16 = confab_shared::CLOSE_REMOVED;
}

/// How tungstenite reads and writes a client's socket: small buffers, and no
/// frame or message over `max_frame_bytes`.
pub fn socket_config(max_frame_bytes: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_write_buffer_size(CONTROL_WRITE_BUFFER_BYTES)
        .max_message_size(Some(max_frame_bytes))
        .max_frame_size(Some(max_frame_bytes))
}

/// `GET /` and `GET /ws` with an upgrade: checks the request, Origin and
/// capacity, then hands the socket to its own task.
pub async fn upgrade(app: Arc<Context>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    // A malformed query (two `resume`s, say) is a 400 on every path.
    let params = match Query::<Params>::from_request_parts(&mut parts, &app).await {
        Ok(Query(params)) => params,
        Err(rejection) => return rejection.into_response(),
    };
    let handshake = match Handshake::from_request_parts(&mut parts, &app).await {
        Ok(handshake) => handshake,
        Err(refusal) => return refusal.into_response(),
    };
    let headers = &parts.headers;
    if !origin_allowed(headers, &app.origins) {
        tracing::warn!(origin = ?headers.get("origin"), "refused WebSocket upgrade from foreign origin");
        return (StatusCode::FORBIDDEN, "Origin not allowed").into_response();
    }
    if app.hub.with(|hub| hub.is_closing()) {
        // Draining: this node takes no new chats; the client retries, and a load
        // balancer (seeing `/readyz` fail) sends it to another node.
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(axum::http::header::RETRY_AFTER, "1")],
            "Server restarting",
        )
            .into_response();
    }
    let config = socket_config(app.limits.max_frame_bytes);
    let (account, session_hash) = match account_of(&app, headers).await {
        Ok(Some((account, hash))) => (Some(account), Some(hash)),
        Ok(None) => (None, None),
        Err(refusal) => return refusal,
    };
    let permit = app.connections.clone().try_acquire_owned().ok();
    let socket_permit = parts.extensions.get::<SocketPermit>().cloned();
    let peer =
        crate::listener::peer_of(&parts).map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), |a| a.ip());
    let tasks = app.tasks.clone();
    let account_id = account.as_ref().map(|a| a.user_id);
    let ban = app.hub.with(|hub| hub.ban_notice(account_id, peer));
    let refusal = match (&permit, &account, ban) {
        (_, _, Some((notice, until))) => Some(Refusal::Banned { notice, until }),
        (_, None, _) if !app.guests => Some(Refusal::SignIn),
        (None, _, _) => Some(Refusal::Full),
        (Some(_), _, _) => None,
    };
    // Boxed: the connection's task lives as long as the connection, and whatever
    // it captures stays in its state all that time, so it captures one pointer.
    let arrival = Box::new(Arrival {
        session_hash,
        resumable: params.resume.is_some() || params.v.is_some(),
        resume: params.resume,
        peer,
        earlier: None,
        account,
    });
    handshake.accept(config, move |socket| {
        let connection = async move {
            match (permit, refusal) {
                (Some(permit), None) => {
                    let permits = (permit, socket_permit);
                    connection::run(app, socket, permits, arrival).await
                }
                (_, why) => refuse(socket, why.unwrap_or(Refusal::Full), peer).await,
            }
        };
        tasks.track_future(connection)
    })
}

/// The account an upgrade signs in as (its bearer token's, or its cookie's), and
/// the hash of that token, so signing out can end the connection.
///
/// A program that presents a bearer token expects to be that account, so a stale
/// one is a 401 to sign in again. A browser's stale cookie makes a guest, as after
/// signing out: its page can neither read the cookie nor see why an upgrade failed.
async fn account_of(
    app: &Context,
    headers: &HeaderMap,
) -> Result<Option<(Account, String)>, Response> {
    let bearer = crate::api::bearer_token(headers);
    let presented = bearer.is_some();
    let Some(token) = bearer.or_else(|| crate::api::cookie_token(headers)) else {
        return Ok(None);
    };
    match app.auth.account(&token).await {
        Ok(None) if presented => {
            Err((StatusCode::UNAUTHORIZED, "Session expired or signed out").into_response())
        }
        Ok(account) => Ok(account.map(|a| (a, crate::chat::credentials::token_hash(&token)))),
        Err(error) => {
            tracing::error!(%error, source = %error.source, "could not look up a session");
            Err((StatusCode::SERVICE_UNAVAILABLE, "Try again later").into_response())
        }
    }
}

/// Query parameters of the upgrade request.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    /// `resume_token` from an earlier `welcome`.
    pub resume: Option<String>,
    /// The protocol version the client speaks. Any value shows a client that can
    /// resume: its user is kept through a dropped connection. The tutorial's
    /// client sends none, and its user leaves as soon as the connection drops.
    pub v: Option<u32>,
}

/// Why a connection is turned away once upgraded: a browser sees nothing of a
/// refused upgrade, so the reason comes as an `error` frame and a close code.
#[derive(Debug, Clone)]
enum Refusal {
    /// Past `--max-connections`: 1013, try again later.
    Full,
    /// `--guests off` and no session: 1008.
    SignIn,
    /// The account, or a guest's address, is banned: 4003.
    Banned { notice: String, until: Option<i64> },
}

/// Tells a newcomer why it is turned away, then closes.
async fn refuse(mut socket: handshake::Socket, why: Refusal, peer: IpAddr) {
    let (code, text, close, until) = match &why {
        Refusal::Full => (
            ErrorCode::ServerFull,
            "Server is full",
            close_code::TRY_AGAIN_LATER,
            None,
        ),
        Refusal::SignIn => (
            ErrorCode::SignInRequired,
            "Sign in to chat",
            close_code::POLICY,
            None,
        ),
        Refusal::Banned { notice, until } => (
            ErrorCode::Banned,
            notice.as_str(),
            close_code::REMOVED,
            *until,
        ),
    };
    tracing::warn!(reason = ?code, %peer, "connection refused");
    let now = crate::chat::now_unix();
    let mut error = ServerMessage::error(code, text, now);
    if let ServerMessage::Error { content, .. } = &mut error {
        content.until = until;
    }
    let error = error.encode();
    let close = CloseFrame {
        code: close.into(),
        // A close reason is at most 123 bytes; the error frame has the whole text.
        reason: if code == ErrorCode::Banned {
            "Banned"
        } else {
            text
        }
        .into(),
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        socket.send(Message::text(error)).await?;
        socket.send(Message::Close(Some(close))).await?;
        // Wait for the client's close reply so the close is clean on both sides.
        while let Some(Ok(_)) = socket.next().await {}
        Ok::<_, tokio_tungstenite::tungstenite::Error>(())
    })
    .await;
}

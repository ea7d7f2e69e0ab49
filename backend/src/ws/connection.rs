//! One connection's life: join the hub, then one task that reads the client's
//! frames and writes the hub's, then leave and close.
//!
//! One task, not a reader and a writer: an idle connection is then one small
//! future. While a batch is being written the client's frames wait in the kernel,
//! which is the backpressure a chat client should get; writes are bounded by
//! `write_timeout`.

use super::close_code;
use super::frames::{self, MAX_BATCH};
use super::handshake::Socket;
use super::heartbeat::{Due, Heartbeat};
use super::inbound::{End, Inbound};
use crate::chat::tokens::{self, TOKEN_LIFETIME};
use crate::chat::{
    Arrival, Departure, EarlierSession, Eviction, Inbox, Received, SessionId, TXNS_REMEMBERED,
    outbox,
};
use crate::listener::SocketPermit;
use crate::server::AppState;
use futures_util::{SinkExt, StreamExt};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

/// Runs a connection until the client leaves, misbehaves, is evicted, or the
/// server shuts down; then leaves the hub and closes with a code that says why.
/// The permits hold this connection's place under the connection and socket caps;
/// `resume` is the token from `?resume=`, if any.
pub async fn run(
    app: Arc<AppState>,
    mut socket: Socket,
    _permits: (OwnedSemaphorePermit, Option<SocketPermit>),
    resume: Option<String>,
    peer: IpAddr,
) {
    let (outbox, inbox) = outbox::bounded(app.config.send_queue, app.config.send_queue_bytes);
    let earlier = match &resume {
        Some(token) => earlier_session(&app, token).await,
        None => None,
    };
    let arrival = Arrival {
        resume,
        peer,
        earlier,
    };
    let session = app.hub.with(|hub| hub.connect(outbox, arrival));
    tracing::info!(user_id = session.user, "connected");
    let end = serve(&app, session, &mut socket, &inbox).await;
    let write_timeout = app.config.write_timeout();
    if closes_after_acks(end) {
        // The client broke a rule, but what it sent before that and was stored
        // must still be acknowledged: stay until the hub lets go, then close.
        app.hub.with(|hub| hub.close_after_acks(session));
        if !drain(&mut socket, &inbox, write_timeout).await {
            return app.hub.with(|hub| hub.disconnect(session, Departure::Left));
        }
    }
    // Leaving the hub closes the queue; what it holds is still written before the
    // close frame, which must come last.
    app.hub.with(|hub| hub.disconnect(session, departure(end)));
    tracing::info!(user_id = session.user, reason = ?end, "disconnected");
    finish(&mut socket, &inbox, end, write_timeout).await;
}

/// What the store knows of the session a token names, when the token is valid:
/// its recent transactions, so that a resend after the grace period or a restart is
/// recognised. A live session needs none of this, but a look-up costs one indexed
/// query on a reconnect, and deciding without the hub's lock would race.
async fn earlier_session(app: &AppState, token: &str) -> Option<EarlierSession> {
    let claim = app.signer.verify(token, tokens::now_ms())?;
    let since = crate::chat::now_unix() - TOKEN_LIFETIME.as_secs() as i64;
    let found = app
        .store
        .session_txns(claim.session, since, TXNS_REMEMBERED as u32)
        .await;
    match found {
        Ok(txns) => Some(EarlierSession { claim, txns }),
        Err(error) => {
            tracing::error!(?error, "could not load a session's transactions");
            None
        }
    }
}

/// Ends for which the server closes the connection for cause while the socket
/// can still carry frames.
fn closes_after_acks(end: End) -> bool {
    match end {
        End::RateAbuse | End::TooBig | End::InvalidUtf8 | End::Protocol => true,
        End::ClientClosed
        | End::ClientWillResume
        | End::Io
        | End::HeartbeatTimeout
        | End::TooSlow
        | End::Shutdown
        | End::WriteFailed
        | End::Replaced
        | End::Removed => false,
    }
}

/// Writes everything the hub queues until it closes the queue; false if that did
/// not happen within `limit`, or the socket failed.
async fn drain(socket: &mut Socket, inbox: &Inbox, limit: Duration) -> bool {
    let written = timeout(limit, async {
        loop {
            match inbox.recv(MAX_BATCH).await {
                Received::Frames(mut batch) => {
                    frames::write(socket, batch.make_contiguous(), true).await?;
                }
                Received::Closed(_) => return Ok::<_, std::io::Error>(()),
            }
        }
    })
    .await;
    matches!(written, Ok(Ok(())))
}

/// What woke the connection.
enum Event {
    Outgoing(Received),
    Incoming(Option<Result<Message, tokio_tungstenite::tungstenite::Error>>),
    Heartbeat(Due),
}

async fn serve(app: &AppState, session: SessionId, socket: &mut Socket, inbox: &Inbox) -> End {
    let config = &app.config;
    let inbound = Inbound::new(app, session);
    let mut heartbeat = Heartbeat::new(config.ping_interval(), config.pong_timeout());
    let write_timeout = config.write_timeout();
    // Whether tungstenite may have a pong or close reply waiting to be written.
    let mut control_pending = false;
    loop {
        // Every branch is cancel-safe: whatever loses the race is still there next
        // time. Shutdown arrives through the inbox, so nothing here is shared.
        let event = tokio::select! {
            received = inbox.recv(MAX_BATCH) => Event::Outgoing(received),
            read = socket.next() => Event::Incoming(read),
            due = heartbeat.due() => Event::Heartbeat(due),
        };
        match event {
            Event::Outgoing(Received::Frames(mut batch)) => {
                let write = frames::write(socket, batch.make_contiguous(), control_pending);
                if !matches!(timeout(write_timeout, write).await, Ok(Ok(()))) {
                    return End::WriteFailed;
                }
                control_pending = false;
            }
            Event::Outgoing(Received::Closed(why)) => {
                return match why {
                    Some(Eviction::QueueFull) => End::TooSlow,
                    Some(Eviction::Replaced) => End::Replaced,
                    Some(Eviction::Shutdown) => End::Shutdown,
                    None => End::Removed,
                };
            }
            Event::Incoming(read) => {
                heartbeat.heard();
                control_pending = true;
                if let Some(end) = inbound.handle(read).await {
                    return end;
                }
            }
            Event::Heartbeat(Due::Dead) => return End::HeartbeatTimeout,
            Event::Heartbeat(Due::Ping) => {
                let ping = socket.send(Message::Ping(Default::default()));
                if !matches!(timeout(write_timeout, ping).await, Ok(Ok(()))) {
                    return End::WriteFailed;
                }
            }
        }
    }
}

/// Ends the WebSocket the way `end` calls for.
async fn finish(socket: &mut Socket, inbox: &Inbox, end: End, write_timeout: Duration) {
    match end {
        // A broken socket takes no more writes.
        End::Io | End::WriteFailed => {}
        // The client closed: tungstenite has queued the close reply (echoing its
        // code, or 1002 for a code no endpoint may send). Flush it, and nothing
        // may follow it. (`close` would refuse: the close is already under way.)
        End::ClientClosed | End::ClientWillResume => {
            let _ = timeout(write_timeout, socket.flush()).await;
        }
        _ => {
            let frame = close_frame(end);
            let _ = timeout(write_timeout, async {
                while let Some(Received::Frames(mut batch)) = inbox.try_recv(MAX_BATCH) {
                    frames::write(socket, batch.make_contiguous(), true).await?;
                }
                socket
                    .close(Some(frame))
                    .await
                    .map_err(std::io::Error::other)
            })
            .await;
        }
    }
}

/// A network failure may be resumed; a close, or removal for cause, may not.
fn departure(end: End) -> Departure {
    match end {
        End::Io | End::HeartbeatTimeout | End::WriteFailed | End::ClientWillResume => {
            Departure::Dropped
        }
        _ => Departure::Left,
    }
}

/// The close frame for a connection the server ends.
fn close_frame(end: End) -> CloseFrame {
    let (code, reason) = match end {
        End::Shutdown => (close_code::GOING_AWAY, "Server shutting down"),
        End::Replaced => (close_code::NORMAL, "Session resumed on another connection"),
        End::Removed => (close_code::NORMAL, "Removed from the chat"),
        End::HeartbeatTimeout => (close_code::GOING_AWAY, "Heartbeat timeout"),
        End::TooSlow => (close_code::POLICY, "Too slow: send queue full"),
        End::RateAbuse => (close_code::POLICY, "Rate limit repeatedly exceeded"),
        End::TooBig => (close_code::TOO_BIG, "Message too big"),
        End::InvalidUtf8 => (close_code::INVALID_UTF8, "Invalid UTF-8"),
        End::Protocol => (close_code::PROTOCOL_ERROR, "Protocol error"),
        End::ClientClosed | End::ClientWillResume | End::Io | End::WriteFailed => {
            (close_code::NORMAL, "")
        }
    };
    CloseFrame {
        code: code.into(),
        reason: reason.into(),
    }
}

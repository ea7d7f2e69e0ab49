//! The reading half of a connection: rate limits, heartbeat, and frames into the hub.

use crate::chat::SessionId;
use crate::server::AppState;
use axum::extract::ws::{Message, WebSocket};
use futures_util::StreamExt;
use futures_util::stream::SplitStream;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use tokio::sync::Notify;
use tokio::time::{Instant, sleep};

/// Why the reader stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    ClientClosed,
    /// Closed by a client that means to resume (close code 4000).
    ClientWillResume,
    Io,
    HeartbeatTimeout,
    RateAbuse,
    TooBig,
    InvalidUtf8,
    Protocol,
    TooSlow,
    Shutdown,
    WriteFailed,
    Replaced,
}

const RATE_LIMITED: &str = "Rate limit exceeded: slow down";
const BINARY_REFUSED: &str = "Binary frames are not supported; send JSON text";

/// Reads until the connection should end, and says why.
///
/// Heartbeat: after `ping_interval` of silence the server pings; if nothing at all
/// arrives within `pong_timeout` after that, the client is gone.
pub async fn run(
    app: &Arc<AppState>,
    session: SessionId,
    mut stream: SplitStream<WebSocket>,
    ping: &Notify,
) -> End {
    let config = &app.config;
    let limiter = frame_limiter(config.rate_per_sec, config.rate_burst);
    let strikes = strike_limiter(config.rate_strikes);
    // The timer is re-armed only when it fires, not on every frame: reading
    // `last_seen` there tells whether the client was silent all along.
    let idle = sleep(config.ping_interval());
    tokio::pin!(idle);
    let mut last_seen = Instant::now();
    let mut awaiting_pong = false;

    loop {
        let message = tokio::select! {
            message = stream.next() => message,
            () = &mut idle => {
                let quiet_until = last_seen + config.ping_interval();
                if Instant::now() < quiet_until {
                    idle.as_mut().reset(quiet_until);
                } else if awaiting_pong {
                    return End::HeartbeatTimeout;
                } else {
                    awaiting_pong = true;
                    ping.notify_one();
                    idle.as_mut().reset(Instant::now() + config.pong_timeout());
                }
                continue;
            }
        };
        let message = match message {
            None => return End::Io,
            Some(Err(error)) => return classify(error),
            Some(Ok(message)) => message,
        };
        last_seen = Instant::now();
        if awaiting_pong {
            awaiting_pong = false;
            idle.as_mut().reset(last_seen + config.ping_interval());
        }

        if let Message::Close(frame) = &message {
            let will_resume = frame
                .as_ref()
                .is_some_and(|f| f.code == confab_shared::CLOSE_WILL_RESUME);
            return if will_resume {
                End::ClientWillResume
            } else {
                End::ClientClosed
            };
        }
        if matches!(message, Message::Pong(_)) {
            continue;
        }
        // Text, binary and pings all cost the server work, so all count toward the rate.
        if limiter.check().is_err() {
            if strikes.check().is_err() {
                return End::RateAbuse;
            }
            app.hub.with(|hub| hub.notify_error(session, RATE_LIMITED));
            continue;
        }
        match message {
            Message::Text(text) => {
                if let Some(query) = app.hub.with(|hub| hub.handle_text(session, text.as_str())) {
                    // Older history than memory holds: one query, this connection only.
                    let found = app
                        .store
                        .history(&query.room, query.range, query.limit)
                        .await;
                    let found = found.map_err(|e| e.to_string());
                    app.hub.with(|hub| hub.deliver_history(&query, found));
                }
            }
            Message::Binary(_) => app
                .hub
                .with(|hub| hub.notify_error(session, BINARY_REFUSED)),
            // tungstenite answers pings by itself.
            _ => {}
        }
    }
}

fn frame_limiter(per_sec: u32, burst: u32) -> DefaultDirectRateLimiter {
    let per_sec = NonZeroU32::new(per_sec).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(per_sec);
    RateLimiter::direct(Quota::per_second(per_sec).allow_burst(burst))
}

fn strike_limiter(per_minute: u32) -> DefaultDirectRateLimiter {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    RateLimiter::direct(Quota::per_minute(per_minute))
}

/// Maps a read error to the close it deserves.
fn classify(error: axum::Error) -> End {
    use tungstenite::Error;
    use tungstenite::error::ProtocolError;
    match error.into_inner().downcast::<Error>().map(|e| *e) {
        Ok(Error::Capacity(_)) => End::TooBig,
        Ok(Error::Utf8(_)) => End::InvalidUtf8,
        // The TCP connection vanished: a network drop, not a misbehaving client.
        Ok(Error::Protocol(ProtocolError::ResetWithoutClosingHandshake)) => End::Io,
        Ok(Error::Protocol(_)) => End::Protocol,
        _ => End::Io,
    }
}

//! What a connection does with each frame the client sends: rate limits, then the
//! hub; and why a connection ends.

use super::context::Context;
use crate::chat::SessionId;
use confab_shared::ErrorCode;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use tokio_tungstenite::tungstenite::{self, Message};

/// Why a connection ended.
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
    /// Its account session was signed out.
    SignedOut,
    /// A moderator kicked its user (close 4003).
    Kicked,
    /// A moderator banned its user (close 4003).
    Banned,
    /// The hub let go of this connection without saying why.
    Removed,
}

const RATE_LIMITED: &str = "Rate limit exceeded: slow down";
const BINARY_REFUSED: &str = "Binary frames are not supported; send JSON text";

/// One connection's inbound side.
pub struct Inbound<'a> {
    app: &'a Context,
    session: SessionId,
    limiter: DefaultDirectRateLimiter,
    /// Excess frames per minute tolerated before the client is cut off.
    strikes: DefaultDirectRateLimiter,
    frames_in: metrics::Counter,
}

impl<'a> Inbound<'a> {
    pub fn new(app: &'a Context, session: SessionId) -> Self {
        let config = &app.limits;
        Self {
            app,
            session,
            limiter: frame_limiter(config.rate_per_sec, config.rate_burst),
            strikes: strike_limiter(config.rate_strikes),
            frames_in: metrics::counter!("confab_frames_in_total"),
        }
    }

    /// Handles what the socket yielded; `Some` when the connection should end.
    pub async fn handle(&self, read: Option<Result<Message, tungstenite::Error>>) -> Option<End> {
        let message = match read {
            None => return Some(End::Io),
            Some(Err(error)) => return Some(classify(error)),
            Some(Ok(message)) => message,
        };
        let hub = &self.app.hub;
        if let Message::Close(frame) = &message {
            let will_resume = frame
                .as_ref()
                .is_some_and(|f| u16::from(f.code) == confab_shared::CLOSE_WILL_RESUME);
            return Some(if will_resume {
                End::ClientWillResume
            } else {
                End::ClientClosed
            });
        }
        // Text, binary, pings and pongs all cost the server work, so all count
        // toward the rate: an answer to our own ping every 30 s is far below it,
        // and unsolicited pongs are just another flood.
        if self.limiter.check().is_err() {
            metrics::counter!("confab_rate_limited_total").increment(1);
            if self.strikes.check().is_err() {
                return Some(End::RateAbuse);
            }
            hub.with(|hub| {
                hub.notify_error(self.session, ErrorCode::RateLimited, RATE_LIMITED);
                // Flood control: striking often enough mutes the user.
                hub.rate_strike(self.session);
            });
            return None;
        }
        match message {
            Message::Text(text) => {
                self.frames_in.increment(1);
                if let Some(followup) = hub.with(|hub| hub.handle_text(self.session, text.as_str()))
                {
                    // What memory cannot answer: one query, for this connection only.
                    let answer = followup.ask(self.app.store.as_ref()).await;
                    hub.with(|hub| hub.complete(followup, answer));
                }
            }
            Message::Binary(_) => hub.with(|hub| {
                hub.notify_error(self.session, ErrorCode::BinaryUnsupported, BINARY_REFUSED)
            }),
            // tungstenite answers pings by itself; pongs only prove the client is there.
            _ => {}
        }
        None
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
pub fn classify(error: tungstenite::Error) -> End {
    use tungstenite::Error;
    use tungstenite::error::ProtocolError;
    match error {
        Error::Capacity(_) => End::TooBig,
        Error::Utf8(_) => End::InvalidUtf8,
        // The TCP connection vanished: a network drop, not a misbehaving client.
        Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => End::Io,
        Error::Protocol(_) => End::Protocol,
        _ => End::Io,
    }
}

//! [`WsConn`]: the one socket type a connection talks through.
//!
//! Two writers share the socket: tungstenite, which reads and answers control
//! frames by itself (a pong for every ping, the reply to a close), and
//! [`super::frames`], which writes text frames straight to the stream. They must
//! never interleave inside a frame. The rule that keeps them apart lives here and
//! only here: whenever tungstenite may have queued a reply (after any read), it is
//! flushed whole before text frames are written.

use super::close_code;
use super::frames;
use super::inbound::End;
use crate::chat::{Departure, Frame};
use futures_util::{SinkExt, StreamExt};
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use std::io;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};

/// A WebSocket over `S`: the upgraded HTTP connection in the server, an
/// in-memory pipe in tests.
pub struct WsConn<S = TokioIo<Upgraded>> {
    socket: WebSocketStream<S>,
    /// tungstenite may hold a pong or close reply not yet written.
    control_pending: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin> WsConn<S> {
    pub fn new(socket: WebSocketStream<S>) -> Self {
        Self {
            socket,
            control_pending: false,
        }
    }

    /// The next frame from the client; `None` when the stream ended. Cancel-safe.
    pub async fn next(&mut self) -> Option<Result<Message, tungstenite::Error>> {
        let read = self.socket.next().await;
        // Reading may have made tungstenite queue a reply.
        self.control_pending = true;
        read
    }

    /// Writes text frames, after whatever control reply tungstenite holds.
    pub async fn send_batch(&mut self, batch: &[Frame]) -> io::Result<()> {
        frames::write(&mut self.socket, batch, self.control_pending).await?;
        self.control_pending = false;
        Ok(())
    }

    /// After our close, reads until the client's reply: the client has then
    /// heard why, and closes the TCP connection first (RFC 6455 §7.1.1). Frames
    /// that arrive meanwhile were never acknowledged, so the client sends them
    /// again where it resumes.
    pub async fn await_close_reply(&mut self) {
        while let Some(Ok(message)) = self.socket.next().await {
            if message.is_close() {
                break;
            }
        }
    }

    pub async fn ping(&mut self) -> Result<(), tungstenite::Error> {
        self.socket.send(Message::Ping(Default::default())).await
    }

    /// Ends the WebSocket the way `end` calls for. The caller has written what was
    /// queued; the close frame comes last.
    pub async fn close(&mut self, end: End) {
        match end.close_frame() {
            // A broken socket takes no more writes.
            Closing::None => {}
            // The client closed: tungstenite queued the reply (echoing its code, or
            // 1002 for a code no endpoint may send). `close` would refuse, since the
            // close is already under way: flush it.
            Closing::Reply => {
                let _ = self.socket.flush().await;
            }
            Closing::Send(frame) => {
                let _ = self.socket.close(Some(frame)).await;
            }
        }
    }
}

/// How a connection's close goes.
pub enum Closing {
    None,
    Reply,
    Send(CloseFrame),
}

impl End {
    /// A network failure may be resumed; a close, or removal for cause, may not.
    pub fn departure(self) -> Departure {
        match self {
            End::Io | End::HeartbeatTimeout | End::WriteFailed | End::ClientWillResume => {
                Departure::Dropped
            }
            End::ClientClosed
            | End::RateAbuse
            | End::TooBig
            | End::InvalidUtf8
            | End::Protocol
            | End::TooSlow
            | End::Shutdown
            | End::Replaced
            | End::SignedOut
            | End::Kicked
            | End::Banned
            | End::Removed => Departure::Left,
        }
    }

    /// Whether the server closes for cause while the socket still carries frames:
    /// then the client first gets the echo of what it sent that was stored.
    pub fn closes_after_acks(self) -> bool {
        match self {
            End::RateAbuse | End::TooBig | End::InvalidUtf8 | End::Protocol => true,
            End::ClientClosed
            | End::ClientWillResume
            | End::Io
            | End::HeartbeatTimeout
            | End::TooSlow
            | End::Shutdown
            | End::WriteFailed
            | End::Replaced
            | End::SignedOut
            | End::Kicked
            | End::Banned
            | End::Removed => false,
        }
    }

    /// A short name for metrics (`connections_closed_total{reason}`).
    pub fn label(self) -> &'static str {
        match self {
            End::ClientClosed => "client_closed",
            End::ClientWillResume => "client_will_resume",
            End::Io => "io",
            End::HeartbeatTimeout => "heartbeat_timeout",
            End::RateAbuse => "rate_abuse",
            End::TooBig => "too_big",
            End::InvalidUtf8 => "invalid_utf8",
            End::Protocol => "protocol",
            End::TooSlow => "too_slow",
            End::Shutdown => "shutdown",
            End::WriteFailed => "write_failed",
            End::Replaced => "replaced",
            End::SignedOut => "signed_out",
            End::Kicked => "kicked",
            End::Banned => "banned",
            End::Removed => "removed",
        }
    }

    /// The close this end calls for.
    pub fn close_frame(self) -> Closing {
        let (code, reason) = match self {
            End::Io | End::WriteFailed => return Closing::None,
            End::ClientClosed | End::ClientWillResume => return Closing::Reply,
            End::Shutdown => (close_code::SERVICE_RESTART, "Server restarting: resume"),
            End::Replaced => (close_code::NORMAL, "Session resumed on another connection"),
            End::SignedOut => (close_code::NORMAL, "Signed out"),
            End::Kicked => (close_code::REMOVED, "Kicked by a moderator"),
            End::Banned => (close_code::REMOVED, "Banned by a moderator"),
            End::Removed => (close_code::NORMAL, "Removed from the chat"),
            End::HeartbeatTimeout => (close_code::GOING_AWAY, "Heartbeat timeout"),
            End::TooSlow => (close_code::POLICY, "Too slow: send queue full"),
            End::RateAbuse => (close_code::POLICY, "Rate limit repeatedly exceeded"),
            End::TooBig => (close_code::TOO_BIG, "Message too big"),
            End::InvalidUtf8 => (close_code::INVALID_UTF8, "Invalid UTF-8"),
            End::Protocol => (close_code::PROTOCOL_ERROR, "Protocol error"),
        };
        Closing::Send(CloseFrame {
            code: code.into(),
            reason: reason.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_tungstenite::tungstenite::protocol::Role;

    /// A pipe that takes 3 bytes at a time leaves a 6-byte pong half written
    /// whenever the client is not reading at that moment. Text frames written then,
    /// without the flush-first rule, land inside the pong and the client reads
    /// garbage.
    #[tokio::test]
    async fn text_frames_never_land_inside_a_half_written_pong() {
        let (server_io, client_io) = tokio::io::duplex(3);
        let server = WebSocketStream::from_raw_socket(server_io, Role::Server, None).await;
        let client = WebSocketStream::from_raw_socket(client_io, Role::Client, None).await;
        let (mut to_server, mut from_server) = client.split();
        const PINGS: u32 = 50;
        let pinging = tokio::spawn(async move {
            for i in 0..PINGS {
                to_server
                    .send(Message::Ping(i.to_be_bytes().to_vec().into()))
                    .await
                    .unwrap();
            }
            to_server
        });
        let reading = tokio::spawn(async move {
            let (mut texts, mut pongs) = (Vec::new(), 0);
            while texts.len() < PINGS as usize {
                match from_server
                    .next()
                    .await
                    .expect("open")
                    .expect("intact frames")
                {
                    Message::Text(text) => texts.push(text.to_string()),
                    Message::Pong(_) => pongs += 1,
                    other => panic!("unexpected {other:?}"),
                }
            }
            (texts, pongs)
        });
        let mut conn = WsConn::new(server);
        let serving = async {
            for i in 0..PINGS {
                assert!(matches!(conn.next().await, Some(Ok(Message::Ping(_)))));
                let frame = Frame::from(format!("reply {i}"));
                conn.send_batch(std::slice::from_ref(&frame)).await.unwrap();
            }
            conn.socket.flush().await.unwrap();
        };
        // A client that read garbage stops reading, and the server then waits on
        // the full pipe forever: bound it, and report what the client saw.
        let served = tokio::time::timeout(std::time::Duration::from_secs(5), serving).await;
        let (texts, pongs) = reading.await.expect("the client read only whole frames");
        assert!(served.is_ok(), "the server finished writing");
        let expected: Vec<String> = (0..PINGS).map(|i| format!("reply {i}")).collect();
        assert_eq!(texts, expected);
        assert!(pongs >= PINGS - 1, "pongs came through whole: {pongs}");
        drop(pinging.await.unwrap());
    }
}

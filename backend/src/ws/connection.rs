//! One connection's life: join the hub, then one task that reads the client's
//! frames and writes the hub's, then leave and close.
//!
//! One task, not a reader and a writer: an idle connection is then one small
//! future. While a batch is being written the client's frames wait in the kernel,
//! which is the backpressure a chat client should get; writes are bounded by
//! `write_timeout`.

use super::conn::{Closing, WsConn};
use super::context::Context;
use super::frames::MAX_BATCH;
use super::handshake::Socket;
use super::heartbeat::{Due, Heartbeat};
use super::inbound::{End, Inbound};
use crate::chat::tokens::{self, SessionKey, TOKEN_LIFETIME};
use crate::chat::{
    Arrival, Departure, EarlierSession, Eviction, Inbox, Received, SessionId, TXNS_REMEMBERED,
    outbox,
};
use crate::chat::{account_session_key, is_account_session};
use crate::listener::SocketPermit;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;

/// Runs a connection until the client leaves, misbehaves, is evicted, or the
/// server shuts down; then leaves the hub and closes with a code that says why.
/// The permits hold this connection's place under the connection and socket caps;
/// `arrival` says who it is (its account, its resume token).
pub async fn run(
    app: Arc<Context>,
    socket: Socket,
    _permits: (OwnedSemaphorePermit, Option<SocketPermit>),
    mut arrival: Box<Arrival>,
) {
    let mut conn = WsConn::new(socket);
    let (outbox, inbox) = outbox::bounded(app.limits.send_queue, app.limits.send_queue_bytes);
    let earlier = match (&arrival.account, arrival.resume.as_deref()) {
        (Some(account), _) => Some(account_session_key(account.user_id)),
        (None, Some(token)) => app
            .signer
            .verify(token, tokens::now_ms())
            .map(|c| c.session)
            .filter(|&session| !is_account_session(session)),
        (None, None) => None,
    };
    if let Some(session) = earlier {
        arrival.earlier = earlier_session(&app, session).await;
    }
    let peer = arrival.peer;
    let session = app.hub.with(|hub| hub.connect(outbox, *arrival));
    // Not a span: a live span costs about 0.6 KB per idle connection (measured),
    // so the connection's lines name it themselves.
    let id = session.conn();
    tracing::info!(conn = id, user_id = session.user, %peer, "connected");
    metrics::counter!("confab_connections_opened_total").increment(1);
    metrics::gauge!("confab_connections").increment(1.0);
    let end = serve(&app, session, &mut conn, &inbox).await;
    metrics::gauge!("confab_connections").decrement(1.0);
    metrics::counter!("confab_connections_closed_total", "reason" => end.label()).increment(1);
    let write_timeout = app.limits.write_timeout;
    if end.closes_after_acks() {
        // The client broke a rule, but what it sent before that and was stored
        // must still be acknowledged: stay until the hub lets go, then close.
        app.hub.with(|hub| hub.close_after_acks(session));
        if !drain(&mut conn, &inbox, write_timeout).await {
            return app.hub.with(|hub| hub.disconnect(session, Departure::Left));
        }
    }
    // Leaving the hub closes the queue; what it holds is still written before the
    // close frame, which must come last.
    app.hub.with(|hub| hub.disconnect(session, end.departure()));
    tracing::info!(conn = id, user_id = session.user, %peer, reason = ?end, "disconnected");
    let finish = async {
        if matches!(end.close_frame(), Closing::Send(_)) {
            while let Some(Received::Frames(mut batch)) = inbox.try_recv(MAX_BATCH) {
                conn.send_batch(batch.make_contiguous()).await?;
            }
        }
        conn.close(end).await;
        if matches!(end, End::Shutdown) {
            // A draining node stays until its clients have heard (bounded by
            // the write timeout here, and by --shutdown-grace overall).
            conn.await_close_reply().await;
        }
        Ok::<_, std::io::Error>(())
    };
    let _ = timeout(write_timeout, finish).await;
}

/// What the store knows of `session` (named by a valid token, or an account's):
/// who it was and its rooms, and its recent transactions, so that a resend after
/// the grace period or a restart is recognised. A live session needs none of
/// this, but a look-up costs two indexed queries on a reconnect, and deciding
/// without the hub's lock would race.
async fn earlier_session(app: &Context, session: SessionKey) -> Option<EarlierSession> {
    let since = crate::chat::now_unix() - TOKEN_LIFETIME.as_secs() as i64;
    let txns = app
        .store
        .session_txns(session, since, TXNS_REMEMBERED as u32)
        .await;
    let record = app.store.member_session(session).await;
    match (txns, record) {
        (Ok(txns), Ok(record)) => Some(EarlierSession {
            session,
            txns,
            record,
        }),
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, source = %error.source, session, "could not load a session");
            None
        }
    }
}

/// Writes everything the hub queues until it closes the queue; false if that did
/// not happen within `limit`, or the socket failed.
async fn drain(conn: &mut WsConn, inbox: &Inbox, limit: Duration) -> bool {
    let written = timeout(limit, async {
        loop {
            match inbox.recv(MAX_BATCH).await {
                Received::Frames(mut batch) => conn.send_batch(batch.make_contiguous()).await?,
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

async fn serve(app: &Context, session: SessionId, conn: &mut WsConn, inbox: &Inbox) -> End {
    let limits = &app.limits;
    let inbound = Inbound::new(app, session);
    let mut heartbeat = Heartbeat::new(limits.ping_interval, limits.pong_timeout);
    let write_timeout = limits.write_timeout;
    // Registered once: counting is then an atomic add per batch.
    let delivered = metrics::counter!("confab_deliveries_total");
    let frames_out = metrics::counter!("confab_frames_out_total");
    loop {
        // Every branch is cancel-safe: whatever loses the race is still there next
        // time. Shutdown arrives through the inbox, so nothing here is shared.
        let event = tokio::select! {
            received = inbox.recv(MAX_BATCH) => Event::Outgoing(received),
            read = conn.next() => Event::Incoming(read),
            due = heartbeat.due() => Event::Heartbeat(due),
        };
        match event {
            Event::Outgoing(Received::Frames(mut batch)) => {
                let write = conn.send_batch(batch.make_contiguous());
                if !matches!(timeout(write_timeout, write).await, Ok(Ok(()))) {
                    return End::WriteFailed;
                }
                delivered.increment(batch.len() as u64);
                frames_out.increment(batch.len() as u64);
            }
            Event::Outgoing(Received::Closed(why)) => {
                return match why {
                    Some(Eviction::QueueFull) => End::TooSlow,
                    Some(Eviction::Replaced) => End::Replaced,
                    Some(Eviction::Shutdown) => End::Shutdown,
                    Some(Eviction::SignedOut) => End::SignedOut,
                    Some(Eviction::Kicked) => End::Kicked,
                    Some(Eviction::Banned) => End::Banned,
                    None => End::Removed,
                };
            }
            Event::Incoming(read) => {
                heartbeat.heard();
                if let Some(end) = inbound.handle(read).await {
                    return end;
                }
            }
            Event::Heartbeat(Due::Dead) => return End::HeartbeatTimeout,
            Event::Heartbeat(Due::Ping) => {
                if !matches!(timeout(write_timeout, conn.ping()).await, Ok(Ok(()))) {
                    return End::WriteFailed;
                }
                frames_out.increment(1);
            }
        }
    }
}

//! The accept loop: every TCP socket, HTTP or WebSocket, holds one permit of a
//! semaphore for its whole life, and no socket may sit silent before its request.
//!
//! Why not `axum::serve`: it accepts without bound and sets no timer in hyper, so a
//! connection that never sends (or drips one header line every few seconds) stays
//! open forever; a few hundred of them exhaust the file descriptors and keep every
//! real user out. Here:
//! - accepting waits for a permit of `--max-sockets` (as mini-redis does with its
//!   `MAX_CONNECTIONS` semaphore), so the process never runs out of descriptors;
//! - hyper's `header_read_timeout` closes a socket whose request head is not
//!   complete in time. Hyper arms that timer whenever it waits for a head, so it
//!   also ends idle keep-alive connections;
//! - the permit travels with the request ([`SocketPermit`]) into an upgraded
//!   WebSocket, so a socket is counted until it really closes.

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

/// One socket's place under `--max-sockets`. Cloned into an upgraded WebSocket's
/// task, so the place is given back only when the last holder lets go.
#[derive(Clone, Debug)]
pub struct SocketPermit(#[allow(dead_code)] Arc<OwnedSemaphorePermit>);

/// How the accept loop bounds sockets.
#[derive(Debug, Clone, Copy)]
pub struct SocketLimits {
    pub max_sockets: usize,
    /// Time a client has to send a complete request head, and the longest an idle
    /// keep-alive connection is kept.
    pub header_timeout: Duration,
}

/// Accepts and serves `router` (over TLS when `tls` is given) until `shutdown`
/// resolves, then lets in-flight HTTP requests finish until the deadline it
/// resolves with (upgraded WebSockets are shut down by the hub, not here).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    limits: SocketLimits,
    shutdown: impl Future<Output = Instant>,
) {
    let sockets = Arc::new(Semaphore::new(limits.max_sockets.max(1)));
    // Shutdown as a broadcast: each HTTP connection finishes its request in flight
    // and closes; the tracker tells when they all have.
    let closing = CancellationToken::new();
    let connections = TaskTracker::new();
    tokio::pin!(shutdown);
    let deadline = loop {
        let permit = tokio::select! {
            permit = sockets.clone().acquire_owned() => permit.expect("never closed"),
            deadline = &mut shutdown => break deadline,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // EMFILE and friends: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            deadline = &mut shutdown => break deadline,
        };
        // Chat frames are small and each should leave at once: without TCP_NODELAY,
        // Nagle's algorithm holds a frame back until the client's delayed ACK (up to
        // 40 ms) whenever an earlier one is still unacknowledged.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
        let permit = SocketPermit(Arc::new(permit));
        let (router, closing, tls) = (router.clone(), closing.clone(), tls.clone());
        connections.spawn(async move {
            let Some(tls) = tls else {
                return serve_http(tcp, router, permit, peer, limits, closing).await;
            };
            // The handshake counts against the same clock as the request head: a
            // client that opens a socket and says nothing is dropped either way.
            match tokio::time::timeout(limits.header_timeout, tls.accept(tcp)).await {
                Ok(Ok(stream)) => serve_http(stream, router, permit, peer, limits, closing).await,
                Ok(Err(error)) => tracing::debug!(%error, %peer, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        });
    };
    drop(listener);
    closing.cancel();
    connections.close();
    if tokio::time::timeout_at(deadline, connections.wait())
        .await
        .is_err()
    {
        tracing::debug!("some HTTP requests did not finish in time");
    }
}

/// Serves HTTP/1.1 on one socket, plain or TLS, until it closes or `closing`
/// asks it to finish the request in flight.
async fn serve_http<I>(
    io: I,
    router: Router,
    permit: SocketPermit,
    peer: SocketAddr,
    limits: SocketLimits,
    closing: CancellationToken,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = router.map_request(move |mut request: Request<_>| {
        request.extensions_mut().insert(permit.clone());
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(service))
        .with_upgrades();
    tokio::pin!(connection);
    let ended = tokio::select! {
        ended = connection.as_mut() => ended,
        () = closing.cancelled() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = ended {
        tracing::debug!(%error, %peer, "HTTP connection ended");
    }
}

/// The peer's address, for per-address limits.
pub fn peer_of(request: &axum::http::request::Parts) -> Option<SocketAddr> {
    request
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0)
}

//! The HTTP server: routes, shared state, and graceful shutdown.

use crate::chat::account::AccountStore;
use crate::chat::auth::Auth;
use crate::chat::{self, ports::Store};
use crate::chat::{Hub, HubSettings, SharedHub};
use crate::config::Guests;
use crate::listener::{self, SocketLimits};
use crate::store::SqliteStore;
use crate::{Config, api, assets, health, redirect, tls, uploads, ws};
use anyhow::Context;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::Response;
use axum::routing::get;
use confab_shared::limits::MAX_HISTORY;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_http::compression::CompressionLayer;

/// The running server: its configuration, the hub, and what the WebSocket layer
/// is given ([`ws::Context`]).
pub struct AppState {
    pub config: Config,
    pub hub: Arc<SharedHub>,
    pub sockets: Arc<ws::Context>,
    pub api: Arc<api::Context>,
    pub health: Arc<health::Context>,
    pub uploads: Arc<uploads::Context>,
}

impl AppState {
    /// Loads rooms and recent history from `store` and starts the background tasks:
    /// the group commit, and the expiry of sessions past their resume grace period.
    pub async fn start<S: Store + AccountStore>(
        mut config: Config,
        store: Arc<S>,
    ) -> anyhow::Result<Arc<Self>> {
        // A healthy client must be able to take one whole commit batch at once.
        let min_queue = 2 * chat::commit::MAX_BATCH;
        if config.send_queue < min_queue {
            tracing::warn!(
                requested = config.send_queue,
                used = min_queue,
                "--send-queue raised to hold a commit batch"
            );
            config.send_queue = min_queue;
        }
        let snapshot = store.load(MAX_HISTORY).await?;
        let (persist_tx, persist_rx) = mpsc::channel(config.store_queue.max(1));
        let settings = HubSettings {
            resume_grace: config.resume_grace(),
            max_rooms: config.max_rooms,
            big_room: config.big_room,
            room_create_per_hour: config.room_create_per_hour,
            room_archive_after: config.room_archive_after(),
            flood_repeats: config.flood_repeats,
            flood_strikes: config.flood_strikes,
            flood_mute: config.flood_mute(),
        };
        let hub = Hub::new(settings, persist_tx, snapshot);
        let signer = hub.signer();
        let hub = Arc::new(SharedHub::new(hub));
        tokio::spawn(chat::commit::run(store.clone(), persist_rx, hub.clone()));
        let auth = Arc::new(Auth::new(store.clone(), hub.clone()));
        let api = Arc::new(api::Context {
            auth: auth.clone(),
            origins: config.origins(),
            limits: api::SignInLimits::new(
                config.sign_in_per_minute,
                config.auth_per_address_per_minute,
            ),
            secure_cookie: config.secure_cookie(),
        });
        let files = uploads::Files::open(&config.data_dir())
            .with_context(|| format!("cannot create {}/uploads", config.data_dir().display()))?;
        let uploads = Arc::new(uploads::Context::new(
            auth.clone(),
            store.clone(),
            files,
            config.origins(),
            config.max_upload,
            config.upload_quota,
        ));
        let health = Arc::new(health::Context {
            hub: hub.clone(),
            store: store.clone(),
        });
        let sockets = Arc::new(ws::Context {
            hub: hub.clone(),
            store,
            signer,
            auth,
            guests: config.guests == Guests::On,
            origins: config.origins(),
            connections: Arc::new(Semaphore::new(config.max_connections)),
            tasks: TaskTracker::new(),
            limits: ws_limits(&config),
        });
        let app = Arc::new(Self {
            hub,
            sockets,
            api,
            health,
            uploads,
            config,
        });
        tokio::spawn(expire_sessions(Arc::downgrade(&app)));
        Ok(app)
    }
}

fn ws_limits(config: &Config) -> ws::Limits {
    ws::Limits {
        max_frame_bytes: config.max_frame_bytes,
        send_queue: config.send_queue,
        send_queue_bytes: config.send_queue_bytes,
        write_timeout: config.write_timeout(),
        ping_interval: config.ping_interval(),
        pong_timeout: config.pong_timeout(),
        rate_per_sec: config.rate_per_sec,
        rate_burst: config.rate_burst,
        rate_strikes: config.rate_strikes,
    }
}

/// Twice a second: lets sessions past their resume grace period go (with `leave`),
/// tells big rooms their new member counts, and rooms who read how far and who
/// is typing.
async fn expire_sessions(app: std::sync::Weak<AppState>) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tick.tick().await;
        let Some(app) = app.upgrade() else { return };
        app.hub.with(|hub| {
            hub.expire(std::time::Instant::now());
            hub.announce_counts();
            hub.announce_reads();
            hub.announce_typing();
        });
    }
}

/// `/` serves the web client, or the WebSocket when the request is an upgrade (the
/// tutorial's client connects to `ws://host:port` with no path); `/ws` is the
/// WebSocket only; `/api/...` is the accounts API and uploads; `/uploads/...`
/// serves uploaded images; every other path is a client asset.
pub fn router(app: &AppState) -> Router {
    Router::new()
        .route("/", get(root))
        .route("/ws", get(socket))
        .with_state(app.sockets.clone())
        .merge(api::router(app.api.clone()))
        .merge(health::router(app.health.clone()))
        .merge(uploads::router(app.uploads.clone()))
        .fallback(assets::serve)
        .layer(CompressionLayer::new())
}

async fn root(State(app): State<Arc<ws::Context>>, request: Request) -> Response {
    if !request.headers().contains_key(header::UPGRADE) {
        return assets::serve(request.uri().clone()).await;
    }
    ws::upgrade(app, request).await
}

async fn socket(State(app): State<Arc<ws::Context>>, request: Request) -> Response {
    ws::upgrade(app, request).await
}

/// Binds `config.addr` (and `--tls-redirect-from`), prints the address actually
/// bound, and serves until `shutdown` resolves. Then it drains: `/readyz`
/// answers 503, no WebSocket is accepted, every client is told to resume
/// elsewhere (close 1012), and all is over within `--shutdown-grace`.
pub async fn run(
    mut config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let addr = listener.local_addr()?;
    // With port 0, the default public origins must name the port actually bound.
    config.addr = addr;
    let grace = config.shutdown_grace();
    let limits = SocketLimits {
        max_sockets: config.max_sockets(),
        header_timeout: config.header_timeout(),
    };
    let tls = tls_acceptor(&config)?;
    if let Some(metrics_addr) = config.metrics_addr {
        crate::telemetry::serve(metrics_addr).await?;
    }
    let stopping = CancellationToken::new();
    if let Some(from) = config.tls_redirect_from {
        let stopped = stopping.clone().cancelled_owned();
        let stopped = async move {
            stopped.await;
            Instant::now() + grace
        };
        serve_redirects(&config, from, limits, stopped).await?;
    }
    let store = SqliteStore::open(&config.db, config.sync).await?;
    let scheme = config.scheme();
    let app = AppState::start(config, Arc::new(store)).await?;
    // Tests and scripts read this line to find the port when started with port 0.
    println!("confab listening on {scheme}://{addr}");
    tracing::info!(%addr, scheme, "listening");

    // Draining: the hub tells every client to resume elsewhere (1012) and new
    // upgrades are refused, while HTTP still answers `/readyz` with 503 so load
    // balancers see it; once the sockets are gone (or the grace is spent), the
    // listener closes.
    let drain = {
        let app = app.clone();
        async move {
            shutdown.await;
            let deadline = Instant::now() + grace;
            tracing::info!("draining: clients told to resume elsewhere");
            app.hub.with(|hub| hub.shut_down());
            stopping.cancel();
            app.sockets.tasks.close();
            if tokio::time::timeout_at(deadline, app.sockets.tasks.wait())
                .await
                .is_err()
            {
                tracing::warn!("some connections did not close within --shutdown-grace");
            }
            deadline
        }
    };
    listener::serve(listener, router(&app), tls, limits, drain).await;
    Ok(())
}

/// The TLS acceptor when `--tls-cert` is given, its certificate reloaded on SIGHUP.
fn tls_acceptor(config: &Config) -> anyhow::Result<Option<tokio_rustls::TlsAcceptor>> {
    let (Some(cert), Some(key)) = (&config.tls_cert, &config.tls_key) else {
        return Ok(None);
    };
    let resolver = Arc::new(tls::CertResolver::load(cert, key)?);
    #[cfg(unix)]
    tls::reload_on_hangup(resolver.clone()).context("cannot watch for SIGHUP")?;
    Ok(Some(tls::acceptor(resolver)))
}

/// Most sockets the redirect listener keeps open: it answers at once, so a few
/// hundred are plenty, and they are not taken from the chat's own budget.
const REDIRECT_SOCKETS: usize = 256;

async fn serve_redirects(
    config: &Config,
    from: std::net::SocketAddr,
    limits: SocketLimits,
    stopped: impl Future<Output = Instant> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(from)
        .await
        .with_context(|| format!("cannot listen on {from} for --tls-redirect-from"))?;
    let target = config
        .public_origins
        .iter()
        .find(|o| o.to_ascii_lowercase().starts_with("https://"))
        .map_or(
            redirect::Target::SameHost {
                port: config.addr.port(),
            },
            |origin| redirect::Target::Origin(origin.clone()),
        );
    let limits = SocketLimits {
        max_sockets: REDIRECT_SOCKETS,
        ..limits
    };
    tracing::info!(addr = %listener.local_addr()?, "redirecting plain HTTP to HTTPS");
    tokio::spawn(listener::serve(
        listener,
        redirect::router(target),
        None,
        limits,
        stopped,
    ));
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

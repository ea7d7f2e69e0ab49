//! Health checks for load balancers and orchestrators.
//!
//! - `/healthz`: the process is alive and serving HTTP. Always 200.
//! - `/readyz`: this node should get traffic: the store answers, and the node is
//!   not shutting down. Otherwise 503, so a load balancer sends users elsewhere.

use crate::chat::SharedHub;
use crate::chat::ports::Store;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use std::sync::Arc;

pub struct Context {
    pub hub: Arc<SharedHub>,
    pub store: Arc<dyn Store>,
}

pub fn router(context: Arc<Context>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .with_state(context)
}

async fn ready(State(health): State<Arc<Context>>) -> (StatusCode, &'static str) {
    if health.hub.with(|hub| hub.is_closing()) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    match health.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::error!(%error, source = %error.source, "readiness: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable")
        }
    }
}

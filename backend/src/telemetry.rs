//! Prometheus metrics, through the `metrics` facade: code anywhere records with
//! `metrics::counter!` and friends (no-ops until a recorder is installed), and
//! `--metrics-addr` installs the Prometheus recorder and serves `/metrics` on a
//! listener of its own, so the numbers are never public on the chat's port.
//!
//! The names, all prefixed `confab_`:
//! - `connections` (gauge), `connections_opened_total`, `connections_closed_total{reason}`;
//! - `frames_in_total`, `frames_out_total`, `deliveries_total` (frames written to sockets);
//! - `evictions_total` (slow clients dropped), `rate_limited_total`;
//! - `store_commit_seconds` and `store_batch_size` (histograms of the group commit);
//! - `sign_ins_total{outcome}`.

use axum::Router;
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Installs the recorder and serves `/metrics` on `addr` until the process ends.
/// Returns the address bound (for port 0).
pub async fn serve(addr: SocketAddr) -> anyhow::Result<SocketAddr> {
    let seconds = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
    ];
    let sizes = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("confab_store_commit_seconds".into()),
            &seconds,
        )?
        .set_buckets_for_metric(Matcher::Full("confab_store_batch_size".into()), &sizes)?
        .install_recorder()?;
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = Router::new().route("/metrics", get(move || std::future::ready(handle.render())));
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the metrics listener failed");
        }
    });
    tracing::info!(%bound, "metrics at /metrics");
    Ok(bound)
}

//! The Confab server: a chat core ([`chat`]), a thin WebSocket layer around it
//! ([`ws`]), durable storage ([`store`]), uploaded images ([`uploads`]), and the
//! embedded web client ([`assets`]), served on one port.

pub mod admin;
pub mod api;
pub mod assets;
pub mod chat;
pub mod config;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod health;
pub mod listener;
pub mod redirect;
pub mod server;
pub mod store;
pub mod telemetry;
pub mod tls;
pub mod uploads;
pub mod ws;

pub use config::Config;

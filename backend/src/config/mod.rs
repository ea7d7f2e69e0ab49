//! Command-line flags, their environment variables, and the config file
//! ([`file`]) that can set any of them.

mod file;

pub use file::{ConfigError, Loaded};

use clap::Parser;
use std::net::SocketAddr;
use std::time::Duration;

/// Confab: a self-hosted real-time chat room. Serves the web client and the
/// WebSocket (at `/` and `/ws`) on one port.
#[derive(Debug, Clone, Parser)]
#[command(name = "confab", version, about, long_about = None)]
pub struct Config {
    /// Without a command: serve.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// A TOML file setting any flag below by its long name (`max-rooms = 500`).
    /// Flags and environment variables win over it.
    #[arg(long, env = "CONFAB_CONFIG")]
    pub config: Option<std::path::PathBuf>,

    /// Print the effective configuration (flags, environment, file, defaults;
    /// secrets masked) as a config file, and exit.
    #[arg(long)]
    pub print_config: bool,

    /// Address to listen on. Port 0 picks a free port (printed at start-up).
    #[arg(long, env = "CONFAB_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// SQLite database file for rooms and message history (created if missing).
    #[arg(long, env = "CONFAB_DB", default_value = "confab.db")]
    pub db: std::path::PathBuf,

    /// Directory for uploaded images (kept in its `uploads` folder). Default: the
    /// directory holding `--db`.
    #[arg(long, env = "CONFAB_DATA_DIR")]
    pub data_dir: Option<std::path::PathBuf>,

    /// Largest image one upload may be, in bytes.
    #[arg(long, env = "CONFAB_MAX_UPLOAD", default_value_t = confab_shared::attachments::DEFAULT_MAX_UPLOAD_BYTES)]
    pub max_upload: u64,

    /// Bytes one account may upload a day, in all.
    #[arg(long, env = "CONFAB_UPLOAD_QUOTA", default_value_t = 200 * 1024 * 1024)]
    pub upload_quota: u64,

    /// When a stored message counts as durable: `full` syncs every commit to disk
    /// (survives power loss); `normal` survives a crash of the process (kill -9) but
    /// may lose the last commits on power loss, and saves an fsync per commit.
    #[arg(long, env = "CONFAB_SYNC", value_enum, default_value_t = Durability::Full)]
    pub sync: Durability,

    /// Seconds a user whose connection dropped stays online, resumable with its
    /// `resume_token`, before the others see `leave`. 0 disables resuming.
    #[arg(
        long = "resume-grace",
        env = "CONFAB_RESUME_GRACE",
        default_value_t = 30
    )]
    pub resume_grace_secs: u64,

    /// Most rooms that may exist.
    #[arg(long, env = "CONFAB_MAX_ROOMS", default_value_t = 1000)]
    pub max_rooms: usize,

    /// Rooms with more members than this are "big": joins and leaves there are sent
    /// as a member count at most twice a second instead of one frame each, and member
    /// lists come in pages of 50. Smaller rooms behave exactly as the tutorial's.
    #[arg(long, env = "CONFAB_BIG_ROOM", default_value_t = 100)]
    pub big_room: usize,

    /// Messages waiting to be stored before senders get "Server busy" errors.
    #[arg(long, env = "CONFAB_STORE_QUEUE", default_value_t = 8192)]
    pub store_queue: usize,

    /// Extra browser origins allowed to open the WebSocket, besides the server's own
    /// (for example `http://127.0.0.1:8081` for `trunk serve`). Repeat the flag, or
    /// separate with commas. Upgrades without an Origin header (websocat, scripts) are
    /// always allowed.
    #[arg(
        long = "allowed-origin",
        env = "CONFAB_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// The server's own public origins (`scheme://host[:port]`), which browsers may
    /// open the WebSocket from. Default: `http://` with the listen address, and
    /// `localhost`, `127.0.0.1` and `[::1]` with its port. Set it when users reach
    /// the server by another name, or through a TLS proxy
    /// (`https://chat.example.com`). Origin is never compared with `Host`.
    #[arg(
        long = "public-origin",
        env = "CONFAB_PUBLIC_ORIGINS",
        value_delimiter = ','
    )]
    pub public_origins: Vec<String>,

    /// Most open TCP sockets of every kind (HTTP and WebSocket). Past it, the
    /// server accepts no more until one closes. Default: `--max-connections` + 1024.
    #[arg(long, env = "CONFAB_MAX_SOCKETS")]
    pub max_sockets: Option<usize>,

    /// Seconds a client has to send a complete HTTP request head; also the longest
    /// an idle keep-alive HTTP connection is kept open.
    #[arg(long = "header-timeout", env = "CONFAB_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,

    /// Rooms one client address may create per hour.
    #[arg(long, env = "CONFAB_ROOM_CREATE_PER_HOUR", default_value_t = 10)]
    pub room_create_per_hour: u32,

    /// Seconds a room must be empty and silent before it is archived: it leaves the
    /// room list and stops counting toward `--max-rooms`; creating it again brings
    /// it back with its history. 0 never archives. `general`, `random` and `gaming`
    /// are never archived.
    #[arg(
        long = "room-archive-after",
        env = "CONFAB_ROOM_ARCHIVE_AFTER",
        default_value_t = 86_400
    )]
    pub room_archive_after_secs: u64,

    /// PEM certificate chain: serve HTTPS and WSS on `--addr` (with `--tls-key`).
    /// Both files are read again on SIGHUP, without dropping connections.
    #[arg(long, env = "CONFAB_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,

    /// PEM private key for `--tls-cert`.
    #[arg(long, env = "CONFAB_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,

    /// Also listen for plain HTTP on ADDR, answering every request with a
    /// redirect to HTTPS. Needs `--tls-cert`.
    #[arg(long, env = "CONFAB_TLS_REDIRECT_FROM", requires = "tls_cert")]
    pub tls_redirect_from: Option<SocketAddr>,

    /// Log lines as `text` for people or `json` for log shippers (one object a line).
    #[arg(long, env = "CONFAB_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Serve Prometheus metrics at `http://ADDR/metrics`, on a listener of its own
    /// (keep it private). Off by default.
    #[arg(long, env = "CONFAB_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// Whether visitors without an account may chat (`on`, as in the tutorial), or
    /// must sign in first (`off`: a socket without a session gets an
    /// `error` with code `sign_in_required` and is closed with 1008).
    #[arg(long, env = "CONFAB_GUESTS", value_enum, default_value_t = Guests::On)]
    pub guests: Guests,

    /// Sign-in attempts a minute for one account name.
    #[arg(long, env = "CONFAB_SIGN_IN_PER_MINUTE", default_value_t = 5)]
    pub sign_in_per_minute: u32,

    /// Sign-in and sign-up attempts a minute from one client address.
    #[arg(long, env = "CONFAB_AUTH_PER_ADDRESS_PER_MINUTE", default_value_t = 20)]
    pub auth_per_address_per_minute: u32,

    /// Most simultaneous WebSocket connections. Past it, a newcomer gets an
    /// "Server is full" error and close code 1013.
    #[arg(long, env = "CONFAB_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,

    /// Largest WebSocket message or frame a client may send, in bytes; larger ones
    /// close the connection with code 1009. Message content itself is capped at 10240 bytes.
    #[arg(long, env = "CONFAB_MAX_FRAME_BYTES", default_value_t = 64 * 1024)]
    pub max_frame_bytes: usize,

    /// Frames queued for one client before it counts as too slow and is disconnected
    /// (close code 1008), so that it cannot hold up anyone else. At least 512.
    /// A queue costs nothing while it is empty, and a queued frame is a shared
    /// handle (32 bytes), so the default leaves room for bursts: 4096 frames are
    /// about 40 ms of a room taking 100 000 messages a second.
    #[arg(long, env = "CONFAB_SEND_QUEUE", default_value_t = 4096)]
    pub send_queue: usize,

    /// Bytes queued for one client before it counts as too slow and is disconnected
    /// (1008), whatever the number of frames. Shared broadcast frames count in full.
    #[arg(long, env = "CONFAB_SEND_QUEUE_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub send_queue_bytes: usize,

    /// Frames per second one connection may send, on average.
    #[arg(long, env = "CONFAB_RATE_PER_SEC", default_value_t = 10)]
    pub rate_per_sec: u32,

    /// Frames one connection may send in a burst above the average rate.
    #[arg(long, env = "CONFAB_RATE_BURST", default_value_t = 20)]
    pub rate_burst: u32,

    /// Rate-limit errors a connection may earn per minute before it is closed with 1008.
    #[arg(long, env = "CONFAB_RATE_STRIKES", default_value_t = 10)]
    pub rate_strikes: u32,

    /// The same message this many times in a row mutes its sender (0: never).
    #[arg(long, env = "CONFAB_FLOOD_REPEATS", default_value_t = 5)]
    pub flood_repeats: u32,

    /// Striking the rate limit this many times in a minute mutes the user (0: never).
    #[arg(long, env = "CONFAB_FLOOD_STRIKES", default_value_t = 3)]
    pub flood_strikes: u32,

    /// Seconds flood control mutes a user for.
    #[arg(long = "flood-mute", env = "CONFAB_FLOOD_MUTE", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub flood_mute_secs: u64,

    /// Seconds of silence from a client before the server pings it.
    #[arg(long = "ping-interval", env = "CONFAB_PING_INTERVAL", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub ping_interval_secs: u64,

    /// Seconds to wait for any reply to a ping before dropping the client.
    #[arg(long = "pong-timeout", env = "CONFAB_PONG_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub pong_timeout_secs: u64,

    /// Seconds a write to one client may take before that client is dropped.
    #[arg(long = "write-timeout", env = "CONFAB_WRITE_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub write_timeout_secs: u64,

    /// Seconds to let clients receive their close frame on shutdown.
    #[arg(
        long = "shutdown-grace",
        env = "CONFAB_SHUTDOWN_GRACE",
        default_value_t = 5
    )]
    pub shutdown_grace_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    Full,
    Normal,
}

impl Config {
    pub fn ping_interval(&self) -> Duration {
        Duration::from_secs(self.ping_interval_secs)
    }
    pub fn pong_timeout(&self) -> Duration {
        Duration::from_secs(self.pong_timeout_secs)
    }
    pub fn write_timeout(&self) -> Duration {
        Duration::from_secs(self.write_timeout_secs)
    }
    pub fn resume_grace(&self) -> Duration {
        Duration::from_secs(self.resume_grace_secs)
    }
    pub fn flood_mute(&self) -> Duration {
        Duration::from_secs(self.flood_mute_secs)
    }
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs)
    }
    pub fn max_sockets(&self) -> usize {
        self.max_sockets
            .unwrap_or(self.max_connections.saturating_add(1024))
    }
    /// Where uploads go: `--data-dir`, or beside the database.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| match self.db.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
                _ => ".".into(),
            })
    }
    /// `None`: rooms are never archived.
    pub fn room_archive_after(&self) -> Option<Duration> {
        (self.room_archive_after_secs > 0)
            .then(|| Duration::from_secs(self.room_archive_after_secs))
    }
    /// The origins a browser may open the WebSocket from: `--public-origin` (or
    /// the listen address's forms), plus `--allowed-origin`.
    pub fn origins(&self) -> Vec<String> {
        let mut origins = if self.public_origins.is_empty() {
            default_public_origins(self.scheme(), self.addr)
        } else {
            self.public_origins.clone()
        };
        origins.extend(self.allowed_origins.iter().cloned());
        origins
    }

    /// Session cookies are `Secure` when users reach the server over HTTPS: its
    /// own TLS, or a TLS proxy named in `--public-origin`.
    pub fn secure_cookie(&self) -> bool {
        self.tls_cert.is_some()
            || self
                .public_origins
                .iter()
                .any(|o| o.to_ascii_lowercase().starts_with("https://"))
    }

    /// `https` when this process terminates TLS itself.
    pub fn scheme(&self) -> &'static str {
        if self.tls_cert.is_some() {
            "https"
        } else {
            "http"
        }
    }
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Maintenance of the database given by `--db`.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Admin {
    /// Writes a consistent copy of the database to PATH, while the server runs
    /// (SQLite's `VACUUM INTO`). PATH must not exist.
    Backup { path: std::path::PathBuf },
    /// Makes `--db` a copy of BACKUP, after checking it is a sound Confab
    /// database. `--db` must not exist: stop the server and move the old one aside.
    Restore { backup: std::path::PathBuf },
    /// Gives the account USERNAME a role: owner, admin, moderator or member
    /// (member revokes). Works while the server runs; the user's next connection
    /// carries the new role.
    Grant {
        username: String,
        role: confab_shared::api::Role,
    },
    /// Prints the moderation audit log, oldest first.
    Audit {
        /// Only entries since then: a duration back from now (`90m`, `24h`,
        /// `7d`), a date (`2026-11-22`) or a time (`2026-11-22T18:00:00Z`).
        #[arg(long)]
        since: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Whether visitors without an account may chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Guests {
    On,
    Off,
}

/// The listen address, and the loopback names with its port, in `scheme`. A
/// wildcard address (0.0.0.0) is no name a browser uses, so it adds nothing.
fn default_public_origins(scheme: &str, addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let mut origins = Vec::new();
    if !addr.ip().is_unspecified() {
        origins.push(format!("{scheme}://{addr}"));
    }
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        origins.push(format!("{scheme}://{host}:{port}"));
    }
    origins
}

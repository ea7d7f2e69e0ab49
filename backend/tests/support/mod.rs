//! Starts the real `confab` binary on a free port and talks to it over WebSockets.
#![allow(dead_code)] // each test file uses its own subset

pub mod cast;
pub mod http;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A generous bound on waiting for any one frame. It only keeps a broken test from
/// hanging; nothing here measures speed.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub struct Server {
    child: Child,
    pub addr: String,
    /// This server's own database, removed with the server unless kept for a restart.
    pub db: PathBuf,
}

/// A fresh database path in a folder of its own.
pub fn temp_db() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "confab-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("confab.db")
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        Self::start_with("127.0.0.1:0", &temp_db(), args)
    }

    /// Starts on `addr` with the database at `db` (for restarts on the same data).
    pub fn start_with(addr: &str, db: &Path, args: &[&str]) -> Server {
        Self::spawn(addr, db, args, "confab=warn", Stdio::inherit())
    }

    /// Starts with every log line, down to `debug`, written to `log`.
    pub fn start_logged(args: &[&str], log: &Path) -> Server {
        let file = std::fs::File::create(log).expect("log file");
        Self::spawn("127.0.0.1:0", &temp_db(), args, "debug", file.into())
    }

    fn spawn(addr: &str, db: &Path, args: &[&str], log_filter: &str, stderr: Stdio) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_confab"))
            .args(["--addr", addr, "--db"])
            .arg(db)
            .args(args)
            .env("RUST_LOG", log_filter)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("confab starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("confab listening on ")
            .and_then(|url| url.split_once("://"))
            .map(|(_, addr)| addr)
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server {
            child,
            addr,
            db: db.to_owned(),
        }
    }

    /// Keeps this server's database after the server is gone, for a restart.
    pub fn release_db(&mut self) -> PathBuf {
        std::mem::take(&mut self.db)
    }

    /// `kill -9`: no shutdown, no flush, as a crash or power cut.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }

    /// Connects as Confab's own clients do, saying which protocol version it
    /// speaks (so its user is kept through a dropped connection).
    pub async fn connect(&self) -> Client {
        Client::connect(&self.url("/?v=2"), None)
            .await
            .expect("handshake succeeds")
    }

    /// Connects as the tutorial's client does: `/`, no parameters.
    pub async fn connect_tutorial(&self) -> Client {
        Client::connect(&self.url("/"), None)
            .await
            .expect("handshake succeeds")
    }

    /// Connects with `/ws?resume=TOKEN`.
    pub async fn resume(&self, token: &str) -> Client {
        let url = self.url(&format!("/ws?resume={token}"));
        Client::connect(&url, None)
            .await
            .expect("handshake succeeds")
    }

    /// Connects and reads past `welcome`, `users`, `history` and `reads`.
    pub async fn join(&self) -> Client {
        let mut client = self.connect().await;
        let welcome = client.expect("welcome").await;
        client.id = welcome["content"]["user_id"].as_u64().unwrap();
        client.token = welcome["content"]["resume_token"]
            .as_str()
            .unwrap()
            .to_owned();
        client.expect("users").await;
        client.expect("history").await;
        client.expect("reads").await;
        client
    }

    /// The server's resident memory now, in bytes (from /proc).
    pub fn rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is running");
        let kb = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("VmRSS is reported");
        kb * 1024
    }

    /// Sends `signal` (`HUP`, `TERM`) through the kill command.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the server to exit by itself, for up to [`PATIENCE`].
    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn terminate(&mut self) -> std::process::ExitStatus {
        // SAFETY-free: ask politely with SIGTERM through the kill command.
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = self.db.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// An upgrade request for `url` with extra headers.
fn client_request(
    url: &str,
    headers: &[(&str, &str)],
) -> Result<tungstenite::handshake::client::Request, tungstenite::Error> {
    let mut request = url.into_client_request()?;
    for (name, value) in headers {
        let name = tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap();
        request.headers_mut().insert(name, value.parse().unwrap());
    }
    Ok(request)
}

pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub id: u64,
    pub token: String,
}

impl Client {
    pub async fn connect(url: &str, origin: Option<&str>) -> Result<Client, tungstenite::Error> {
        let headers: Vec<(&str, &str)> = origin.map(|o| ("origin", o)).into_iter().collect();
        Self::connect_with(url, &headers).await
    }

    /// Connects with extra request headers (`Authorization`, `Cookie`, `Origin`).
    pub async fn connect_with(
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Client, tungstenite::Error> {
        let request = client_request(url, headers)?;
        let (ws, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Client {
            ws,
            id: 0,
            token: String::new(),
        })
    }

    /// Connects to a `wss://` URL with extra request headers, trusting what
    /// `tls` trusts.
    pub async fn connect_tls(
        url: &str,
        headers: &[(&str, &str)],
        tls: std::sync::Arc<rustls::ClientConfig>,
    ) -> Result<Client, tungstenite::Error> {
        let request = client_request(url, headers)?;
        let host = request.uri().authority().unwrap().as_str().to_owned();
        let tcp = TcpStream::connect(host.replace("localhost", "127.0.0.1")).await?;
        let connector = tokio_tungstenite::Connector::Rustls(tls);
        let (ws, _) =
            tokio_tungstenite::client_async_tls_with_config(request, tcp, None, Some(connector))
                .await?;
        Ok(Client {
            ws,
            id: 0,
            token: String::new(),
        })
    }

    pub async fn send(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.expect("send");
    }

    /// The next frame from the server, decoded; pings and pongs are skipped.
    pub async fn recv(&mut self) -> Value {
        loop {
            match self.next_message().await {
                Message::Text(text) => {
                    return serde_json::from_str(text.as_str()).expect("server sends JSON");
                }
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }

    /// Reads until a frame of type `kind`, and returns it; other frames are skipped.
    pub async fn expect(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.recv().await;
            if frame["type"] == kind {
                return frame;
            }
        }
    }

    /// Reads until an `error` frame and returns its text.
    pub async fn expect_error(&mut self) -> String {
        self.expect("error").await["content"]["message"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Reads until the server closes, and returns its close frame.
    pub async fn expect_close(&mut self) -> Option<CloseFrame> {
        loop {
            match tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("server closes in time")
            {
                Some(Ok(Message::Close(frame))) => {
                    // Send the reply tungstenite queued, as a browser does at once.
                    let _ = self.ws.flush().await;
                    return frame;
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    }

    pub async fn next_message(&mut self) -> Message {
        tokio::time::timeout(PATIENCE, self.ws.next())
            .await
            .expect("a frame arrives in time")
            .expect("connection open")
            .expect("valid frame")
    }

    /// Asks for stats and returns the online count, skipping anything queued before.
    pub async fn users_online(&mut self) -> u64 {
        self.send(r#"{"type":"get_stats"}"#).await;
        self.expect("stats").await["content"]["users_online"]
            .as_u64()
            .unwrap()
    }
}

pub fn close_code(frame: Option<CloseFrame>) -> u16 {
    u16::from(frame.expect("a close frame with a code").code)
}

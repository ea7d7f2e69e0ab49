//! TLS as an operator runs it: the web client and the socket over HTTPS and WSS
//! with a certificate made at test time, a renewed certificate picked up on
//! SIGHUP without dropping anyone, and plain HTTP redirected.

mod support;

use rustls::pki_types::{CertificateDer, ServerName};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use support::http::{self, Response};
use support::{Client, PATIENCE, Server, temp_db};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// A self-signed certificate for `localhost`, written as PEM files into `dir`.
struct Cert {
    cert: PathBuf,
    key: PathBuf,
    der: CertificateDer<'static>,
}

fn make_cert(dir: &Path, tag: &str) -> Cert {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = dir.join(format!("{tag}.crt"));
    let key = dir.join(format!("{tag}.key"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    Cert {
        cert,
        key,
        der: made.cert.der().clone(),
    }
}

/// A client that trusts `cert` and nothing else.
fn trusting(cert: &Cert) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der.clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

async fn tls_stream(
    server: &Server,
    tls: Arc<rustls::ClientConfig>,
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(&server.addr).await?;
    let name = ServerName::try_from("localhost").unwrap();
    TlsConnector::from(tls).connect(name, tcp).await
}

async fn https(
    server: &Server,
    tls: Arc<rustls::ClientConfig>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response {
    let stream = tls_stream(server, tls).await.expect("TLS handshake");
    http::request_on(stream, &server.addr, method, path, headers, body.as_bytes()).await
}

fn start_tls(cert: &Cert, extra: &[&str]) -> Server {
    let mut args = vec![
        "--tls-cert",
        cert.cert.to_str().unwrap(),
        "--tls-key",
        cert.key.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    Server::start(&args)
}

fn wss(server: &Server) -> String {
    let port = server.addr.rsplit(':').next().unwrap();
    format!("wss://localhost:{port}/ws?v=2")
}

#[tokio::test]
async fn https_and_wss_share_the_port_and_the_cookie_is_secure() {
    let dir = temp_db().parent().unwrap().to_owned();
    let cert = make_cert(&dir, "server");
    let server = start_tls(&cert, &[]);
    let tls = trusting(&cert);

    // The page itself needs the built client bundle; the e2e suite loads it over
    // HTTPS in Chromium (tls.spec.ts). Here: HTTP over TLS on the chat's port.
    let alive = https(&server, tls.clone(), "GET", "/healthz", &[], "").await;
    assert_eq!((alive.status, alive.body.as_str()), (200, "ok"));

    // The server's own origin is https now; a browser page from it may sign in,
    // and the session cookie is Secure.
    let port = server.addr.rsplit(':').next().unwrap();
    let origin = format!("https://localhost:{port}");
    let body = http::credentials("tls_user", "correct horse");
    let made = https(
        &server,
        tls.clone(),
        "POST",
        "/api/accounts",
        &[("Origin", &origin)],
        &body,
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let signed_in = https(
        &server,
        tls.clone(),
        "POST",
        "/api/session",
        &[("Origin", &origin)],
        &body,
    )
    .await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    let cookie = signed_in.header("set-cookie").unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");

    let headers = [("origin", origin.as_str())];
    let mut ann = Client::connect_tls(&wss(&server), &headers, tls.clone())
        .await
        .unwrap();
    ann.expect("welcome").await;
    ann.send(r#"{"type":"message","content":"over TLS"}"#).await;
    assert_eq!(ann.expect("message").await["content"], "over TLS");

    // Plain HTTP on the TLS port gets no page.
    let mut plain = TcpStream::connect(&server.addr).await.unwrap();
    plain
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, plain.read_to_end(&mut answer)).await;
    assert!(
        !answer.starts_with(b"HTTP/1.1 200"),
        "no page over plain HTTP"
    );
}

#[tokio::test]
async fn sighup_serves_a_renewed_certificate_and_keeps_open_connections() {
    let dir = temp_db().parent().unwrap().to_owned();
    let old = make_cert(&dir, "old");
    let server = start_tls(&old, &[]);
    let mut ann = Client::connect_tls(&wss(&server), &[], trusting(&old))
        .await
        .unwrap();
    ann.expect("welcome").await;

    let renewed = make_cert(&dir, "renewed");
    std::fs::copy(&renewed.cert, &old.cert).unwrap();
    std::fs::copy(&renewed.key, &old.key).unwrap();
    server.signal("HUP");

    // The reload is asynchronous: poll until a client trusting only the renewed
    // certificate gets through.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while tls_stream(&server, trusting(&renewed)).await.is_err() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "renewed certificate never served"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        tls_stream(&server, trusting(&old)).await.is_err(),
        "the old certificate is no longer offered"
    );
    ann.send(r#"{"type":"message","content":"still connected"}"#)
        .await;
    assert_eq!(ann.expect("message").await["content"], "still connected");
}

#[tokio::test]
async fn plain_http_is_redirected_to_https() {
    let dir = temp_db().parent().unwrap().to_owned();
    let cert = make_cert(&dir, "server");
    // A free port for the redirect listener.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let from = free.local_addr().unwrap().to_string();
    drop(free);
    let server = start_tls(&cert, &["--tls-redirect-from", &from]);
    let port = server.addr.rsplit(':').next().unwrap();

    let answer = http::request(&from, "GET", "/room/general?x=1", &[], "").await;
    assert_eq!(answer.status, 308);
    let host = from.rsplit_once(':').unwrap().0;
    assert_eq!(
        answer.header("location"),
        Some(format!("https://{host}:{port}/room/general?x=1").as_str())
    );
}

#[test]
fn a_bad_certificate_stops_start_up_naming_the_file() {
    let dir = temp_db().parent().unwrap().to_owned();
    let cert = make_cert(&dir, "server");
    let other = make_cert(&dir, "other");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_confab"))
        .args(["--addr", "127.0.0.1:0", "--db"])
        .arg(dir.join("confab.db"))
        .arg("--tls-cert")
        .arg(&cert.cert)
        .arg("--tls-key")
        .arg(&other.key)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("other.key"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

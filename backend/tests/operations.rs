//! What an operator relies on: health checks, and backups taken while serving
//! that restore into a working server.

mod support;

use serde_json::json;
use std::process::Command;
use std::time::Duration;
use support::http::request;
use support::{Client, PATIENCE, Server, temp_db};
use tokio_tungstenite::tungstenite;

fn admin(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_confab"))
        .arg("--db")
        .arg(db)
        .arg("admin")
        .args(args)
        .output()
        .expect("confab runs")
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let server = Server::start(&[]);
    let alive = request(&server.addr, "GET", "/healthz", &[], "").await;
    assert_eq!((alive.status, alive.body.as_str()), (200, "ok"));
    let ready = request(&server.addr, "GET", "/readyz", &[], "").await;
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready"));
}

#[tokio::test]
async fn sigterm_drains_the_node_then_exits() {
    let mut server = Server::start(&["--shutdown-grace", "5"]);
    // Ann reads nothing yet: the draining node waits for her to hear the close.
    let mut ann = server.join().await;
    server.signal("TERM");
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let ready = request(&server.addr, "GET", "/readyz", &[], "").await;
        if ready.status == 503 {
            assert_eq!(ready.body, "shutting down");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "/readyz never failed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let refused = Client::connect(&server.url("/?v=2"), None).await.err();
    assert!(
        matches!(&refused, Some(tungstenite::Error::Http(r)) if r.status() == 503),
        "no new chat while draining: {refused:?}"
    );
    let close = ann.expect_close().await.expect("a close frame");
    assert_eq!(u16::from(close.code), 1012, "resume elsewhere");
    let status = server.wait_exit();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn a_client_that_never_answers_does_not_hold_shutdown_past_the_grace() {
    // Without the grace bound, the write timeout (60 s) would keep it waiting.
    let mut server = Server::start(&["--shutdown-grace", "1", "--write-timeout", "60"]);
    let _silent = server.join().await;
    server.signal("TERM");
    let status = server.wait_exit();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_into_a_working_server() {
    let server = Server::start(&["--rate-per-sec", "1000", "--rate-burst", "1000"]);
    let mut ann = server.join().await;
    for i in 0..50 {
        let frame =
            json!({"type":"message","content":format!("kept {i}"),"txn_id":format!("t{i}")});
        ann.send(&frame.to_string()).await;
    }
    for _ in 0..50 {
        ann.expect("message").await;
    }

    let backup = temp_db().with_file_name("backup.db");
    let taken = admin(&server.db, &["backup", backup.to_str().unwrap()]);
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    let again = admin(&server.db, &["backup", backup.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "an existing backup is never overwritten"
    );

    let restored_db = temp_db();
    let restored = admin(&restored_db, &["restore", backup.to_str().unwrap()]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let onto_live = admin(&server.db, &["restore", backup.to_str().unwrap()]);
    assert!(
        !onto_live.status.success(),
        "a database in place is never overwritten"
    );
    let junk = temp_db().with_file_name("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let refused = admin(&temp_db(), &["restore", junk.to_str().unwrap()]);
    assert!(
        !refused.status.success(),
        "a file that is not a Confab database is refused"
    );

    let copy = Server::start_with("127.0.0.1:0", &restored_db, &[]);
    let mut bob = copy.connect().await;
    bob.expect("welcome").await;
    let history = bob.expect("history").await;
    let messages = history["content"]["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 50);
    assert_eq!(messages[49]["content"], "kept 49");
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_and_move() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let server = Server::start(&["--metrics-addr", &metrics_addr]);
    let mut ann = server.join().await;
    let mut bob = server.join().await;
    ann.send(r#"{"type":"message","content":"counted"}"#).await;
    bob.expect("message").await;
    ann.expect("message").await;

    let scrape = request(&metrics_addr, "GET", "/metrics", &[], "").await;
    assert_eq!(scrape.status, 200);
    let value = |name: &str| -> f64 {
        scrape
            .body
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing from:\n{}", scrape.body))
    };
    assert_eq!(value("confab_connections_opened_total"), 2.0);
    assert_eq!(value("confab_connections"), 2.0);
    assert!(value("confab_frames_in_total") >= 1.0);
    assert!(
        value("confab_deliveries_total") >= 2.0,
        "the message reached both"
    );
    assert!(value("confab_store_batch_size_count") >= 1.0);
    assert!(scrape.body.contains("confab_store_commit_seconds_bucket"));

    drop(bob);
    let on_chat_port = request(&server.addr, "GET", "/metrics", &[], "").await;
    assert!(
        !on_chat_port.body.contains("confab_"),
        "metrics are not public"
    );
}

#[tokio::test]
async fn json_logs_are_one_object_a_line_naming_the_connection() {
    let log = temp_db().with_file_name("json.log");
    let server = Server::start_logged(&["--log-format", "json"], &log);
    let ann = server.join().await;
    drop(ann);
    let mut bob = server.join().await;
    bob.send(r#"{"type":"get_stats"}"#).await;
    bob.expect("stats").await;
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let connected = lines
        .iter()
        .find(|l| l["fields"]["message"] == "connected")
        .expect("a connected line");
    assert!(connected["fields"]["conn"].is_u64(), "{connected}");
    assert_eq!(connected["fields"]["peer"], "127.0.0.1");
}

#[test]
fn flag_beats_environment_beats_file_beats_default() {
    let dir = temp_db().parent().unwrap().to_owned();
    let file = dir.join("confab.toml");
    std::fs::write(
        &file,
        "max-rooms = 5\nbig-room = 7\nrate-burst = 33\npublic-origin = [\"https://chat.example.com\"]\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_confab"))
        .arg("--config")
        .arg(&file)
        .args(["--max-rooms", "6", "--print-config"])
        .env("CONFAB_BIG_ROOM", "8")
        .output()
        .expect("confab runs");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    for line in [
        "max-rooms = 6    # flag",
        "big-room = 8    # environment",
        "rate-burst = 33    # file",
        "rate-per-sec = 10    # default",
        "public-origin = [\"https://chat.example.com\"]    # file",
    ] {
        assert!(printed.contains(line), "{line:?} in\n{printed}");
    }
    // What it prints is itself a config file that gives the same configuration.
    let again = dir.join("printed.toml");
    std::fs::write(&again, &printed).unwrap();
    let reprinted = Command::new(env!("CARGO_BIN_EXE_confab"))
        .arg("--config")
        .arg(&again)
        .arg("--print-config")
        .output()
        .unwrap();
    let reprinted = String::from_utf8(reprinted.stdout).unwrap();
    assert!(reprinted.contains("max-rooms = 6    # file"), "{reprinted}");
    assert!(reprinted.contains("big-room = 8    # file"), "{reprinted}");
}

#[test]
fn an_unknown_config_key_stops_start_up_naming_it() {
    let dir = temp_db().parent().unwrap().to_owned();
    let file = dir.join("confab.toml");
    std::fs::write(&file, "max-romos = 5\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_confab"))
        .arg("--config")
        .arg(&file)
        .output()
        .expect("confab runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown key `max-romos`"), "{stderr}");
}

//! What an operator relies on: health checks, and backups taken while serving
//! that restore into a working server.

mod support;

use serde_json::json;
use std::process::Command;
use support::http::request;
use support::{Server, temp_db};

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

//! A cast for moderation tests: one server with an owner, an admin, a moderator
//! and a member signed in, and a guest; each connected once.

use super::http::{credentials, request};
use super::{Client, Server};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

pub const PASSWORD: &str = "correct horse battery";

/// One signed-in user and its socket.
pub struct Tab {
    pub client: Client,
    pub id: u64,
    pub token: String,
}

pub struct Cast {
    pub server: Server,
    pub owner: Tab,
    pub admin: Tab,
    pub moderator: Tab,
    pub member: Tab,
    pub guest: Client,
}

/// Runs `confab --db DB admin ARGS…`; its status and what it printed.
pub fn admin(db: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_confab"))
        .arg("--db")
        .arg(db)
        .arg("admin")
        .args(args)
        .output()
        .expect("confab runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// Signs `name` up and in; its id and token.
pub async fn account(server: &Server, name: &str) -> (u64, String) {
    let body = credentials(name, PASSWORD);
    let created = request(&server.addr, "POST", "/api/accounts", &[], &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let signed_in = request(&server.addr, "POST", "/api/session", &[], &body).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    let id = signed_in.json()["user_id"].as_u64().unwrap();
    (id, signed_in.json()["token"].as_str().unwrap().to_owned())
}

/// Connects with `token` as a bearer; the welcome.
pub async fn connect(server: &Server, token: &str) -> (Client, Value) {
    let bearer = format!("Bearer {token}");
    let mut client = Client::connect_with(&server.url("/ws?v=2"), &[("authorization", &bearer)])
        .await
        .expect("a signed-in upgrade succeeds");
    let welcome = client.expect("welcome").await;
    (client, welcome)
}

async fn tab(server: &Server, id: u64, token: String) -> Tab {
    let (client, _) = connect(server, &token).await;
    Tab { client, id, token }
}

impl Cast {
    /// Olive (owner, from the command line while the server runs), Adam (admin,
    /// granted by Olive), Mona (moderator, granted by Adam), Mel (member), and a
    /// guest, all in `general`.
    pub async fn assemble(args: &[&str]) -> Cast {
        let mut all = vec!["--auth-per-address-per-minute", "1000"];
        all.extend_from_slice(args);
        let server = Server::start(&all);
        let (owner_id, owner_token) = account(&server, "Olive").await;
        let (ok, said) = admin(&server.db, &["grant", "olive", "owner"]);
        assert!(ok, "{said}");
        let mut owner = tab(&server, owner_id, owner_token).await;
        let (admin_id, admin_token) = account(&server, "Adam").await;
        let (moderator_id, moderator_token) = account(&server, "Mona").await;
        let (member_id, member_token) = account(&server, "Mel").await;
        grant(&mut owner.client, admin_id, "admin").await;
        let mut admin = tab(&server, admin_id, admin_token).await;
        grant(&mut admin.client, moderator_id, "moderator").await;
        let moderator = tab(&server, moderator_id, moderator_token).await;
        let member = tab(&server, member_id, member_token).await;
        let guest = server.join().await;
        Cast {
            server,
            owner,
            admin,
            moderator,
            member,
            guest,
        }
    }
}

/// Sends `grant_role` and waits for everyone's `role_changed`.
pub async fn grant(client: &mut Client, user_id: u64, role: &str) {
    let request = json!({"type": "grant_role", "user_id": user_id, "role": role});
    client.send(&request.to_string()).await;
    let changed = client.expect("role_changed").await;
    assert_eq!(
        (changed["user_id"].as_u64(), changed["role"].as_str()),
        (Some(user_id), Some(role))
    );
}

/// Sends `request` and returns the `error` it earns: its code and content.
pub async fn refused(client: &mut Client, request: Value) -> (String, Value) {
    client.send(&request.to_string()).await;
    let error = client.expect("error").await;
    let code = error["content"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (code, error["content"].clone())
}

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

//! Accounts over real HTTP and sockets: signing up, in and out, the errors and the
//! rate limit, one user across tabs, restarts, reserved names, and `--guests off`.

mod support;

use serde_json::Value;
use support::http::{credentials, request};
use support::{Client, Server, close_code};

use support::cast::PASSWORD;

async fn sign_up(server: &Server, name: &str, password: &str) -> support::http::Response {
    let body = credentials(name, password);
    request(&server.addr, "POST", "/api/accounts", &[], &body).await
}

async fn sign_in(server: &Server, name: &str, password: &str) -> support::http::Response {
    let body = credentials(name, password);
    request(&server.addr, "POST", "/api/session", &[], &body).await
}

/// Signs up and in; returns the token.
async fn account(server: &Server, name: &str) -> String {
    assert_eq!(sign_up(server, name, PASSWORD).await.status, 201);
    let signed_in = sign_in(server, name, PASSWORD).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    signed_in.json()["token"].as_str().unwrap().to_owned()
}

async fn tab(server: &Server, token: &str) -> (Client, Value) {
    support::cast::connect(server, token).await
}

#[tokio::test]
async fn sign_up_sign_in_who_am_i_and_sign_out() {
    let server = Server::start(&[]);
    let created = sign_up(&server, " Ann ", PASSWORD).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["username"], "Ann");
    let user_id = created.json()["user_id"].as_u64().unwrap();

    for (name, password, status, code) in [
        ("ann", PASSWORD, 409, "name_taken"),
        ("ＡＮＮ", PASSWORD, 409, "name_taken"),
        ("<b>x</b>", PASSWORD, 400, "invalid_name"),
        ("User7", PASSWORD, 400, "invalid_name"),
        ("Bob", "short", 400, "invalid_password"),
    ] {
        let refused = sign_up(&server, name, password).await;
        assert_eq!(refused.status, status, "{name}: {}", refused.body);
        assert_eq!(refused.json()["code"], code, "{name}");
    }

    let wrong_password = sign_in(&server, "Ann", "not the password").await;
    let no_such_user = sign_in(&server, "Nobody", PASSWORD).await;
    assert_eq!(wrong_password.status, 401);
    assert_eq!(wrong_password.json()["code"], "invalid_credentials");
    assert_eq!(wrong_password.body, no_such_user.body, "one text for both");

    let signed_in = sign_in(&server, "ann", PASSWORD).await;
    assert_eq!(signed_in.status, 200);
    assert_eq!(signed_in.json()["user_id"], user_id);
    let token = signed_in.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(signed_in.header("cache-control"), Some("no-store"));
    let cookie = signed_in.header("set-cookie").unwrap().to_owned();
    let expected = format!("confab_session={token}");
    for part in [expected.as_str(), "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }

    let by_cookie = format!("confab_session={token}");
    let by_bearer = format!("Bearer {token}");
    for header in [
        ("cookie", by_cookie.as_str()),
        ("authorization", by_bearer.as_str()),
    ] {
        let me = request(&server.addr, "GET", "/api/session", &[header], "").await;
        assert_eq!(me.status, 200, "{}", me.body);
        assert_eq!(me.json()["username"], "Ann");
        assert!(me.json().get("token").is_none());
    }
    let anonymous = request(&server.addr, "GET", "/api/session", &[], "").await;
    assert_eq!(anonymous.status, 401);

    let cookie = [("cookie", by_cookie.as_str())];
    let mut open_tab = Client::connect_with(&server.url("/ws?v=2"), &cookie)
        .await
        .unwrap();
    assert_eq!(
        open_tab.expect("welcome").await["content"]["account"]["username"],
        "Ann"
    );
    let out = request(
        &server.addr,
        "DELETE",
        "/api/session",
        &[("cookie", &by_cookie)],
        "",
    )
    .await;
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let closed = open_tab.expect_close().await.expect("a close frame");
    assert_eq!(
        (u16::from(closed.code), closed.reason.as_str()),
        (1000, "Signed out")
    );
    let after = request(
        &server.addr,
        "GET",
        "/api/session",
        &[("cookie", &by_cookie)],
        "",
    )
    .await;
    assert_eq!(after.status, 401, "the token is revoked on the server");
    let upgrade = Client::connect_with(&server.url("/ws"), &[("authorization", &by_bearer)]).await;
    assert!(upgrade.is_err(), "a revoked bearer token opens no socket");
    let mut browser = Client::connect_with(&server.url("/ws"), &cookie)
        .await
        .unwrap();
    let welcome = browser.expect("welcome").await;
    assert!(
        welcome["content"].get("account").is_none(),
        "a stale cookie is a guest"
    );
}

#[tokio::test]
async fn foreign_origins_bad_bodies_and_large_bodies_are_refused() {
    let server = Server::start(&[]);
    let body = credentials("Ann", PASSWORD);
    let foreign = [("origin", "http://evil.example")];
    let refused = request(&server.addr, "POST", "/api/accounts", &foreign, &body).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json()["code"], "forbidden_origin");
    let own = format!("http://{}", server.addr);
    let allowed = request(
        &server.addr,
        "POST",
        "/api/accounts",
        &[("origin", &own)],
        &body,
    )
    .await;
    assert_eq!(allowed.status, 201);

    let not_json = request(&server.addr, "POST", "/api/session", &[], "{oops").await;
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.json()["code"], "invalid_body");
    let huge = credentials("Ann", &"x".repeat(64 * 1024));
    let too_large = request(&server.addr, "POST", "/api/session", &[], &huge).await;
    assert_eq!(too_large.status, 413);
    assert_eq!(too_large.json()["code"], "invalid_body");
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_account() {
    let server = Server::start(&["--sign-in-per-minute", "3"]);
    assert_eq!(sign_up(&server, "Ann", PASSWORD).await.status, 201);
    for _ in 0..3 {
        assert_eq!(sign_in(&server, "Ann", "guess guess").await.status, 401);
    }
    let limited = sign_in(&server, "ann", PASSWORD).await;
    assert_eq!(limited.status, 429, "even the right password waits");
    assert_eq!(limited.json()["code"], "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(sign_up(&server, "Bob", PASSWORD).await.status, 201);
    assert_eq!(
        sign_in(&server, "Bob", PASSWORD).await.status,
        200,
        "others are not held up"
    );
}

#[tokio::test]
async fn attempts_are_rate_limited_per_client_address_across_names() {
    let server = Server::start(&["--auth-per-address-per-minute", "2"]);
    assert_eq!(sign_in(&server, "Ann", PASSWORD).await.status, 401);
    assert_eq!(sign_in(&server, "Bob", PASSWORD).await.status, 401);
    let limited = sign_in(&server, "Cleo", PASSWORD).await;
    assert_eq!(
        limited.status, 429,
        "a third name from the same address waits"
    );
    assert!(limited.header("retry-after").is_some());
    assert_eq!(
        sign_up(&server, "Dan", PASSWORD).await.status,
        429,
        "sign-ups count too"
    );
}

#[tokio::test]
async fn two_tabs_of_one_account_are_listed_once_and_both_receive() {
    let server = Server::start(&[]);
    let token = account(&server, "Ann").await;
    let (mut tab1, welcome1) = tab(&server, &token).await;
    let (mut tab2, welcome2) = tab(&server, &token).await;
    assert_eq!(
        welcome1["content"]["user_id"],
        welcome2["content"]["user_id"]
    );
    assert_eq!(welcome2["content"]["user_name"], "Ann");
    assert_eq!(welcome2["content"]["account"]["username"], "Ann");
    assert_eq!(welcome2["content"]["account"]["role"], "member");
    let users = tab2.expect("users").await;
    assert_eq!(users["content"].as_array().unwrap().len(), 1, "{users}");

    let mut guest = server.join().await;
    assert!(guest.id != welcome1["content"]["user_id"].as_u64().unwrap());
    guest
        .send(r#"{"type":"message","content":"hello Ann"}"#)
        .await;
    for tab in [&mut tab1, &mut tab2] {
        assert_eq!(tab.expect("message").await["content"], "hello Ann");
    }
    tab1.send(
        r#"{"type":"private_message","to_id":GUEST,"content":"hi"}"#
            .replace("GUEST", &guest.id.to_string())
            .as_str(),
    )
    .await;
    assert_eq!(guest.expect("private_message").await["from_name"], "Ann");
    assert_eq!(
        tab2.expect("private_message_sent").await["content"],
        "hi",
        "every tab sees it"
    );
}

#[tokio::test]
async fn an_account_keeps_its_id_and_name_across_a_kill_and_restart() {
    let mut server = Server::start(&[]);
    let token = account(&server, "Ann").await;
    let (_tab, before) = tab(&server, &token).await;
    server.kill9();
    let db = server.release_db();
    let restarted = Server::start_with("127.0.0.1:0", &db, &[]);
    let (_tab, after) = tab(&restarted, &token).await;
    assert_eq!(after["content"]["user_id"], before["content"]["user_id"]);
    assert_eq!(after["content"]["user_name"], "Ann");
    // A guest after the restart gets a fresh id, not the account's.
    let guest = restarted.join().await;
    assert_ne!(Some(guest.id), after["content"]["user_id"].as_u64());
}

#[tokio::test]
async fn a_guest_cannot_take_a_registered_name_even_while_its_owner_is_away() {
    let server = Server::start(&[]);
    assert_eq!(sign_up(&server, "Ann", PASSWORD).await.status, 201);
    let mut guest = server.join().await;
    guest.send(r#"{"type":"set_name","name":"ANN"}"#).await;
    let error = guest.expect("error").await;
    assert_eq!(error["content"]["code"], "name_taken");
    let mut other = server.join().await;
    other.send(r#"{"type":"set_name","name":"Cleo"}"#).await;
    other.expect("name_changed").await;
    let taken = sign_up(&server, "cleo", PASSWORD).await;
    assert_eq!(taken.status, 409, "an online user shows it");
}

#[tokio::test]
async fn a_tutorial_client_leaves_at_once_when_its_connection_drops() {
    let server = Server::start(&["--resume-grace", "600"]);
    let mut watcher = server.join().await;
    let mut tutorial = server.connect_tutorial().await;
    let id = tutorial.expect("welcome").await["content"]["user_id"].clone();
    let modern = server.join().await;
    drop(modern); // a TCP drop: kept for its grace period
    drop(tutorial); // a TCP drop: gone at once, as on the tutorial's server
    let leave = watcher.expect("leave").await;
    assert_eq!(leave["from_id"], 0);
    assert_eq!(
        leave["content"]["user_id"], id,
        "the tutorial client, not the modern one"
    );
}

#[tokio::test]
async fn with_guests_off_only_signed_in_users_chat() {
    let server = Server::start(&["--guests", "off"]);
    let mut guest = server.connect().await;
    let error = guest.expect("error").await;
    assert_eq!(error["content"]["code"], "sign_in_required");
    assert_eq!(close_code(guest.expect_close().await), 1008);
    let token = account(&server, "Ann").await;
    let (mut ann, _) = tab(&server, &token).await;
    ann.send(r#"{"type":"message","content":"members only"}"#)
        .await;
    assert_eq!(ann.expect("message").await["content"], "members only");
}

#[tokio::test]
async fn no_password_or_token_reaches_the_log() {
    let log = support::temp_db().with_file_name("confab.log");
    let server = Server::start_logged(&[], &log);
    let token = account(&server, "Ann").await;
    let (mut tab, _) = tab(&server, &token).await;
    tab.send(r#"{"type":"message","content":"a secret body"}"#)
        .await;
    tab.expect("message").await;
    assert_eq!(sign_in(&server, "Ann", "wrong password!").await.status, 401);
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("signed in"), "the log was written: {text}");
    for secret in [PASSWORD, "wrong password!", token.as_str(), "a secret body"] {
        assert!(!text.contains(secret), "the log holds {secret:?}");
    }
}

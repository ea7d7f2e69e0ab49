//! Images over real HTTP and sockets: `POST /api/uploads` takes an account's
//! image, judged by its bytes; `/uploads/...` serves it so that no browser can
//! take it for a page; a message carries it to the room and into history.

mod support;

use support::cast::{account, connect};
use support::http::{request, request_bytes};
use support::{Server, temp_db};

/// A 3×2 PNG: a real one, so a browser could show it.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0x12, 0x16, 0xf1,
    0x4d, 0x00, 0x00, 0x00, 0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x08, 0x19, 0x18, 0xfe, 0x03, 0x00, 0x2d, 0xec, 0x05, 0xfb, 0x24, 0x5b, 0x0b, 0x61, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn upload(server: &Server, token: &str, kind: &str, body: &[u8]) -> support::http::Response {
    let bearer = format!("Bearer {token}");
    let headers = [("Authorization", bearer.as_str()), ("Content-Type", kind)];
    request_bytes(&server.addr, "POST", "/api/uploads", &headers, body).await
}

#[tokio::test]
async fn an_uploaded_image_reaches_the_room_and_its_history() {
    let db = temp_db();
    let mut server = Server::start_with("127.0.0.1:0", &db, &[]);
    let (_, token) = account(&server, "Ann").await;
    let created = upload(&server, &token, "image/png", PNG).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let image = created.json();
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64()),
        (Some(3), Some(2))
    );
    let url = image["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("/uploads/") && url.ends_with(".png"),
        "{url}"
    );
    assert!(
        db.parent()
            .unwrap()
            .join("uploads")
            .read_dir()
            .unwrap()
            .count()
            == 1
    );

    let served = request(&server.addr, "GET", &url, &[], "").await;
    assert_eq!(served.status, 200);
    assert_eq!(served.bytes, PNG);
    assert_eq!(served.header("content-type"), Some("image/png"));
    assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
    let policy = served.header("content-security-policy").unwrap();
    assert!(
        policy.contains("default-src 'none'") && policy.contains("sandbox"),
        "{policy}"
    );
    assert!(
        served
            .header("content-disposition")
            .unwrap()
            .starts_with("inline")
    );
    let missing = url.replace(&url[9..17], "00000000");
    assert_eq!(
        request(&server.addr, "GET", &missing, &[], "").await.status,
        404
    );

    let (mut ann, _) = connect(&server, &token).await;
    let mut bob = server.join().await;
    // The size sent on is the stored one, whatever the sender claims.
    let claimed = serde_json::json!({"url": url, "width": 9000, "height": 1});
    let message = serde_json::json!({
        "type": "message", "content": "", "txn_id": "i1", "attachments": [claimed],
    });
    ann.send(&message.to_string()).await;
    let seen = bob.expect("message").await;
    assert_eq!(seen["attachments"][0], image);
    assert_eq!(seen["content"], "");
    assert_eq!(ann.expect("message").await["txn_id"], "i1");

    // Stored: after a restart, history still shows the image.
    drop((ann, bob));
    server.terminate();
    let server = Server::start_with("127.0.0.1:0", &server.release_db(), &[]);
    let mut cy = server.join().await;
    cy.send(r#"{"type":"get_history","room":"general"}"#).await;
    let history = cy.expect("history").await;
    let last = history["content"]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["attachments"][0]["url"], url.as_str());
    assert_eq!(request(&server.addr, "GET", &url, &[], "").await.bytes, PNG);
}

#[tokio::test]
async fn uploads_that_lie_about_their_type_are_refused() {
    let server = Server::start(&[]);
    let (_, token) = account(&server, "Ann").await;
    let page = b"<html><script>alert(document.cookie)</script></html>";
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    for (kind, body) in [("image/png", &page[..]), ("image/svg+xml", &svg[..])] {
        let refused = upload(&server, &token, kind, body).await;
        assert_eq!(refused.status, 415, "{kind}");
        assert_eq!(refused.json()["code"], "unsupported_type");
    }
    // A PNG that says it is text is still a PNG: the bytes decide.
    let png = upload(&server, &token, "text/plain", PNG).await;
    assert_eq!(png.status, 201);
    assert!(png.json()["url"].as_str().unwrap().ends_with(".png"));
}

#[tokio::test]
async fn uploads_are_for_accounts_from_our_origin_and_within_bounds() {
    let server = Server::start(&["--max-upload", "1000", "--upload-quota", "2000"]);
    let guest = request_bytes(&server.addr, "POST", "/api/uploads", &[], PNG).await;
    assert_eq!(guest.status, 401);
    assert_eq!(guest.json()["code"], "sign_in_required");

    let (_, token) = account(&server, "Ann").await;
    let bearer = format!("Bearer {token}");
    let foreign = [
        ("Authorization", bearer.as_str()),
        ("Origin", "https://evil.example"),
    ];
    let refused = request_bytes(&server.addr, "POST", "/api/uploads", &foreign, PNG).await;
    assert_eq!(refused.status, 403);

    let mut big = PNG.to_vec();
    big.resize(1001, 0);
    let over = upload(&server, &token, "image/png", &big).await;
    assert_eq!(over.status, 413);
    assert_eq!(over.json()["code"], "too_large");

    big.truncate(900);
    assert_eq!(upload(&server, &token, "image/png", &big).await.status, 201);
    assert_eq!(upload(&server, &token, "image/png", &big).await.status, 201);
    let spent = upload(&server, &token, "image/png", &big).await;
    assert_eq!(spent.status, 429, "the day's 2000 bytes are used");
    assert_eq!(spent.json()["code"], "rate_limited");
}

#[tokio::test]
async fn a_message_attaches_only_this_servers_uploads() {
    let server = Server::start(&[]);
    let mut ann = server.join().await;
    let id = "0123456789abcdef0123456789abcdef";
    let cases = [
        serde_json::json!([{"url": "https://evil.example/pixel.png", "width": 1, "height": 1}]),
        serde_json::json!([{"url": format!("/uploads/{id}.svg"), "width": 1, "height": 1}]),
        serde_json::json!([{"url": format!("/uploads/{id}.png"), "width": 0, "height": 1}]),
        serde_json::json!(vec![
            serde_json::json!({"url": format!("/uploads/{id}.png"), "width": 1, "height": 1});
            11
        ]),
    ];
    for attachments in cases {
        let message =
            serde_json::json!({"type": "message", "content": "", "attachments": attachments});
        ann.send(&message.to_string()).await;
        let error = ann.expect("error").await;
        assert_eq!(error["content"]["code"], "invalid_field", "{attachments}");
    }
    // Well formed, but no such upload: refused, and the sender knows which message.
    let unknown = serde_json::json!({"type": "message", "content": "look", "txn_id": "u1",
        "attachments": [{"url": format!("/uploads/{id}.png"), "width": 1, "height": 1}]});
    ann.send(&unknown.to_string()).await;
    let error = ann.expect("error").await;
    assert_eq!(
        (
            error["content"]["code"].as_str(),
            error["content"]["txn_id"].as_str()
        ),
        (Some("not_found"), Some("u1"))
    );
    // Without attachments, empty content is still refused, as in the tutorial.
    ann.send(r#"{"type":"message","content":"  "}"#).await;
    assert_eq!(
        ann.expect("error").await["content"]["code"],
        "invalid_content"
    );
}

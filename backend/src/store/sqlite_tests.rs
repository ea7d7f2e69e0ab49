//! The SQLite store against a real database file.
use super::*;
use std::sync::Arc;

fn message(room: &str, id: u64) -> Write {
    Write::Message(Arc::new(StoredMessage {
        room: room.into(),
        id,
        from_id: 3,
        from_name: "Ann".into(),
        content: format!("m{id}"),
        timestamp: 1,
        txn_id: Some(format!("t{id}")),
        session: 9,
        deleted: false,
        edited_at: None,
        rev: 0,
        reply_to: None,
        attachments: Vec::new(),
        reactions: Vec::new(),
    }))
}

#[tokio::test]
async fn writes_survive_reopening_and_ranges_are_oldest_first() {
    let dir = std::env::temp_dir().join(format!("confab-store-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.db");
    {
        let store = SqliteStore::open(&path, Durability::Full).await.unwrap();
        let batch: Vec<_> = (1..=5).map(|id| message("general", id)).collect();
        store.write(&batch).await.unwrap();
        store
            .write(&[Write::Room {
                name: "books".into(),
                created_at: 2,
                by: 1,
                read_only: false,
            }])
            .await
            .unwrap();
    }
    let store = SqliteStore::open(&path, Durability::Full).await.unwrap();
    let snapshot = store.load(3).await.unwrap();
    let names: Vec<_> = snapshot.rooms.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"general") && names.contains(&"random") && names.contains(&"books"));
    let general = snapshot.rooms.iter().find(|r| r.name == "general").unwrap();
    assert_eq!(
        general.recent.iter().map(|m| m.id).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    assert_eq!(snapshot.max_user_id, 3);
    let ids = |v: Vec<StoredMessage>| v.into_iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.history("general", Range::Before(4), 2).await.unwrap()),
        [2, 3]
    );
    assert_eq!(
        ids(store.history("general", Range::After(2), 2).await.unwrap()),
        [3, 4]
    );
    // A new room and its first message in one batch.
    store
        .write(&[
            Write::Room {
                name: "films".into(),
                created_at: 3,
                by: 1,
                read_only: false,
            },
            message("films", 1),
        ])
        .await
        .unwrap();
    assert_eq!(
        ids(store.history("films", Range::Latest, 10).await.unwrap()),
        [1]
    );
    // A batch is all or nothing: a duplicate id rolls back the whole batch.
    assert!(
        store
            .write(&[message("general", 6), message("general", 5)])
            .await
            .is_err()
    );
    assert_eq!(
        ids(store.history("general", Range::After(5), 10).await.unwrap()),
        Vec::<u64>::new()
    );
    // What a session stored, for recognising its resends after a restart.
    let txns = store.session_txns(9, 0, 100).await.unwrap();
    assert!(
        txns.iter()
            .any(|t| t.room == "films" && t.txn_id == "t1" && t.id == 1)
    );
    assert!(store.session_txns(8, 0, 100).await.unwrap().is_empty());
    assert_eq!(
        store
            .message("general", 3)
            .await
            .unwrap()
            .map(|m| m.content),
        Some("m3".into())
    );
    // Archived rooms leave the snapshot but keep their next id, and come back.
    store
        .write(&[Write::ArchiveRoom {
            name: "general".into(),
            at: 5,
        }])
        .await
        .unwrap();
    let snapshot = store.load(3).await.unwrap();
    assert!(!snapshot.rooms.iter().any(|r| r.name == "general"));
    assert_eq!(
        snapshot.archived,
        [ArchivedRoom {
            name: "general".into(),
            next_id: 6
        }]
    );
    let secret = snapshot.secret;
    store
        .write(&[Write::Room {
            name: "general".into(),
            created_at: 6,
            by: 1,
            read_only: false,
        }])
        .await
        .unwrap();
    let snapshot = store.load(3).await.unwrap();
    assert!(snapshot.rooms.iter().any(|r| r.name == "general"));
    assert_eq!(snapshot.secret, secret, "the signing secret is stable");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn messages_stored_before_the_search_index_existed_are_found() {
    let dir = std::env::temp_dir().join(format!("confab-store-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.db");
    {
        // The database as the release before search left it.
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        let mut before = sqlx::migrate!("./migrations");
        let search_at = before
            .migrations
            .iter()
            .position(|m| m.version == 11)
            .unwrap();
        before.migrations = before.migrations[..search_at].to_vec().into();
        before.run(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO messages (room, id, from_id, from_name, content, timestamp, session) \
             VALUES ('general', 1, 3, 'Ann', 'Weather report', 1, 9)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let store = SqliteStore::open(&path, Durability::Full).await.unwrap();
    store.write(&[message("general", 2)]).await.unwrap();
    let query = |word: &str| SearchQuery {
        terms: vec![word.into()],
        rooms: vec!["general".into()],
        limit: 50,
    };
    let found = store.search(&query("weather")).await.unwrap();
    assert_eq!(found.iter().map(|m| m.id).collect::<Vec<_>>(), [1]);
    let found = store.search(&query("m2")).await.unwrap();
    assert_eq!(found.iter().map(|m| m.id).collect::<Vec<_>>(), [2]);
}

//! Moderation as the client model sees it.

use super::*;
use confab_shared::api::Role;
use confab_shared::moderation::{AuditAction, AuditEntry};

fn as_role(chat: &mut Chat, role: Role) {
    let mut frame = signed_in_welcome(1, "User1");
    if let ServerMessage::Welcome { content, .. } = &mut frame {
        content.account.as_mut().unwrap().role = role;
    }
    chat.apply(frame);
    chat.apply(ServerMessage::Users {
        content: vec![user(1, "User1")],
        timestamp: 1,
        room: None,
        total: None,
    });
}

#[test]
fn a_deleted_message_loses_its_text_and_only_allowed_deletes_are_offered() {
    let mut chat = Chat::new(None);
    as_role(&mut chat, Role::Member);
    chat.apply(message(1, 1, "mine", None));
    chat.apply(message(2, 2, "theirs", None));
    let entries = &chat.timeline().entries;
    let (mine, theirs) = (
        entries[entries.len() - 2].clone(),
        entries[entries.len() - 1].clone(),
    );
    assert!(chat.may_delete(&mine));
    assert!(!chat.may_delete(&theirs), "a member deletes only its own");
    chat.apply(ServerMessage::MessageDeleted {
        room: "general".into(),
        id: 2,
        rev: Some(9),
        timestamp: 3,
    });
    let theirs = chat
        .timeline()
        .entries
        .iter()
        .find(|e| e.id == Some(2))
        .unwrap();
    assert!(theirs.deleted && theirs.text.is_empty());
    // A tombstone in history arrives deleted.
    let mut tombstone = item(3, "");
    tombstone.deleted = true;
    chat.apply(history(vec![tombstone]));
    assert!(
        chat.timeline()
            .entries
            .iter()
            .any(|e| e.id == Some(3) && e.deleted)
    );

    let mut moderator = Chat::new(None);
    as_role(&mut moderator, Role::Moderator);
    moderator.apply(message(2, 4, "theirs", None));
    let theirs = moderator.timeline().entries.last().unwrap().clone();
    assert!(moderator.may_delete(&theirs));
}

#[test]
fn a_mute_bars_the_composer_until_it_ends_or_is_lifted() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::Muted {
        by: "Mona".into(),
        reason: "calm down".into(),
        until: 100,
        room: Some("random".into()),
        timestamp: 10,
    });
    assert!(chat.muted_here(50).is_none(), "muted in another room only");
    chat.apply(ServerMessage::Muted {
        by: "Mona".into(),
        reason: String::new(),
        until: 200,
        room: None,
        timestamp: 10,
    });
    assert_eq!(chat.muted_here(50).map(|m| m.until), Some(200));
    assert!(chat.muted_here(200).is_none(), "ran out");
    chat.apply(ServerMessage::Unmuted {
        room: None,
        timestamp: 60,
    });
    assert!(chat.muted_here(50).is_none());
    let said = |text: &str| chat.timeline().entries.iter().any(|e| e.text == text);
    assert!(said("You were muted by Mona"), "the global mute is told");
}

#[test]
fn a_kick_or_a_ban_at_the_door_keeps_the_client_away_until_it_rejoins() {
    let mut chat = Chat::new(None);
    joined(&mut chat);
    chat.apply(ServerMessage::Kicked {
        by: "Mona".into(),
        reason: "spam".into(),
        timestamp: 5,
    });
    let removed = chat.moderation.removed.clone().unwrap();
    assert!(!removed.banned && removed.by == "Mona" && removed.reason == "spam");
    chat.rejoin();
    assert!(chat.moderation.removed.is_none());
    chat.apply(ServerMessage::error(
        ErrorCode::Banned,
        "You are banned until lifted",
        6,
    ));
    assert!(chat.moderation.removed.as_ref().is_some_and(|r| r.banned));
}

#[test]
fn roles_follow_role_changed_and_decide_what_is_offered() {
    let mut chat = Chat::new(None);
    as_role(&mut chat, Role::Admin);
    assert!(chat.may_moderate(None) && chat.may_moderate(Some(Role::Moderator)));
    assert!(!chat.may_moderate(Some(Role::Admin)));
    assert_eq!(chat.grantable(None), [Role::Member, Role::Moderator]);
    assert!(chat.grantable(Some(Role::Admin)).is_empty());
    assert!(chat.may_read_audit());
    chat.apply(ServerMessage::RoleChanged {
        user_id: 1,
        user_name: "User1".into(),
        role: Role::Member,
        by: "Olive".into(),
        timestamp: 3,
    });
    assert_eq!(chat.my_role(), Some(Role::Member));
    assert!(!chat.may_moderate(None) && !chat.may_read_audit());
    chat.apply(ServerMessage::RoleChanged {
        user_id: 1,
        user_name: "User1".into(),
        role: Role::Moderator,
        by: "Olive".into(),
        timestamp: 4,
    });
    assert_eq!(
        chat.timeline().members[0].role,
        Some(Role::Moderator),
        "the badge"
    );
    assert_eq!(
        chat.badge_of(1),
        Some(Role::Moderator),
        "beside its messages too"
    );
    assert_eq!(chat.badge_of(99), None);
}

#[test]
fn the_audit_log_takes_live_events_and_pages() {
    let mut chat = Chat::new(None);
    as_role(&mut chat, Role::Owner);
    let entry = |id: u64| AuditEntry {
        id: Some(id),
        at: 1,
        action: AuditAction::Kick,
        by_id: Some(2),
        by_name: "Mona".into(),
        target_id: Some(3),
        target_name: Some("Mel".into()),
        room: None,
        message_id: None,
        reason: String::new(),
        until: None,
        role: None,
        automatic: false,
    };
    let first = chat.request_audit(false);
    assert_eq!(
        first,
        ClientMessage::GetAudit {
            before_id: None,
            limit: Some(50)
        }
    );
    chat.apply(ServerMessage::Audit {
        content: confab_shared::moderation::AuditPage {
            entries: vec![entry(9), entry(8)],
        },
        timestamp: 1,
    });
    let older = chat.request_audit(true);
    assert_eq!(
        older,
        ClientMessage::GetAudit {
            before_id: Some(8),
            limit: Some(50)
        }
    );
    chat.apply(ServerMessage::Audit {
        content: confab_shared::moderation::AuditPage {
            entries: vec![entry(7)],
        },
        timestamp: 1,
    });
    let mut live = entry(0);
    live.id = None;
    live.automatic = true;
    live.action = AuditAction::Mute;
    chat.apply(ServerMessage::Moderation {
        content: live,
        timestamp: 2,
    });
    let ids: Vec<Option<u64>> = chat.moderation.audit.iter().map(|e| e.id).collect();
    assert_eq!(ids, [None, Some(9), Some(8), Some(7)]);
}

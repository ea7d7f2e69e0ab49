//! Work the hub cannot finish from memory. The hub never awaits, so it hands the
//! caller a [`Followup`]; the caller asks the store ([`Followup::ask`]) and gives
//! the [`Answer`] back to `Hub::complete`.

use super::messages::Post;
use super::ports::{ConversationSummary, StoredPrivate, StoredUpload};
use super::ports::{Range, SearchQuery, Store, StoreError, StoredMessage};
use confab_shared::attachments::parse_upload_url;
use confab_shared::limits::MAX_HISTORY;
use confab_shared::moderation::AuditEntry;
use confab_shared::{MessageId, UserId};

/// A request the store must answer before the hub can reply to `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followup {
    /// History older than the room keeps in memory.
    History {
        user: UserId,
        room: String,
        range: Range,
        limit: u32,
    },
    /// A resent transaction whose stored message is no longer in memory: the echo.
    Echo {
        user: UserId,
        room: String,
        id: MessageId,
        txn_id: String,
    },
    /// Creating a room that was archived: bring back its recent history first.
    Revive {
        user: UserId,
        room: String,
        read_only: bool,
    },
    /// A page of a private conversation.
    PrivateHistory {
        user: UserId,
        with_id: UserId,
        before_id: Option<MessageId>,
        limit: u32,
    },
    /// The user's private conversations.
    Conversations { user: UserId },
    /// Deleting a message older than the room keeps in memory: find it first.
    Delete {
        user: UserId,
        room: String,
        id: MessageId,
    },
    /// Editing a message older than the room keeps in memory: find it first.
    Edit {
        user: UserId,
        room: String,
        id: MessageId,
        content: String,
    },
    /// Reacting to a message older than the room keeps in memory: find it first.
    React {
        user: UserId,
        room: String,
        id: MessageId,
        emoji: String,
    },
    /// A search: only the store can answer it.
    Search {
        user: UserId,
        /// As asked, for the reply.
        query: String,
        room: Option<String>,
        search: SearchQuery,
    },
    /// A message with images: each must be an upload the store knows.
    Attach {
        user: UserId,
        room: String,
        txn_id: Option<String>,
        post: Post,
    },
    /// A page of the audit log.
    Audit {
        user: UserId,
        before_id: Option<u64>,
        limit: u32,
    },
}

impl Followup {
    /// Whom the answer goes to.
    pub fn user(&self) -> UserId {
        match self {
            Followup::History { user, .. }
            | Followup::Echo { user, .. }
            | Followup::Revive { user, .. }
            | Followup::PrivateHistory { user, .. }
            | Followup::Conversations { user }
            | Followup::Delete { user, .. }
            | Followup::Edit { user, .. }
            | Followup::React { user, .. }
            | Followup::Search { user, .. }
            | Followup::Attach { user, .. }
            | Followup::Audit { user, .. } => *user,
        }
    }
}

/// What the store said, for [`Hub::complete`].
pub enum Answer {
    Messages(Result<Vec<StoredMessage>, StoreError>),
    Message(Result<Option<StoredMessage>, StoreError>),
    Private(Result<Vec<StoredPrivate>, StoreError>),
    Conversations(Result<Vec<ConversationSummary>, StoreError>),
    Audit(Result<Vec<AuditEntry>, StoreError>),
    /// For each attachment in order, its upload, if the store has it.
    Uploads(Result<Vec<Option<StoredUpload>>, StoreError>),
}

impl Followup {
    /// Asks `store` what this followup needs.
    pub async fn ask(&self, store: &dyn Store) -> Answer {
        match self {
            Followup::History {
                room, range, limit, ..
            } => Answer::Messages(store.history(room, *range, *limit).await),
            Followup::Echo { room, id, .. } => Answer::Message(store.message(room, *id).await),
            Followup::Revive { room, .. } => {
                Answer::Messages(store.history(room, Range::Latest, MAX_HISTORY).await)
            }
            Followup::PrivateHistory {
                user,
                with_id,
                before_id,
                limit,
            } => Answer::Private(
                store
                    .private_history(*user, *with_id, *before_id, *limit)
                    .await,
            ),
            Followup::Conversations { user } => {
                Answer::Conversations(store.conversations(*user).await)
            }
            Followup::Delete { room, id, .. }
            | Followup::Edit { room, id, .. }
            | Followup::React { room, id, .. } => Answer::Message(store.message(room, *id).await),
            Followup::Search { search, .. } => Answer::Messages(store.search(search).await),
            Followup::Audit {
                before_id, limit, ..
            } => Answer::Audit(store.audit(*before_id, None, *limit).await),
            Followup::Attach { post, .. } => Answer::Uploads(uploads(store, post).await),
        }
    }
}

/// The upload each of `post`'s attachments names, if the store has one of
/// that id and type.
async fn uploads(store: &dyn Store, post: &Post) -> Result<Vec<Option<StoredUpload>>, StoreError> {
    let mut found = Vec::with_capacity(post.attachments.len());
    for attachment in &post.attachments {
        let upload = match parse_upload_url(&attachment.url) {
            Some((id, kind)) => store.upload(id).await?.filter(|u| u.kind == kind),
            None => None,
        };
        found.push(upload);
    }
    Ok(found)
}

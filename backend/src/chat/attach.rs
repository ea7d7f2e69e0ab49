//! Messages with images: each attachment must name an upload the store knows,
//! and is sent on with the size the store holds, not the size the sender claims.
//!
//! The check asks the store, so it is a [`Followup`]. The socket layer awaits a
//! connection's followup before it reads that connection's next frame, so a
//! sender's words after an image still come after it.

use super::hub::Hub;
use super::messages::Post;
use super::ports::StoredUpload;
use super::request::Followup;
use confab_shared::client::ClientMessage;
use confab_shared::limits::DEFAULT_ROOM;
use confab_shared::{ErrorCode, UserId};

impl Hub {
    /// A `message`: posted at once, or, with images, once the store has
    /// vouched for them. A resend of a known transaction was checked the first
    /// time, and goes straight on to be answered from what is known.
    pub(super) fn public_message(
        &mut self,
        user: UserId,
        message: ClientMessage,
    ) -> Option<Followup> {
        let ClientMessage::Message {
            content,
            txn_id,
            room,
            reply_to,
            attachments,
        } = message
        else {
            return None;
        };
        let room = self.resolve_room(room.as_deref().unwrap_or(DEFAULT_ROOM));
        let post = Post {
            content,
            reply_to,
            attachments,
        };
        // Text goes straight on; so does a resend, checked the first time.
        if post.attachments.is_empty() || self.knows_txn(user, &room, txn_id.as_deref()) {
            return self.post_message(user, post, txn_id, room);
        }
        Some(Followup::Attach {
            user,
            room,
            txn_id,
            post,
        })
    }

    /// The store's word on `post`'s images, one per attachment in order.
    pub(super) fn attach_found(
        &mut self,
        user: UserId,
        room: String,
        txn_id: Option<String>,
        mut post: Post,
        found: Vec<Option<StoredUpload>>,
    ) {
        if !self.members.contains_key(&user) {
            return;
        }
        let Some(uploads) = found.into_iter().collect::<Option<Vec<_>>>() else {
            let text = "No such image: upload it first".to_owned();
            return self.send_txn_error(user, ErrorCode::NotFound, text, txn_id);
        };
        post.attachments = uploads.iter().map(StoredUpload::attachment).collect();
        // Not a resend (that was settled before asking), so never an echo to fetch.
        if let Some(followup) = self.post_message(user, post, txn_id, room) {
            tracing::warn!(
                ?followup,
                "a checked message asked the store again; dropped"
            );
        }
    }
}

//! Small components, one concern each.

mod account;
mod attachments;
mod composer;
mod conversations;
mod edit;
mod emoji;
mod mentions;
mod messages;
mod moderation;
mod reactions;
mod receipts;
mod replies;
mod rich_text;
mod search;
mod sidebar;

pub use account::AccountMenu;
pub use attachments::{DropZone, Lightbox};
pub use composer::Composer;
pub use conversations::{ConversationView, Conversations};
pub use messages::{MessageList, RoomHeader};
pub use moderation::ModerationNotices;
pub use search::SearchPanel;
pub use sidebar::Sidebar;

use crate::connection::Status;
use confab_shared::UserId;
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: RwSignal<Status>) -> impl IntoView {
    let label = move || match status.get() {
        Status::Connecting => "Connecting…",
        Status::Connected => "Connected",
        Status::Disconnected => "Disconnected",
    };
    let class = move || match status.get() {
        Status::Connecting => "status connecting",
        Status::Connected => "status connected",
        Status::Disconnected => "status disconnected",
    };
    view! {
        <span class=class role="status" data-testid="status">
            <span class="dot" aria-hidden="true"></span>
            <span class="status-label">{label}</span>
        </span>
    }
}

/// A round initial badge whose colour is stable per user.
#[component]
pub fn Avatar(id: UserId, name: String) -> impl IntoView {
    let initial = name
        .chars()
        .next()
        .map(|c| crate::text::upper(c.encode_utf8(&mut [0; 4])))
        .unwrap_or_default();
    let hue = (id.wrapping_mul(137)) % 360;
    view! {
        <span class="avatar" aria-hidden="true" style=format!("--hue: {hue}")>{initial}</span>
    }
}

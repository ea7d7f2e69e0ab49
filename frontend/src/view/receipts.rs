//! Read receipts in the message list: the "new messages" divider, the small
//! avatars of who has read how far, and the `read` we send once the newest
//! message has been on screen.

use super::Avatar;
use crate::app::Ctx;
use crate::browser;
use crate::model::Readers;
use leptos::prelude::*;

/// How many readers' avatars one message shows before "+N".
const MAX_AVATARS: usize = 5;

/// Sends `read` for the current room when its newest message is on screen:
/// the list is at the bottom and the tab is visible. Checked every second, so
/// a reader catching up sends one `read`, not one per message.
pub fn report_reads(ctx: Ctx, at_bottom: RwSignal<bool>) {
    let report = move || {
        let due = at_bottom.get_untracked()
            && !browser::page_hidden()
            && ctx.connected()
            && ctx.chat.with_untracked(|c| c.read_pending());
        if due && let Some(read) = ctx.chat.try_update(|c| c.read_current()).flatten() {
            ctx.connection.send(read);
        }
    };
    if let Ok(tick) = set_interval_with_handle(report, std::time::Duration::from_secs(1)) {
        on_cleanup(move || tick.clear());
    }
}

/// "New messages", above the first message that was unread when the room was
/// opened.
#[component]
pub fn NewDivider(key: u64, divider: Memo<Option<u64>>) -> impl IntoView {
    view! {
        <Show when=move || divider.get() == Some(key)>
            <div class="new-divider" role="separator" data-testid="new-divider">
                <span>"New messages"</span>
            </div>
        </Show>
    }
}

/// The members who have read up to this message (and no further), as small
/// avatars under it.
#[component]
pub fn ReadBy(key: u64, readers: Memo<Readers>) -> impl IntoView {
    let here = Memo::new(move |_| readers.with(|r| r.get(&key).cloned().unwrap_or_default()));
    view! {
        <Show when=move || !here.with(Vec::is_empty)>
            <div class="read-by" data-testid="read-by" title=move || seen_by(&here.get())>
                {move || {
                    let all = here.get();
                    let more = all.len().saturating_sub(MAX_AVATARS);
                    let shown: Vec<_> = all
                        .into_iter()
                        .take(MAX_AVATARS)
                        .map(|(id, name)| view! { <Avatar id name /> })
                        .collect();
                    view! {
                        {shown}
                        {(more > 0).then(|| view! { <span class="more">{format!("+{more}")}</span> })}
                    }
                }}
            </div>
        </Show>
    }
}

/// "Seen by Ann and Bob", for the avatars' tooltip and screen readers.
fn seen_by(readers: &[(confab_shared::UserId, String)]) -> String {
    let names: Vec<&str> = readers.iter().map(|(_, n)| n.as_str()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("Seen by {one}"),
        [rest @ .., last] => format!("Seen by {} and {last}", rest.join(", ")),
    }
}

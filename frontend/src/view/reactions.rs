//! Reactions under a message: a chip per emoji with its count (ours
//! highlighted; a click adds or takes back ours), and a button that offers the
//! quick reactions.

use crate::app::ctx;
use crate::model::{Entry, EntryKind};
use confab_shared::reactions::QUICK_REACTIONS;
use leptos::prelude::*;

#[component]
pub fn Reactions(entry: Entry) -> impl IntoView {
    let ctx = ctx();
    let public = matches!(entry.kind, EntryKind::Public { .. });
    let id = entry.id.filter(|_| public && !entry.deleted)?;
    let me = ctx.chat.with_untracked(|c| c.my_id());
    let picking = RwSignal::new(false);
    let send = move |emoji: &str| {
        let frame = ctx.chat.with_untracked(|c| c.react(id, emoji));
        ctx.connection.send(frame);
        picking.set(false);
    };
    let chips: Vec<_> = entry
        .reactions
        .iter()
        .map(|r| {
            let mine = me.is_some_and(|me| r.user_ids.contains(&me));
            let emoji = r.emoji.clone();
            let label = format!(
                "{} {}, {}",
                r.emoji,
                r.count,
                if mine {
                    "yours: take back"
                } else {
                    "add yours"
                }
            );
            view! {
                <button
                    class="chip"
                    class:mine=mine
                    aria-pressed=mine.to_string()
                    aria-label=label
                    data-testid="reaction"
                    on:click=move |_| send(&emoji)
                >
                    <span class="emoji">{r.emoji.clone()}</span>
                    <span class="tally">{r.count}</span>
                </button>
            }
        })
        .collect();
    Some(view! {
        <div class="reactions">
            {chips}
            <button
                class="chip add"
                aria-label="Add a reaction"
                aria-expanded=move || picking.get().to_string()
                data-testid="add-reaction"
                on:click=move |_| picking.update(|p| *p = !*p)
            >"☺+"</button>
            <Show when=move || picking.get()>
                <div class="palette" role="group" aria-label="Reactions" data-testid="palette">
                    {QUICK_REACTIONS
                        .iter()
                        .map(|emoji| view! {
                            <button class="pick" aria-label=format!("React {emoji}") on:click=move |_| send(emoji)>{*emoji}</button>
                        })
                        .collect::<Vec<_>>()}
                </div>
            </Show>
        </div>
    })
}

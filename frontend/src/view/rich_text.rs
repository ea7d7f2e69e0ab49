//! A message's text as drawn: plain text (escaped by Leptos, as all text is),
//! mentions marked (the viewer's own most of all), and http(s) links that open
//! in a new tab without giving it a handle on this one.

use crate::app::ctx;
use crate::model::{Piece, pieces};
use leptos::prelude::*;

#[component]
pub fn RichText(text: String) -> impl IntoView {
    // As the room is when the message is drawn, like its sender's badge.
    let (names, me) = ctx().chat.with_untracked(|c| {
        let me = c.me.as_ref().map(|m| m.name.clone());
        (c.member_names(&c.current), me)
    });
    pieces(&text, &names, me.as_deref())
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.into_any(),
            Piece::Mention { text, me: true } => {
                view! { <span class="mention me" data-testid="mention-me">{text}</span> }.into_any()
            }
            Piece::Mention { text, me: false } => view! { <span class="mention">{text}</span> }.into_any(),
            Piece::Link(href) => {
                let shown = href.clone();
                view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{shown}</a> }.into_any()
            }
        })
        .collect_view()
}

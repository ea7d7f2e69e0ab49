//! Images: shown in messages at bounded sizes and opened in a lightbox; added to
//! the next message with 📎, by pasting, or by dropping files on the chat.

use crate::app::ctx;
use crate::model::{Tray, TrayItem, TrayState};
use crate::uploads::take_files;
use confab_shared::attachments::{Attachment, ImageType};
use leptos::ev;
use leptos::prelude::*;

/// A message's images. Each keeps its width and height, so the list does not
/// jump when it loads; CSS bounds the size shown.
#[component]
pub fn Attachments(list: Vec<Attachment>) -> impl IntoView {
    let lightbox = ctx().lightbox;
    (!list.is_empty()).then(|| {
        let images = list.into_iter().map(|image| {
            let (url, width, height) = (image.url.clone(), image.width, image.height);
            // A set width and ratio (not a percentage of a size the image would
            // give itself) so the bubble fits the preview, not the original.
            let (shown, _) = preview_size(width, height);
            let style = format!("width:{shown}px;aspect-ratio:{width}/{height}");
            let open = move |_| lightbox.set(Some(image.clone()));
            view! {
                <button type="button" class="attachment" aria-label="Open image" on:click=open>
                    <img src=url width=width height=height style=style loading="lazy" alt="Image" data-testid="attachment" />
                </button>
            }
        });
        view! { <div class="attachments">{images.collect_view()}</div> }
    })
}

/// The most a preview takes in the list, in CSS pixels.
const PREVIEW_MAX: (u32, u32) = (320, 240);

/// An image's preview size: its own, scaled down to fit [`PREVIEW_MAX`].
fn preview_size(width: u32, height: u32) -> (u32, u32) {
    let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let scale = (f64::from(PREVIEW_MAX.0) / w)
        .min(f64::from(PREVIEW_MAX.1) / h)
        .min(1.0);
    (
        (w * scale).round().max(1.0) as u32,
        (h * scale).round().max(1.0) as u32,
    )
}

/// One image over everything, as large as the window allows; a click or
/// Escape closes it.
#[component]
pub fn Lightbox() -> impl IntoView {
    let lightbox = ctx().lightbox;
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "Escape" && lightbox.with_untracked(Option::is_some) {
            lightbox.set(None);
        }
    });
    on_cleanup(move || handle.remove());
    move || {
        lightbox.get().map(|image| {
            view! {
                <div class="lightbox" role="dialog" aria-modal="true" aria-label="Image" data-testid="lightbox"
                    on:click=move |_| lightbox.set(None)>
                    <img src=image.url.clone() width=image.width height=image.height alt="Image" />
                    <a class="original" href=image.url target="_blank" rel="noopener noreferrer"
                        on:click=|ev| ev.stop_propagation()>"Open original"</a>
                    <button type="button" class="close" aria-label="Close image">"✕"</button>
                </div>
            }
        })
    }
}

/// 📎: picks image files. Offered to accounts in rooms (images are not for
/// private messages).
#[component]
pub fn AttachButton() -> impl IntoView {
    let ctx = ctx();
    let input = NodeRef::<leptos::html::Input>::new();
    let offered = Memo::new(move |_| {
        ctx.chat
            .with(|c| c.private_to.is_none() && c.me.as_ref().is_some_and(|m| m.signed_in))
    });
    let accept = ImageType::ALL.map(ImageType::mime).join(",");
    let picked = move |_| {
        if let Some(el) = input.get_untracked() {
            if let Some(files) = el.files() {
                take_files(ctx, files);
            }
            el.set_value("");
        }
    };
    view! {
        <Show when=move || offered.get()>
            <input type="file" class="visually-hidden" accept=accept.clone() multiple tabindex="-1"
                aria-hidden="true" data-testid="attach-input" node_ref=input on:change=picked />
            <button type="button" class="attach" title="Attach images" aria-label="Attach images"
                on:click=move |_| { if let Some(el) = input.get_untracked() { el.click(); } }>"📎"</button>
        </Show>
    }
}

/// The images waiting to go with the next message.
#[component]
pub fn TrayView() -> impl IntoView {
    let tray = ctx().tray;
    move || {
        tray.with(|t| {
            (!t.items.is_empty()).then(|| {
                let items = t.items.iter().cloned().map(tray_item).collect_view();
                view! { <ul class="tray" aria-label="Images to send" data-testid="tray">{items}</ul> }
            })
        })
    }
}

fn tray_item(item: TrayItem) -> impl IntoView {
    let tray = ctx().tray;
    let key = item.key;
    let remove = move |_| tray.update(|t: &mut Tray| t.remove(key));
    let (class, shown) = match item.state {
        TrayState::Uploading => (
            "tray-item uploading",
            view! { <span class="spinner" aria-label="Uploading"></span> }.into_any(),
        ),
        TrayState::Ready(image) => (
            "tray-item",
            view! { <img src=image.url alt="" /> }.into_any(),
        ),
        TrayState::Failed(reason) => (
            "tray-item failed",
            view! { <span role="alert">{reason}</span> }.into_any(),
        ),
    };
    view! {
        <li class=class title=item.name.clone()>
            {shown}
            <button type="button" class="remove" aria-label=format!("Remove {}", item.name) on:click=remove>"✕"</button>
        </li>
    }
}

/// Takes files dropped on the chat. While they are over it, `dropping` is set
/// (the chat shows a dashed edge); entering and leaving its children are
/// counted, so the edge does not flicker.
#[derive(Clone, Copy)]
pub struct DropZone {
    pub dropping: RwSignal<bool>,
    depth: RwSignal<i32>,
}

impl DropZone {
    pub fn new() -> Self {
        Self {
            dropping: RwSignal::new(false),
            depth: RwSignal::new(0),
        }
    }

    pub fn enter(self, ev: ev::DragEvent) {
        if has_files(&ev) {
            ev.prevent_default();
            self.depth.update(|d| *d += 1);
            self.dropping.set(true);
        }
    }

    /// Saying "a drop is welcome here" is what makes the browser allow it.
    pub fn over(self, ev: ev::DragEvent) {
        if has_files(&ev) {
            ev.prevent_default();
        }
    }

    pub fn leave(self) {
        self.depth.update(|d| *d = (*d - 1).max(0));
        if self.depth.get_untracked() == 0 {
            self.dropping.set(false);
        }
    }

    pub fn drop(self, ev: ev::DragEvent) {
        self.depth.set(0);
        self.dropping.set(false);
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            ev.prevent_default();
            take_files(ctx(), files);
        }
    }
}

fn has_files(ev: &ev::DragEvent) -> bool {
    (ev.data_transfer()).is_some_and(|d| d.types().includes(&"Files".into(), 0))
}

#[cfg(test)]
mod tests {
    use super::preview_size;

    #[test]
    fn previews_fit_the_box_and_keep_their_shape() {
        assert_eq!(preview_size(640, 400), (320, 200));
        assert_eq!(preview_size(400, 1200), (80, 240));
        assert_eq!(
            preview_size(100, 50),
            (100, 50),
            "small images are not blown up"
        );
        assert_eq!(preview_size(16_384, 1), (320, 1));
    }
}

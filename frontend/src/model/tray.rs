//! Images waiting beside the composer: each is uploading, ready to go with the
//! next message, or failed with the reason. Sending takes the ready ones.

use confab_shared::attachments::{Attachment, ImageType, MAX_ATTACHMENTS};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayState {
    Uploading,
    Ready(Attachment),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayItem {
    /// Stable render key.
    pub key: u64,
    /// The file's name, as the sender knows it (shown only to the sender).
    pub name: String,
    pub state: TrayState,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tray {
    pub items: Vec<TrayItem>,
    next_key: u64,
}

impl Tray {
    /// Takes a file for upload: its key, or why not (shown in the tray, so the
    /// sender sees what happened to each file dropped).
    pub fn add(&mut self, name: &str, mime: &str) -> Option<u64> {
        self.next_key += 1;
        let key = self.next_key;
        let state = if self.items.len() >= MAX_ATTACHMENTS {
            TrayState::Failed(format!("At most {MAX_ATTACHMENTS} images a message"))
        } else if ImageType::from_mime(mime).is_none() {
            TrayState::Failed("Only PNG, JPEG, GIF and WebP images".into())
        } else {
            TrayState::Uploading
        };
        let accepted = state == TrayState::Uploading;
        self.items.push(TrayItem {
            key,
            name: name.to_owned(),
            state,
        });
        accepted.then_some(key)
    }

    /// A file refused before it was even tried (a guest's, say).
    pub fn refuse(&mut self, name: &str, reason: &str) {
        self.next_key += 1;
        self.items.push(TrayItem {
            key: self.next_key,
            name: name.to_owned(),
            state: TrayState::Failed(reason.to_owned()),
        });
    }

    /// The upload of `key` ended. It may have been taken out meanwhile.
    pub fn finished(&mut self, key: u64, outcome: Result<Attachment, String>) {
        if let Some(item) = self.items.iter_mut().find(|i| i.key == key) {
            item.state = match outcome {
                Ok(attachment) => TrayState::Ready(attachment),
                Err(reason) => TrayState::Failed(reason),
            };
        }
    }

    pub fn remove(&mut self, key: u64) {
        self.items.retain(|i| i.key != key);
    }

    pub fn uploading(&self) -> bool {
        (self.items.iter()).any(|i| i.state == TrayState::Uploading)
    }

    pub fn ready(&self) -> Vec<Attachment> {
        (self.items.iter())
            .filter_map(|i| match &i.state {
                TrayState::Ready(a) => Some(a.clone()),
                _ => None,
            })
            .collect()
    }

    /// Sent: the ready images went with the message, and the failed ones'
    /// reasons have been read.
    pub fn sent(&mut self) {
        self.items.retain(|i| i.state == TrayState::Uploading);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(n: u32) -> Attachment {
        Attachment {
            url: format!("/uploads/{n:032x}.png"),
            width: n,
            height: n,
        }
    }

    #[test]
    fn images_wait_for_their_upload_and_go_with_the_next_message() {
        let mut tray = Tray::default();
        let a = tray.add("a.png", "image/png").unwrap();
        let b = tray.add("b.jpg", "image/jpeg").unwrap();
        assert!(tray.uploading());
        tray.finished(a, Ok(image(1)));
        tray.finished(b, Err("too big".into()));
        assert!(!tray.uploading());
        assert_eq!(tray.ready(), vec![image(1)]);
        tray.sent();
        assert!(tray.items.is_empty());
    }

    #[test]
    fn what_is_no_image_or_one_too_many_is_refused_at_once() {
        let mut tray = Tray::default();
        assert_eq!(tray.add("notes.txt", "text/plain"), None);
        assert_eq!(tray.add("x.svg", "image/svg+xml"), None);
        assert!(matches!(tray.items[0].state, TrayState::Failed(_)));
        for n in 2..MAX_ATTACHMENTS {
            assert!(tray.add(&format!("{n}.png"), "image/png").is_some());
        }
        assert_eq!(tray.add("last.png", "image/png"), None);
    }

    #[test]
    fn an_upload_taken_out_while_it_ran_stays_out() {
        let mut tray = Tray::default();
        let a = tray.add("a.png", "image/png").unwrap();
        tray.remove(a);
        tray.finished(a, Ok(image(1)));
        assert!(tray.ready().is_empty() && tray.items.is_empty());
    }
}

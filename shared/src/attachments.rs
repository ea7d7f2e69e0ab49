//! Images attached to messages.
//!
//! `POST /api/uploads` (accounts only) takes the image's bytes as the body and
//! answers an [`Attachment`] with status 201. A `message` then carries up to
//! [`MAX_ATTACHMENTS`] of them in `attachments`, and everyone in the room gets
//! them back on the message and in history.
//!
//! An attachment may only name a file this server stores: a relative
//! `/uploads/<id>.<ext>` path ([`parse_upload_url`]). So a message can never make
//! the readers' browsers fetch from another host (no tracking pixels), and the
//! url is never markup.

use serde::{Deserialize, Serialize};

/// Where stored uploads are served from.
pub const UPLOADS_PATH: &str = "/uploads/";
/// `POST` here to upload.
pub const UPLOAD_ENDPOINT: &str = "/api/uploads";
/// Most attachments one message carries.
pub const MAX_ATTACHMENTS: usize = 10;
/// Largest upload by default, in bytes (`--max-upload`).
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;
/// Widest or tallest image taken, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// Most pixels an image may have: a small file can claim a huge canvas, and every
/// reader's browser would have to decode it.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;

/// An uploaded image: where it is served, and its size, so a reader's client can
/// leave it room before it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The image types taken, recognised by their bytes rather than their name or
/// declared type. Each is one a browser shows in an `<img>` and none can run
/// script (SVG is left out for that reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageType {
    pub const ALL: [ImageType; 4] = [Self::Png, Self::Jpeg, Self::Gif, Self::Webp];

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.extension() == ext)
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.mime() == mime)
    }
}

/// Length of an upload's id: 32 lowercase hex digits (128 random bits).
pub const UPLOAD_ID_LEN: usize = 32;

/// The url an upload is served at.
pub fn upload_url(id: &str, kind: ImageType) -> String {
    format!("{UPLOADS_PATH}{id}.{}", kind.extension())
}

/// The id and type a `/uploads/<id>.<ext>` url names, or `None` for anything
/// else: another host, another path, a wrong id or extension.
pub fn parse_upload_url(url: &str) -> Option<(&str, ImageType)> {
    let file = url.strip_prefix(UPLOADS_PATH)?;
    let (id, ext) = file.split_once('.')?;
    let id_ok = id.len() == UPLOAD_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    id_ok.then_some(())?;
    Some((id, ImageType::from_extension(ext)?))
}

/// Whether an image of this size is taken.
pub fn dimensions_ok(width: u32, height: u32) -> bool {
    (1..=MAX_IMAGE_SIDE).contains(&width)
        && (1..=MAX_IMAGE_SIDE).contains(&height)
        && u64::from(width) * u64::from(height) <= MAX_IMAGE_PIXELS
}

/// Checks a message's attachments: at most [`MAX_ATTACHMENTS`], each naming an
/// upload of this server with a size that could be one.
pub fn validate_attachments(attachments: &[Attachment]) -> Result<(), String> {
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(format!("at most {MAX_ATTACHMENTS} attachments"));
    }
    for attachment in attachments {
        if parse_upload_url(&attachment.url).is_none() {
            return Err(format!(
                "an attachment's url is an upload of this server ({UPLOADS_PATH}...)"
            ));
        }
        if !dimensions_ok(attachment.width, attachment.height) {
            return Err("an attachment's width and height are out of range".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn only_this_servers_upload_urls_are_attachments() {
        let url = upload_url(ID, ImageType::Png);
        assert_eq!(url, format!("/uploads/{ID}.png"));
        assert_eq!(parse_upload_url(&url), Some((ID, ImageType::Png)));
        for bad in [
            format!("https://evil.example/uploads/{ID}.png"),
            format!("//evil.example/uploads/{ID}.png"),
            format!("/uploads/{ID}.svg"),
            format!("/uploads/{ID}.png.html"),
            format!("/uploads/{}.png", ID.to_uppercase()),
            format!("/uploads/../{ID}.png"),
            "/uploads/abc.png".to_owned(),
            "javascript:alert(1)".to_owned(),
        ] {
            assert_eq!(parse_upload_url(&bad), None, "{bad}");
        }
    }

    #[test]
    fn attachments_are_counted_and_sized() {
        let one = Attachment {
            url: upload_url(ID, ImageType::Jpeg),
            width: 640,
            height: 480,
        };
        assert!(validate_attachments(&vec![one.clone(); MAX_ATTACHMENTS]).is_ok());
        assert!(validate_attachments(&vec![one.clone(); MAX_ATTACHMENTS + 1]).is_err());
        for (width, height) in [(0, 10), (10, 0), (MAX_IMAGE_SIDE + 1, 1), (10_000, 10_000)] {
            let sized = Attachment {
                width,
                height,
                ..one.clone()
            };
            assert!(validate_attachments(&[sized]).is_err(), "{width}x{height}");
        }
    }
}

//! What an upload is, judged by its bytes alone: its declared type and its name
//! are whatever the sender says, so neither is consulted.

use confab_shared::attachments::{ImageType, dimensions_ok};
use thiserror::Error;

/// An image that may be kept: its type and size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Image {
    pub kind: ImageType,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum Refused {
    #[error("not an image of a type taken (PNG, JPEG, GIF or WebP)")]
    NotAnImage,
    /// Its header says so, but not even its size can be read from it.
    #[error("the image is damaged: its size cannot be read")]
    Damaged,
    #[error("the image is {width}×{height} pixels, larger than allowed")]
    TooManyPixels { width: u64, height: u64 },
}

/// Reads the type and size from the image's header with `imagesize`, which
/// decodes no pixels: cheap even for 10 MB. Only PNG, JPEG, GIF and WebP are
/// compiled in, so anything else (SVG, HTML, a script) is [`Refused::NotAnImage`].
pub fn inspect(bytes: &[u8]) -> Result<Image, Refused> {
    let kind = match imagesize::image_type(bytes).map_err(|_| Refused::NotAnImage)? {
        imagesize::ImageType::Png => ImageType::Png,
        imagesize::ImageType::Jpeg => ImageType::Jpeg,
        imagesize::ImageType::Gif => ImageType::Gif,
        imagesize::ImageType::Webp => ImageType::Webp,
        _ => return Err(Refused::NotAnImage),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| Refused::Damaged)?;
    let (width, height) = (size.width as u64, size.height as u64);
    let fits = |n: u64| u32::try_from(n).ok();
    match (fits(width), fits(height)) {
        (Some(w), Some(h)) if dimensions_ok(w, h) => Ok(Image {
            kind,
            width: w,
            height: h,
        }),
        _ if width == 0 || height == 0 => Err(Refused::Damaged),
        _ => Err(Refused::TooManyPixels { width, height }),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid 3×2 PNG header (signature and IHDR); `imagesize` reads no further.
    pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    #[test]
    fn images_are_known_by_their_bytes() {
        let image = inspect(&png(3, 2)).unwrap();
        assert_eq!(
            (image.kind, image.width, image.height),
            (ImageType::Png, 3, 2)
        );
        let gif = b"GIF89a\x05\x00\x07\x00\x00\x00\x00;";
        let image = inspect(gif).unwrap();
        assert_eq!(
            (image.kind, image.width, image.height),
            (ImageType::Gif, 5, 7)
        );
    }

    #[test]
    fn what_only_claims_to_be_an_image_is_refused() {
        let html = b"<html><script>alert(1)</script></html>";
        assert_eq!(inspect(html), Err(Refused::NotAnImage));
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
        assert_eq!(inspect(svg), Err(Refused::NotAnImage));
        assert_eq!(inspect(b""), Err(Refused::NotAnImage));
        // A PNG cut off before its size: refused, whichever way it is read.
        assert!(inspect(&png(3, 2)[..18]).is_err());
    }

    #[test]
    fn a_small_file_cannot_claim_a_huge_canvas() {
        assert!(matches!(
            inspect(&png(100_000, 100_000)),
            Err(Refused::TooManyPixels { .. })
        ));
        assert!(matches!(
            inspect(&png(10_000, 10_000)),
            Err(Refused::TooManyPixels { .. })
        ));
        assert_eq!(inspect(&png(0, 5)), Err(Refused::Damaged));
    }
}

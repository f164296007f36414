//! Attached files: what may be uploaded, and what a report keeps of each.
//!
//! The bytes live in a blob store; a report keeps only the [`Attachment`] (name, type, size) in
//! the timeline entry it came with, so an attachment is shown, or hidden, exactly as that entry.

use serde::{Deserialize, Serialize};

use crate::ids::AttachmentId;

/// The largest file accepted: 2 MiB.
pub const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// The most attachments one submission, follow-up or reply may carry.
pub const MAX_PER_MESSAGE: usize = 5;

/// The file types accepted: photos, documents and short videos.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContentType {
    /// `image/jpeg`.
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// `image/png`.
    #[serde(rename = "image/png")]
    Png,
    /// `image/webp`.
    #[serde(rename = "image/webp")]
    Webp,
    /// `application/pdf`.
    #[serde(rename = "application/pdf")]
    Pdf,
    /// `video/mp4`.
    #[serde(rename = "video/mp4")]
    Mp4,
}

impl ContentType {
    /// Every accepted type.
    pub const ALL: [ContentType; 5] = [Self::Jpeg, Self::Png, Self::Webp, Self::Pdf, Self::Mp4];

    /// The media type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
            Self::Mp4 => "video/mp4",
        }
    }

    /// Parses a media type (case-insensitive, parameters such as `; charset` not allowed: the
    /// upload must send exactly this value).
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(raw.trim()))
            .ok_or_else(|| {
                let allowed: Vec<&str> = Self::ALL.iter().map(|t| t.as_str()).collect();
                format!("must be one of {}", allowed.join(", "))
            })
    }

    /// The type the file's first bytes (its magic number) show, if it is an accepted one.
    pub fn sniff(first_bytes: &[u8]) -> Option<Self> {
        let found = infer::get(first_bytes)?;
        Self::parse(found.mime_type()).ok()
    }

    /// How many first bytes [`ContentType::sniff`] needs to recognise every accepted type.
    pub const SNIFF_BYTES: u64 = 64;

    /// The file-name extensions of the type, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Png => &["png"],
            Self::Webp => &["webp"],
            Self::Pdf => &["pdf"],
            Self::Mp4 => &["mp4"],
        }
    }
}

/// The most characters a file name may have.
const NAME_MAX: usize = 255;

/// The most characters an extension has: after the last dot, letters and digits only. Anything
/// else after a dot (`Laporan v1.2 final`) is part of the name.
const EXTENSION_MAX: usize = 10;

/// A file's name as the uploader gave it, shown to those who see the report and, ending in the
/// extension of the file's real type, offered as the download's name: 1 to 255 characters, no
/// path separators, quotes or control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FileName(String);

serde_by_parse!(FileName, String, |raw: String| Self::parse(&raw));
schema_by_hand!(
    FileName,
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(Some(1))
        .max_length(Some(255))
        .pattern(Some(crate::schema::without_controls(r#"\t\n\r/\\""#)))
        .description(Some(
            "A file's name as the uploader gave it: 1 to 255 characters once trimmed, kept in \
             Unicode NFC, without path separators (`/`, `\\`), quotes, control characters or \
             bidirectional controls (U+202A to U+202E, U+2066 to U+2069), not of invisible \
             characters only, and not `.` or `..`. A download is saved under this name ending \
             in the extension of the file's real type (`evil.html` checked to be a PNG saves \
             as `evil.png`)."
        ))
        .examples([serde_json::json!("foto.png")])
        .build()
);

impl FileName {
    /// Parses a file name, by the rule every text a person sends goes through (NFC, no
    /// bidirectional controls, not invisible only: an override would show `gnp.exe` as
    /// `exe.png`) and a file name's own.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = crate::fields::plain_text(raw)?.text;
        if name.is_empty() {
            return Err("must not be empty".to_string());
        }
        if name.chars().count() > NAME_MAX {
            return Err(format!("must be at most {NAME_MAX} characters long"));
        }
        if name == "." || name == ".." {
            return Err("must be a file name".to_string());
        }
        if name
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\' | '"'))
        {
            return Err(
                "must not contain path separators, quotes or control characters".to_string(),
            );
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name to save the file under: this name, ending in an extension of `real`, the type
    /// its bytes were checked to be, since the saved file is opened by its extension. A name
    /// that ends so already is kept; another extension is replaced (`evil.html` stored as a PNG
    /// saves as `evil.png`) rather than followed by the right one: where extensions are hidden
    /// (Windows' default), `evil.html.png` would show as `evil.html`, a type the file is not. A
    /// name without an extension gets one. Trailing dots and spaces go first, as Windows drops
    /// them on saving (`evil.html.` would save as `evil.html`).
    pub fn for_download(&self, real: ContentType) -> FileName {
        let name = self.0.trim_end_matches(['.', ' ']);
        let stem = match name.rsplit_once('.') {
            Some((stem, extension)) if is_extension(extension) => {
                if real
                    .extensions()
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(extension))
                {
                    return Self(name.to_string());
                }
                stem.trim_end_matches(['.', ' '])
            }
            _ => name,
        };
        let extension = real.extensions()[0];
        let room = NAME_MAX - 1 - extension.len();
        let stem: String = stem.chars().take(room).collect();
        let stem = match stem.trim_end_matches(['.', ' ']) {
            "" => "attachment",
            kept => kept,
        };
        Self(format!("{stem}.{extension}"))
    }
}

/// True for what follows a name's last dot when it is an extension: 1 to
/// [`EXTENSION_MAX`] ASCII letters and digits.
fn is_extension(text: &str) -> bool {
    (1..=EXTENSION_MAX).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Checks a declared size: 1 byte to [`MAX_BYTES`].
pub fn check_size(size: u64) -> Result<u64, SizeError> {
    match size {
        0 => Err(SizeError::Empty),
        s if s > MAX_BYTES => Err(SizeError::TooLarge),
        s => Ok(s),
    }
}

/// What is wrong with a declared size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeError {
    /// Nothing to upload.
    Empty,
    /// Over [`MAX_BYTES`].
    TooLarge,
}

impl SizeError {
    /// The message a person needs.
    pub fn message(self) -> String {
        match self {
            Self::Empty => "must be at least 1 byte".to_string(),
            Self::TooLarge => format!("must be at most {MAX_BYTES} bytes (2 MiB)"),
        }
    }
}

/// An uploaded file that came with a submission, follow-up or reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    /// The name the uploader gave.
    pub filename: FileName,
    /// Its type, checked against its bytes.
    pub content_type: ContentType,
    /// Its size in bytes, checked against the stored object.
    pub size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_accepted_type_is_recognised_by_its_magic_number() {
        let samples: [(&[u8], ContentType); 5] = [
            (
                &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'],
                ContentType::Jpeg,
            ),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ContentType::Png),
            (b"RIFF\x24\0\0\0WEBPVP8 ", ContentType::Webp),
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", ContentType::Pdf),
            (b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom", ContentType::Mp4),
        ];
        for (bytes, expected) in samples {
            assert_eq!(ContentType::sniff(bytes), Some(expected), "{expected:?}");
        }
        assert_eq!(ContentType::sniff(b"<html><script>"), None);
        assert_eq!(
            ContentType::sniff(b"MZ\x90\0\x03\0\0\0"),
            None,
            "an executable"
        );
    }

    #[test]
    fn only_the_listed_types_parse() {
        assert_eq!(ContentType::parse("IMAGE/PNG"), Ok(ContentType::Png));
        assert!(ContentType::parse("text/html").is_err());
        assert!(ContentType::parse("image/png; x=1").is_err());
    }

    #[test]
    fn sizes_run_from_one_byte_to_two_mebibytes() {
        assert_eq!(check_size(0), Err(SizeError::Empty));
        assert_eq!(check_size(MAX_BYTES), Ok(MAX_BYTES));
        assert_eq!(check_size(MAX_BYTES + 1), Err(SizeError::TooLarge));
    }

    #[test]
    fn a_download_is_named_for_the_type_its_bytes_are() {
        let saved = |name: &str, real| FileName::parse(name).unwrap().for_download(real).0;
        assert_eq!(saved("evil.html", ContentType::Png), "evil.png");
        assert_eq!(saved("evil.HTML.", ContentType::Png), "evil.png");
        assert_eq!(saved("evil.html . .", ContentType::Png), "evil.png");
        assert_eq!(saved("foto.PNG", ContentType::Png), "foto.PNG");
        assert_eq!(saved("foto.jpeg", ContentType::Jpeg), "foto.jpeg");
        assert_eq!(saved("foto.png", ContentType::Jpeg), "foto.jpg");
        assert_eq!(saved("surat", ContentType::Pdf), "surat.pdf");
        assert_eq!(
            saved("Laporan v1.2 final", ContentType::Pdf),
            "Laporan v1.2 final.pdf",
            "what follows a dot is an extension only when it looks like one"
        );
        assert_eq!(saved(".html", ContentType::Png), "attachment.png");
        assert_eq!(saved("...", ContentType::Png), "attachment.png");
        assert_eq!(saved("video.exe", ContentType::Mp4), "video.mp4");
        let long = format!("{}.html", "a".repeat(250));
        let kept = saved(&long, ContentType::Webp);
        assert_eq!(kept.chars().count(), 255, "still a file name");
        assert!(kept.ends_with("a.webp"));
        for real in ContentType::ALL {
            assert!(saved("x.html", real).ends_with(&format!(".{}", real.extensions()[0])));
        }
    }

    #[test]
    fn file_names_are_refused_with_bidi_controls_or_nothing_visible() {
        assert_eq!(
            FileName::parse("foto\u{202E}gnp.exe").unwrap_err(),
            "must not contain bidirectional control characters"
        );
        assert_eq!(
            FileName::parse("\u{200B}\u{FEFF}").unwrap_err(),
            "must not be empty (invisible characters do not count)"
        );
        assert_eq!(
            FileName::parse("Cafe\u{301}.png").unwrap().as_str(),
            "Caf\u{E9}.png",
            "kept in NFC"
        );
    }

    #[test]
    fn file_names_cannot_reach_outside_or_break_headers() {
        assert!(FileName::parse("foto jalan.jpg").is_ok());
        for bad in [
            "", "  ", "..", "a/b.jpg", "a\\b.jpg", "a\"b.jpg", "a\nb.jpg",
        ] {
            assert!(FileName::parse(bad).is_err(), "{bad:?}");
        }
    }
}

//! Photos without what they tell of whoever took them. A phone writes into each photo where it
//! was taken (EXIF's GPS), when, on which device, often the owner's name; an editor adds XMP and
//! comments. In an anonymous report's photo that would name the reporter, so the kept copy of an
//! attached JPEG, PNG or WebP keeps its pixels and how to show them (colour profile, density,
//! transparency), and nothing else: of EXIF only the orientation, without which a phone's photo
//! would show on its side.

mod jpeg;

use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use crate::attachment::ContentType;

/// Why a photo could not be cleaned: its container could not be read, so what it holds cannot
/// be told.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the photo could not be read: {0}")]
pub struct Unreadable(String);

/// The file without its metadata, for the types that carry it; other types are kept as sent
/// (`None`).
pub fn without_metadata(
    content_type: ContentType,
    bytes: &[u8],
) -> Option<Result<Vec<u8>, Unreadable>> {
    let cleaned = match content_type {
        ContentType::Jpeg => jpeg::rewrite(bytes, |exif| {
            orientation_only(exif.map(Bytes::copy_from_slice)).map(|b| b.to_vec())
        })
        .map_err(|e| Unreadable(e.to_string())),
        ContentType::Png => {
            png(Bytes::copy_from_slice(bytes)).map_err(|e| Unreadable(e.to_string()))
        }
        ContentType::Webp => {
            webp(Bytes::copy_from_slice(bytes)).map_err(|e| Unreadable(e.to_string()))
        }
        ContentType::Pdf | ContentType::Mp4 => return None,
    };
    Some(cleaned)
}

/// An EXIF block holding the orientation alone (a big-endian TIFF header, one IFD of one
/// SHORT entry, no next IFD), or none when the photo is upright.
fn orientation_only(exif: Option<Bytes>) -> Option<Bytes> {
    let orientation = exif
        .and_then(|raw| exif::Reader::new().read_raw(raw.to_vec()).ok())
        .and_then(|parsed| {
            parsed
                .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|field| field.value.get_uint(0))
        })
        .filter(|o| (2..=8).contains(o))?;
    let value = u8::try_from(orientation).ok()?;
    let mut block = Vec::with_capacity(26);
    block.extend_from_slice(b"MM\x00\x2a\x00\x00\x00\x08"); // TIFF, IFD0 at 8
    block.extend_from_slice(&[0x00, 0x01]); // one entry
    block.extend_from_slice(&[0x01, 0x12, 0x00, 0x03]); // Orientation, SHORT
    block.extend_from_slice(&[0x00, 0x00, 0x00, 0x01]); // one value
    block.extend_from_slice(&[0x00, value, 0x00, 0x00]); // the value, left-justified
    block.extend_from_slice(&[0x00, 0x00, 0x00, 0x00]); // no next IFD
    Some(Bytes::from(block))
}

/// The PNG chunks that make the picture and how it shows (colour, density, transparency,
/// background, animation); any other goes: EXIF (`eXIf`), text of every kind (`tEXt`, `zTXt`,
/// `iTXt`, which holds XMP), the time (`tIME`), provenance (`caBX`), private chunks.
const PNG_PICTURE: [[u8; 4]; 16] = [
    *b"IHDR", *b"PLTE", *b"IDAT", *b"IEND", *b"tRNS", *b"gAMA", *b"cHRM", *b"sRGB", *b"iCCP",
    *b"sBIT", *b"pHYs", *b"bKGD", *b"cICP", *b"acTL", *b"fcTL", *b"fdAT",
];

fn png(bytes: Bytes) -> Result<Vec<u8>, img_parts::Error> {
    let mut image = Png::from_bytes(bytes)?;
    let orientation = orientation_only(image.exif());
    image
        .chunks_mut()
        .retain(|chunk| PNG_PICTURE.contains(&chunk.kind()));
    image.set_exif(orientation);
    Ok(image.encoder().bytes().to_vec())
}

/// The WebP chunks that make the picture (lossy or lossless data, its header, alpha, animation,
/// colour profile); any other goes: `EXIF`, `XMP `, unknown ones. Setting EXIF again rewrites
/// the header's flags.
const WEBP_PICTURE: [[u8; 4]; 7] = [
    *b"VP8 ", *b"VP8L", *b"VP8X", *b"ALPH", *b"ANIM", *b"ANMF", *b"ICCP",
];

fn webp(bytes: Bytes) -> Result<Vec<u8>, img_parts::Error> {
    let mut image = WebP::from_bytes(bytes)?;
    let orientation = orientation_only(image.exif());
    image
        .chunks_mut()
        .retain(|chunk| WEBP_PICTURE.contains(&chunk.id()));
    image.set_exif(orientation);
    Ok(image.encoder().bytes().to_vec())
}

/// Tiny valid photos of each type, for tests and fuzz seeds.
pub mod samples {
    /// A 1×1 baseline JPEG (JFIF, quantisation and Huffman tables, one scan).
    pub const JPEG: &[u8] = &[
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xDB, 0x00, 0x43, 0x00, 0x03, 0x02, 0x02, 0x02, 0x02,
        0x02, 0x03, 0x02, 0x02, 0x02, 0x03, 0x03, 0x03, 0x03, 0x04, 0x06, 0x04, 0x04, 0x04, 0x04,
        0x04, 0x08, 0x06, 0x06, 0x05, 0x06, 0x09, 0x08, 0x0A, 0x0A, 0x09, 0x08, 0x09, 0x09, 0x0A,
        0x0C, 0x0F, 0x0C, 0x0A, 0x0B, 0x0E, 0x0B, 0x09, 0x09, 0x0D, 0x11, 0x0D, 0x0E, 0x0F, 0x10,
        0x10, 0x11, 0x10, 0x0A, 0x0C, 0x12, 0x13, 0x12, 0x10, 0x13, 0x0F, 0x10, 0x10, 0x10, 0xFF,
        0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xC4, 0x00,
        0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x09, 0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xDA, 0x00, 0x08,
        0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x2A, 0x9F, 0xFF, 0xD9,
    ];

    /// A lossless 1×1 WebP.
    pub const WEBP: &[u8] = &[
        0x52, 0x49, 0x46, 0x46, 0x1A, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38,
        0x4C, 0x0D, 0x00, 0x00, 0x00, 0x2F, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88,
        0x88, 0xFE, 0x07, 0x00,
    ];

    /// A 1×1 PNG (RGBA).
    pub const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
}

#[cfg(test)]
mod tests {
    use img_parts::jpeg::{Jpeg, markers};

    use super::samples::{JPEG, PNG, WEBP};
    use super::*;

    /// An EXIF block with a position (GPS latitude), the owner's name and an orientation.
    fn revealing_exif(orientation: u16) -> Vec<u8> {
        use exif::experimental::Writer;
        use exif::{Field, In, Rational, Tag, Value};
        let fields = [
            Field {
                tag: Tag::Orientation,
                ifd_num: In::PRIMARY,
                value: Value::Short(vec![orientation]),
            },
            Field {
                tag: Tag::Artist,
                ifd_num: In::PRIMARY,
                value: Value::Ascii(vec![b"Siti Aminah".to_vec()]),
            },
            Field {
                tag: Tag::GPSLatitude,
                ifd_num: In::PRIMARY,
                value: Value::Rational(vec![
                    Rational { num: 6, denom: 1 },
                    Rational { num: 12, denom: 1 },
                    Rational {
                        num: 3456,
                        denom: 100,
                    },
                ]),
            },
        ];
        let mut writer = Writer::new();
        for field in &fields {
            writer.push_field(field);
        }
        let mut out = std::io::Cursor::new(Vec::new());
        writer.write(&mut out, false).unwrap();
        out.into_inner()
    }

    /// `JPEG` with EXIF (GPS, artist, orientation), XMP, a comment and IPTC added.
    fn revealing_jpeg(orientation: u16) -> Vec<u8> {
        let mut image = Jpeg::from_bytes(Bytes::from_static(JPEG)).unwrap();
        image.set_exif(Some(Bytes::from(revealing_exif(orientation))));
        let segment = img_parts::jpeg::JpegSegment::new_with_contents;
        let xmp = [
            &b"http://ns.adobe.com/xap/1.0/\0"[..],
            b"<x:xmpmeta>Siti Aminah</x:xmpmeta>",
        ]
        .concat();
        let extra = [
            segment(markers::APP1, Bytes::from(xmp)),
            segment(
                markers::COM,
                Bytes::from_static(b"diambil di rumah Siti Aminah"),
            ),
            segment(
                markers::APP13,
                Bytes::from_static(b"Photoshop 3.0\0Siti Aminah"),
            ),
        ];
        for (i, s) in extra.into_iter().enumerate() {
            image.segments_mut().insert(2 + i, s);
        }
        let header = image.encoder().bytes().to_vec();
        // After the scan, before the end, another XMP (as between a progressive image's
        // scans); after the end, another picture with its own EXIF (the multi-picture format).
        let end = header.len() - 2;
        let seg = |marker: u8, body: &[u8]| {
            [
                &[0xFF, marker][..],
                &((body.len() + 2) as u16).to_be_bytes(),
                body,
            ]
            .concat()
        };
        let late_xmp = seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0Siti");
        let trailer = [
            &[0xFF, 0xD8][..],
            &seg(0xE1, b"Exif\0\0Aminah"),
            &[0xFF, 0xD9],
        ]
        .concat();
        [&header[..end], &late_xmp, &header[end..], &trailer].concat()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_jpeg_keeps_its_picture_and_orientation_and_nothing_of_its_taker() {
        let sent = revealing_jpeg(6);
        assert!(contains(&sent, b"Siti Aminah"));
        let kept = without_metadata(ContentType::Jpeg, &sent).unwrap().unwrap();
        assert!(!contains(&kept, b"Siti Aminah"), "a name is left");
        assert!(
            !contains(&kept, b"Siti") && !contains(&kept, b"Aminah"),
            "a part is left"
        );
        assert!(!contains(&kept, b"http://ns.adobe.com/xap"), "XMP is left");
        assert!(
            kept.ends_with(&[0xFF, 0xD9]),
            "it ends where the image does"
        );
        let image = Jpeg::from_bytes(Bytes::from(kept.clone())).unwrap();
        let exif = exif::Reader::new()
            .read_raw(image.exif().unwrap().to_vec())
            .unwrap();
        let tags: Vec<_> = exif.fields().map(|f| f.tag).collect();
        assert_eq!(tags, [exif::Tag::Orientation], "only the orientation");
        assert_eq!(
            exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0)),
            Some(6)
        );
        // The picture itself is untouched: the original's segments from the frame on.
        let frame = |bytes: &[u8]| {
            let at = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
            bytes[at..].to_vec()
        };
        assert_eq!(frame(&kept), frame(JPEG));
        assert_eq!(ContentType::sniff(&kept), Some(ContentType::Jpeg));
    }

    #[test]
    fn a_jfif_thumbnail_goes() {
        // JFIF with a 1×1 thumbnail (3 bytes of RGB), as cameras write the photo small.
        let jfif = [&b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x01\x01"[..], b"RGB"].concat();
        let app0 = [
            &[0xFF, 0xE0][..],
            &((jfif.len() + 2) as u16).to_be_bytes(),
            &jfif,
        ]
        .concat();
        let sent = [&JPEG[..2], &app0, &JPEG[20..]].concat();
        let kept = without_metadata(ContentType::Jpeg, &sent).unwrap().unwrap();
        assert!(!contains(&kept, b"RGB"));
        assert_eq!(
            &kept[..20],
            &JPEG[..20],
            "JFIF as the sample writes it, no thumbnail"
        );
    }

    #[test]
    fn an_upright_photo_keeps_no_exif_at_all() {
        let kept = without_metadata(ContentType::Jpeg, &revealing_jpeg(1))
            .unwrap()
            .unwrap();
        assert!(
            Jpeg::from_bytes(Bytes::from(kept))
                .unwrap()
                .exif()
                .is_none()
        );
    }

    #[test]
    fn a_png_loses_its_exif_and_text() {
        let mut image = Png::from_bytes(Bytes::from_static(PNG)).unwrap();
        image.set_exif(Some(Bytes::from(revealing_exif(1))));
        let text = |kind, body: &'static [u8]| {
            img_parts::png::PngChunk::new(kind, Bytes::from_static(body))
        };
        image
            .chunks_mut()
            .insert(1, text(*b"tEXt", b"Author\0Siti Aminah"));
        image.chunks_mut().insert(
            1,
            text(*b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x>Siti Aminah</x>"),
        );
        let sent = image.encoder().bytes().to_vec();
        let kept = without_metadata(ContentType::Png, &sent).unwrap().unwrap();
        assert!(!contains(&kept, b"Siti Aminah"));
        let kinds: Vec<_> = Png::from_bytes(Bytes::from(kept))
            .unwrap()
            .chunks()
            .iter()
            .map(|c| c.kind())
            .collect();
        assert_eq!(kinds, [*b"IHDR", *b"IDAT", *b"IEND"]);
    }

    #[test]
    fn a_webp_loses_its_exif_and_xmp() {
        // A lossless 1×1 WebP with the extended header, EXIF and XMP.
        let mut image = WebP::from_bytes(Bytes::from_static(WEBP)).unwrap();
        image.set_exif(Some(Bytes::from(revealing_exif(3))));
        let xmp = img_parts::riff::RiffChunk::new(
            *b"XMP ",
            img_parts::riff::RiffContent::Data(Bytes::from_static(b"<x>Siti Aminah</x>")),
        );
        image.chunks_mut().push(xmp);
        let sent = image.encoder().bytes().to_vec();
        assert!(contains(&sent, b"Siti Aminah"));
        let kept = without_metadata(ContentType::Webp, &sent).unwrap().unwrap();
        assert!(!contains(&kept, b"Siti Aminah"));
        let image = WebP::from_bytes(Bytes::from(kept.clone())).unwrap();
        assert!(!image.has_chunk(*b"XMP "));
        assert!(image.exif().is_some(), "the orientation");
        assert_eq!(ContentType::sniff(&kept), Some(ContentType::Webp));
    }

    #[test]
    fn a_broken_photo_is_refused_and_other_files_pass() {
        assert!(
            without_metadata(ContentType::Jpeg, b"\xFF\xD8\xFF\xE1\x00")
                .unwrap()
                .is_err()
        );
        assert!(without_metadata(ContentType::Pdf, b"%PDF-1.7").is_none());
    }
}

//! A JPEG rewritten marker by marker, to its end: the segments before the first scan, those
//! between the scans of a progressive image (where editors put XMP too), and what follows the
//! image's end, which is not the image (the other pictures of the multi-picture format, with
//! their own EXIF; the video of a "motion photo"; makers' trailers) and is cut off.

/// JFIF (APP0), without the thumbnail it may carry.
const APP0: u8 = 0xE0;
/// EXIF and XMP.
const APP1: u8 = 0xE1;
/// The colour profile (`ICC_PROFILE`), and FlashPix or the multi-picture index.
const APP2: u8 = 0xE2;
/// Adobe's colour transform, which decoding a CMYK image needs.
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
const COM: u8 = 0xFE;
const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;
const SOI: u8 = 0xD8;

/// Why a JPEG cannot be read.
pub(super) type Error = &'static str;

/// The segments of `bytes` worth keeping, in order, with the entropy-coded data after each
/// scan; and the first EXIF block, for its orientation.
struct Parts<'a> {
    kept: Vec<u8>,
    exif: Option<&'a [u8]>,
}

/// `bytes` with only JFIF (its thumbnail dropped), the colour profile, Adobe's segment and the
/// image itself, ending at its end; `exif`, if any, put in place of every other EXIF block.
pub(super) fn rewrite(
    bytes: &[u8],
    exif: impl FnOnce(Option<&[u8]>) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, Error> {
    let parts = walk(bytes)?;
    let mut out = vec![0xFF, SOI];
    let (jfif, rest) = match parts.kept.get(..2) {
        Some([0xFF, APP0]) => {
            let length = 2 + usize::from(u16::from_be_bytes([parts.kept[2], parts.kept[3]]));
            parts.kept.split_at(length)
        }
        _ => (&[][..], &parts.kept[..]),
    };
    out.extend_from_slice(jfif);
    if let Some(block) = exif(parts.exif) {
        let body = [&b"Exif\0\0"[..], &block].concat();
        out.extend_from_slice(&segment(APP1, &body)?);
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(&[0xFF, EOI]);
    Ok(out)
}

fn segment(marker: u8, body: &[u8]) -> Result<Vec<u8>, Error> {
    let length = u16::try_from(body.len() + 2).map_err(|_| "a segment too long")?;
    Ok([&[0xFF, marker][..], &length.to_be_bytes(), body].concat())
}

fn walk(bytes: &[u8]) -> Result<Parts<'_>, Error> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err("not a JPEG");
    }
    let mut parts = Parts {
        kept: Vec::new(),
        exif: None,
    };
    let mut at = 2;
    loop {
        // A marker, after any fill bytes.
        if bytes.get(at) != Some(&0xFF) {
            return Err("a marker was expected");
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *bytes.get(at).ok_or("the image ends too soon")?;
        at += 1;
        match marker {
            EOI => return Ok(parts),
            // Markers that stand alone: restarts (out of place, but harmless) and TEM.
            0x01 | 0xD0..=0xD7 => parts.kept.extend_from_slice(&[0xFF, marker]),
            SOI | 0x00 => return Err("a misplaced marker"),
            _ => {
                let length = bytes
                    .get(at..at + 2)
                    .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                    .filter(|&l| l >= 2)
                    .ok_or("a segment's length is missing")?;
                let body = bytes
                    .get(at + 2..at + length)
                    .ok_or("a segment is cut short")?;
                at += length;
                if marker == APP1 && parts.exif.is_none() {
                    parts.exif = body.strip_prefix(b"Exif\0\0");
                }
                if let Some(kept) = kept(marker, body) {
                    parts.kept.extend_from_slice(&segment(marker, &kept)?);
                }
                if marker == SOS {
                    let data = entropy_coded(&bytes[at..]);
                    parts.kept.extend_from_slice(data);
                    at += data.len();
                }
            }
        }
    }
}

/// What is kept of a segment: `None` for metadata.
fn kept(marker: u8, body: &[u8]) -> Option<Vec<u8>> {
    match marker {
        // JFIF's fields up to the thumbnail's size, which becomes 0×0.
        APP0 => body
            .strip_prefix(b"JFIF\0")
            .filter(|fields| fields.len() >= 9)
            .map(|fields| [&b"JFIF\0"[..], &fields[..7], &[0, 0]].concat()),
        APP2 => body.starts_with(b"ICC_PROFILE\0").then(|| body.to_vec()),
        APP14 => Some(body.to_vec()),
        0xE0..=APP15 | COM => None,
        _ => Some(body.to_vec()),
    }
}

/// The entropy-coded data at the start of `bytes`: up to the first marker, where `FF 00` is a
/// data byte and `FF D0` to `FF D7` are restarts within the data.
fn entropy_coded(bytes: &[u8]) -> &[u8] {
    let mut at = 0;
    while at + 1 < bytes.len() {
        if bytes[at] == 0xFF && !matches!(bytes[at + 1], 0x00 | 0xD0..=0xD7) {
            return &bytes[..at];
        }
        at += 1;
    }
    bytes
}

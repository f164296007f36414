//! The signed blob URLs of the embedded backend (`PUT`/`GET /v1/blobs/{key}?...`), as the blob
//! routes check them. The input is lines: a key, a query string, a content type, a length and a
//! disposition. Besides never panicking:
//! - a query we did not sign is refused, whatever it holds;
//! - the URLs we sign for that key, type, length and disposition are taken before they expire
//!   and refused from then on, refused for another key, length or type, and a download gives
//!   back exactly the type and disposition signed;
//! - nothing added to a signed query (before or after it) makes it allow anything else.

#![no_main]

use lapor_app::BlobRefusal;
use lapor_app::attachments::BlobKey;
use lapor_domain::attachment::ContentType;
use lapor_embedded::{FolderBlobs, SignedDownload};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use time::OffsetDateTime;
use time::macros::datetime;

static BLOBS: LazyLock<FolderBlobs> = LazyLock::new(|| {
    // Only the folder's path is kept: nothing is written by the checks.
    let root = std::env::temp_dir().join(format!("lapor-fuzz-blobs-{}", std::process::id()));
    FolderBlobs::open(&root, b"a fuzzing secret of thirty-two bytes").expect("a temporary folder")
});
const NOW: OffsetDateTime = datetime!(2026-11-23 03:00 UTC);
const VALID_KEY: &str = "attachments/pending/0123456789abcdef0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let key = lines.next().unwrap_or_default();
    let query = lines.next().unwrap_or_default();
    let sent_type = lines.next().unwrap_or_default();
    let length: u64 = lines.next().and_then(|l| l.parse().ok()).unwrap_or(4);
    let disposition = lines.next().unwrap_or("attachment");
    let blobs = &*BLOBS;

    // As sent: we signed none of it.
    let refused = blobs.check_upload(key, query, Some(sent_type), length, NOW);
    assert!(refused.is_err(), "{refused:?}");
    let refused = blobs.check_download(key, query, NOW);
    assert!(refused.is_err(), "{refused:?}");

    let kind = ContentType::parse(sent_type).unwrap_or(ContentType::Png);
    for key in [key, VALID_KEY] {
        uploads(blobs, key, kind, length, query);
        downloads(blobs, key, kind, disposition, query);
    }
});

/// What the key alone makes of a URL that is otherwise right.
fn for_key(key: &str) -> Result<(), BlobRefusal> {
    if BlobKey::is_valid(key) {
        Ok(())
    } else {
        Err(BlobRefusal::NotFound)
    }
}

fn uploads(blobs: &FolderBlobs, key: &str, kind: ContentType, length: u64, extra: &str) {
    let expires = NOW.unix_timestamp() + 900;
    let query = blobs.upload_query(key, kind, length, expires);
    let check = |key: &str, query: &str, sent: &str, length: u64, now: OffsetDateTime| {
        blobs.check_upload(key, query, Some(sent), length, now)
    };
    let sent = kind.as_str();
    assert_eq!(
        check(key, &query, sent, length, NOW),
        for_key(key).map(|()| sent.to_string())
    );
    let upper = sent.to_ascii_uppercase();
    assert_eq!(
        check(key, &query, &upper, length, NOW).is_ok(),
        BlobKey::is_valid(key),
        "the type is compared without case"
    );
    let last = NOW + time::Duration::seconds(899);
    assert_eq!(
        check(key, &query, sent, length, last).is_ok(),
        BlobKey::is_valid(key)
    );
    let expired = NOW + time::Duration::seconds(900);
    assert_eq!(
        check(key, &query, sent, length, expired),
        Err(BlobRefusal::Expired)
    );
    assert!(matches!(
        check(key, &query, sent, length.wrapping_add(1), NOW),
        Err(BlobRefusal::Length { .. })
    ));
    assert!(matches!(
        blobs.check_upload(key, &query, None, length, NOW),
        Err(BlobRefusal::ContentType { .. })
    ));
    let other = format!("{key}0");
    assert_eq!(
        check(&other, &query, sent, length, NOW),
        Err(BlobRefusal::Signature)
    );

    for tampered in [format!("{extra}&{query}"), format!("{query}&{extra}")] {
        for sent in ContentType::ALL.map(ContentType::as_str) {
            if let Ok(stored) = check(key, &tampered, sent, length, NOW) {
                assert!(stored.eq_ignore_ascii_case(kind.as_str()), "{tampered}");
            }
        }
        for other in [length.wrapping_add(1), length.wrapping_sub(1)] {
            assert!(check(key, &tampered, kind.as_str(), other, NOW).is_err());
        }
        assert!(check(key, &tampered, kind.as_str(), length, expired).is_err());
    }
}

fn downloads(blobs: &FolderBlobs, key: &str, kind: ContentType, disposition: &str, extra: &str) {
    let expires = NOW.unix_timestamp() + 300;
    let query = blobs.download_query(key, kind, disposition, expires);
    let signed = SignedDownload {
        content_type: kind.as_str().to_string(),
        disposition: disposition.to_string(),
    };
    assert_eq!(
        blobs.check_download(key, &query, NOW),
        for_key(key).map(|()| signed.clone())
    );
    let expired = NOW + time::Duration::seconds(300);
    assert_eq!(
        blobs.check_download(key, &query, expired),
        Err(BlobRefusal::Expired)
    );
    let other = format!("{key}0");
    assert_eq!(
        blobs.check_download(&other, &query, NOW),
        Err(BlobRefusal::Signature)
    );
    for tampered in [format!("{extra}&{query}"), format!("{query}&{extra}")] {
        if let Ok(granted) = blobs.check_download(key, &tampered, NOW) {
            assert_eq!(granted, signed, "{tampered}");
        }
        assert!(blobs.check_download(key, &tampered, expired).is_err());
    }
}

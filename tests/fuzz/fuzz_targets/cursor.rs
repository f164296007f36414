//! List cursors, as the lists decode the `cursor` query parameter, for each type of position
//! (the feed's and the work list's, a notification's id, an agency's id). The input is tried
//! twice: as a cursor a client sends (unsigned by us, so refused unless it is one we issued),
//! and as the JSON payload of a cursor we signed (what a cursor could hold if its payload were
//! odd). Besides never panicking:
//! - a decoded cursor re-encodes to exactly the text that was sent;
//! - a position re-encoded decodes to itself, and only on the list it was made for.

#![no_main]

use lapor_app::ports::Cursor;
use lapor_domain::AgencyId;
use lapor_http::Tokens;
use lapor_http::cursor::{decode, encode};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::sync::LazyLock;

static TOKENS: LazyLock<Tokens> = LazyLock::new(|| Tokens::new(&[7; 32]));
const LIST: &str = "feed:None:None:None:[]";
const OTHER: &str = "feed:None:None:None:[\"jalan\"]";

fuzz_target!(|data: &[u8]| {
    if let Ok(sent) = std::str::from_utf8(data) {
        as_sent::<Cursor>(sent);
        as_sent::<String>(sent);
        as_sent::<AgencyId>(sent);
    }
    if let Ok(payload) = serde_json::from_slice::<serde_json::Value>(data) {
        let cursor = encode(&TOKENS, LIST, &payload);
        as_signed::<Cursor>(&cursor);
        as_signed::<String>(&cursor);
        as_signed::<AgencyId>(&cursor);
    }
});

/// A cursor as a client sends it.
fn as_sent<T: Serialize + DeserializeOwned + PartialEq + Debug>(sent: &str) {
    if let Ok(position) = decode::<T>(&TOKENS, LIST, sent) {
        assert_eq!(encode(&TOKENS, LIST, &position), sent, "{position:?}");
        check::<T>(&position);
    }
}

/// A cursor we signed, of any payload.
fn as_signed<T: Serialize + DeserializeOwned + PartialEq + Debug>(cursor: &str) {
    if let Ok(position) = decode::<T>(&TOKENS, LIST, cursor) {
        check::<T>(&position);
    }
    assert!(
        decode::<T>(&TOKENS, OTHER, cursor).is_err(),
        "a cursor of one list was taken by another"
    );
}

fn check<T: Serialize + DeserializeOwned + PartialEq + Debug>(position: &T) {
    let cursor = encode(&TOKENS, LIST, position);
    let back = decode::<T>(&TOKENS, LIST, &cursor).expect("a cursor we issue decodes");
    assert_eq!(&back, position, "{cursor}");
    assert!(decode::<T>(&TOKENS, OTHER, &cursor).is_err());
}

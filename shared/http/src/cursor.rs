//! Opaque, tamper-proof list cursors: the position, bound to the list it came from, signed with
//! HMAC-SHA256. A forged cursor, or one from another list or viewer, is refused (400).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Serialize, de::DeserializeOwned};
use sha2::Sha256;

use crate::auth::Tokens;
use crate::problem::Problem;

type HmacSha256 = Hmac<Sha256>;

fn mac(tokens: &Tokens, list: &str, payload: &[u8]) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(&tokens.cursor_key).expect("HMAC accepts keys of any length");
    mac.update(list.as_bytes());
    mac.update(b"\0");
    mac.update(payload);
    mac
}

/// Encodes a position of the list named `list` (which includes its filters and viewer).
pub fn encode<T: Serialize>(tokens: &Tokens, list: &str, position: &T) -> String {
    let payload = serde_json::to_vec(position).unwrap_or_default();
    let tag = mac(tokens, list, &payload).finalize().into_bytes();
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(tag)
    )
}

/// The 400 answer to a cursor this list did not issue.
pub fn invalid() -> Problem {
    Problem::bad_request("the cursor is invalid; start again without it")
}

/// Decodes a cursor of the list named `list`.
pub fn decode<T: DeserializeOwned>(
    tokens: &Tokens,
    list: &str,
    cursor: &str,
) -> Result<T, Problem> {
    let (payload, tag) = cursor.split_once('.').ok_or_else(invalid)?;
    let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| invalid())?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid())?;
    mac(tokens, list, &payload)
        .verify_slice(&tag)
        .map_err(|_| invalid())?;
    serde_json::from_slice(&payload).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_bound_to_their_list_and_cannot_be_forged() {
        let tokens = Tokens::new(&[7; 32]);
        let cursor = encode(&tokens, "inbox:agency-a", &("2025-01-01", 42));
        let back: (String, i32) = decode(&tokens, "inbox:agency-a", &cursor).unwrap();
        assert_eq!(back, ("2025-01-01".to_string(), 42));
        assert!(decode::<(String, i32)>(&tokens, "inbox:agency-b", &cursor).is_err());
        let forged = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(b"[\"2099\",1]"),
            cursor.split_once('.').unwrap().1
        );
        assert!(decode::<(String, i32)>(&tokens, "inbox:agency-a", &forged).is_err());
        assert!(decode::<(String, i32)>(&tokens, "inbox:agency-a", "garbage").is_err());
    }
}

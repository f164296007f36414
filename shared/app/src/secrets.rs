//! Secrets: access codes (random, shown once, stored as a hash) and passwords (argon2id).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::ports::Ids;

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or over SMS survives.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new access code: 16 characters (80 random bits) in groups of four, `ABCD-EFGH-JKMN-PQRS`.
pub fn new_access_code(ids: &dyn Ids) -> String {
    let bytes = ids.secret(16);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored form of an access code. A code carries 80 random bits, so a fast hash is safe;
/// a slow one would only slow down submissions. Case and dashes are ignored.
pub fn hash_access_code(code: &str) -> String {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex(&Sha256::digest(normalised.as_bytes()))
}

/// Compares an access code with its stored hash in constant time.
pub fn access_code_matches(code: &str, stored_hash: &str) -> bool {
    hash_access_code(code)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

/// A SHA-256 hex digest (of request bodies, for idempotency).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes a password with argon2id on a blocking thread (it takes tens of milliseconds).
pub async fn hash_password(password: String, salt: Vec<u8>) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt =
            SaltString::encode_b64(&salt).map_err(|e| AppError::Unavailable(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Unavailable(e.to_string()))
    })
    .await
    .map_err(|e| AppError::Unavailable(e.to_string()))?
}

/// Checks a password against its argon2id hash on a blocking thread.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::RandomIds;

    #[test]
    fn access_codes_are_random_and_checked_by_hash() {
        let code = new_access_code(&RandomIds);
        assert_eq!(code.len(), 19);
        assert_ne!(code, new_access_code(&RandomIds));
        let stored = hash_access_code(&code);
        assert!(access_code_matches(
            &code.to_lowercase().replace('-', ""),
            &stored
        ));
        assert!(!access_code_matches("AAAA-AAAA-AAAA-AAAA", &stored));
    }

    #[tokio::test]
    async fn passwords_are_hashed_with_argon2id() {
        let hash = hash_password("correct horse battery".into(), RandomIds.secret(16))
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), hash.clone()).await);
        assert!(!verify_password("wrong horse battery".into(), hash).await);
    }
}

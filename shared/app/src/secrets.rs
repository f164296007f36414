//! Secrets: access codes (random, shown once, stored as a hash) and passwords (argon2id).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use sha2::{Digest, Sha256};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

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

/// Seals `plain` under a caller's secret (ChaCha20-Poly1305 keyed by the secret's SHA-256):
/// base64 of nonce and ciphertext. Whoever lacks the secret, the store included, learns nothing.
pub fn seal(plain: &str, secret: &str) -> String {
    let nonce: [u8; 12] = rand::random();
    // Encryption fails only for texts past 256 GiB; an access code is 19 characters.
    let sealed = sealing_key(secret)
        .encrypt(&Nonce::from(nonce), plain.as_bytes())
        .unwrap_or_default();
    BASE64.encode([&nonce[..], &sealed].concat())
}

/// Opens what [`seal`] sealed under the same secret; `None` when the secret or text is wrong.
pub fn unseal(sealed: &str, secret: &str) -> Option<String> {
    let bytes = BASE64.decode(sealed).ok()?;
    let (nonce, ciphertext) = bytes.split_first_chunk::<12>()?;
    let plain = sealing_key(secret)
        .decrypt(&Nonce::from(*nonce), ciphertext)
        .ok()?;
    String::from_utf8(plain).ok()
}

fn sealing_key(secret: &str) -> ChaCha20Poly1305 {
    let key = Sha256::new()
        .chain_update(b"lapor seal v1\0")
        .chain_update(secret.as_bytes())
        .finalize();
    ChaCha20Poly1305::new(&key)
}

/// A SHA-256 hex digest (of request bodies, for idempotency).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bounds how many argon2 computations run at once. Each takes 19 MiB and a core for tens of
/// milliseconds, so a burst of sign-ins without a bound would exhaust memory; with one, the
/// burst waits its turn and, past a short wait, is told to come back (503).
struct Gate {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Gate {
    fn new(permits: usize, wait: Duration) -> Self {
        Gate {
            permits: Arc::new(Semaphore::new(permits)),
            wait,
        }
    }

    /// Runs `work` on a blocking thread once a permit is free. The permit travels with the work:
    /// a caller that goes away (a client hanging up) cannot free it while the work still runs.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy { retry_after: 1 })?
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))
    }
}

/// One argon2 computation per core.
static ARGON2: LazyLock<Gate> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Gate::new(cores, Duration::from_secs(2))
});

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: String, salt: Vec<u8>) -> Result<String, AppError> {
    ARGON2
        .run(move || {
            let salt =
                SaltString::encode_b64(&salt).map_err(|e| AppError::Unavailable(e.to_string()))?;
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| AppError::Unavailable(e.to_string()))
        })
        .await?
}

/// Checks a password against its argon2id hash on a blocking thread.
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    ARGON2
        .run(move || {
            PasswordHash::new(&hash).is_ok_and(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::RandomIds;
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    #[test]
    fn sealed_text_opens_only_with_its_secret() {
        let sealed = seal("ABCD-EFGH-JKMN-PQRS", "key-1");
        assert!(!sealed.contains("ABCD"));
        assert_ne!(sealed, seal("ABCD-EFGH-JKMN-PQRS", "key-1"));
        assert_eq!(
            unseal(&sealed, "key-1").as_deref(),
            Some("ABCD-EFGH-JKMN-PQRS")
        );
        assert_eq!(unseal(&sealed, "key-2"), None);
        assert_eq!(unseal("not base64!", "key-1"), None);
        assert_eq!(unseal("", "key-1"), None);
    }

    #[tokio::test]
    async fn passwords_are_hashed_with_argon2id() {
        let hash = hash_password("correct horse battery".into(), RandomIds.secret(16))
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify_password("wrong horse battery".into(), hash)
                .await
                .unwrap()
        );
    }

    fn gate(permits: usize, wait_ms: u64) -> Arc<Gate> {
        Arc::new(Gate::new(permits, Duration::from_millis(wait_ms)))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_gate_bounds_work_running_at_once() {
        let gate = gate(2, 10_000);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    gate.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_that_go_away_do_not_free_the_work_they_started() {
        let gate = gate(2, 10_000);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let work = |running: Arc<AtomicUsize>, most: Arc<AtomicUsize>| {
            move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                running.fetch_sub(1, Ordering::SeqCst);
            }
        };
        for _ in 0..3 {
            let started = {
                let (gate, work) = (gate.clone(), work(running.clone(), most.clone()));
                tokio::spawn(async move { gate.run(work).await })
            };
            tokio::time::sleep(Duration::from_millis(5)).await;
            started.abort();
            let (gate, work) = (gate.clone(), work(running.clone(), most.clone()));
            tokio::spawn(async move { gate.run(work).await });
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(running.load(Ordering::SeqCst), 0);
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_full_gate_answers_busy_after_its_wait() {
        let gate = gate(1, 20);
        let _held = gate.permits.acquire().await.unwrap();
        let outcome = gate.run(|| ()).await;
        assert!(matches!(outcome, Err(AppError::Busy { retry_after: 1 })));
    }
}

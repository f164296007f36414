//! Counters of attempts, for throttling guesses.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use super::StoreError;

/// The attempts of a key in the window now and in the one before it: what a sliding window is
/// estimated from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts {
    /// In the window before the current one.
    pub previous: u32,
    /// In the current window, this one included.
    pub current: u32,
}

/// Counters of attempts per key in fixed windows, each remembering the window before it
/// (passwords, access codes).
#[async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Atomically counts one attempt for `key` in the window of length `window` starting at
    /// `window_start`, and returns its attempts including this one. A counter of the window
    /// just before becomes `previous`; one from longer ago counts as nothing.
    async fn attempt(
        &self,
        key: &str,
        window_start: OffsetDateTime,
        window: Duration,
    ) -> Result<Attempts, StoreError>;
    /// Forgets the attempts of `key` (after a success).
    async fn clear(&self, key: &str) -> Result<(), StoreError>;
}

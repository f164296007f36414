//! Counters of attempts, for throttling guesses.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreError;

/// Counters of attempts per key in fixed windows (passwords, access codes).
#[async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Atomically counts one attempt for `key` in the window starting at `window_start` (a
    /// counter from an earlier window starts again) and returns the count including this one.
    async fn attempt(&self, key: &str, window_start: OffsetDateTime) -> Result<u32, StoreError>;
    /// Forgets the attempts of `key` (after a success).
    async fn clear(&self, key: &str) -> Result<(), StoreError>;
}

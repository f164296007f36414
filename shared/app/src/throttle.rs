//! Limits on guesses (passwords, access codes) per key in fixed windows.
//!
//! An attempt is counted *before* it is checked: counting only failures afterwards would let
//! many concurrent guesses all read "no failures yet" and slip past the limit together.

use time::{Duration, OffsetDateTime};

use crate::App;
use crate::error::AppError;

/// At most `attempts` unconfirmed attempts per key in each window of `window`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Attempts allowed per window.
    pub attempts: u32,
    /// The window's length; windows are aligned to the Unix epoch.
    pub window: Duration,
}

impl Limit {
    /// The start of the window that contains `now`.
    pub fn window_start(&self, now: OffsetDateTime) -> OffsetDateTime {
        let length = self.window.whole_seconds().max(1);
        let start = now.unix_timestamp().div_euclid(length) * length;
        OffsetDateTime::from_unix_timestamp(start).unwrap_or(now)
    }

    /// Whole seconds from `now` to the end of its window (at least one).
    fn seconds_left(&self, now: OffsetDateTime) -> u64 {
        let end = self.window_start(now) + self.window;
        (end - now).whole_seconds().max(1).unsigned_abs()
    }
}

impl App {
    /// Counts one attempt for `key`; refuses it when the window's allowance is spent.
    pub(crate) async fn admit_attempt(&self, key: &str, limit: Limit) -> Result<(), AppError> {
        let now = self.clock.now();
        let attempts = self.throttle.attempt(key, limit.window_start(now)).await?;
        if attempts > limit.attempts {
            return Err(AppError::Throttled {
                retry_after: limit.seconds_left(now),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const LIMIT: Limit = Limit {
        attempts: 5,
        window: Duration::minutes(15),
    };

    #[test]
    fn windows_are_aligned_and_fixed() {
        let a = LIMIT.window_start(datetime!(2025-06-02 10:01 UTC));
        let b = LIMIT.window_start(datetime!(2025-06-02 10:14:59 UTC));
        let c = LIMIT.window_start(datetime!(2025-06-02 10:15 UTC));
        assert_eq!(a, datetime!(2025-06-02 10:00 UTC));
        assert_eq!(a, b);
        assert_eq!(c - a, Duration::minutes(15));
    }

    #[test]
    fn retry_after_is_the_rest_of_the_window() {
        assert_eq!(LIMIT.seconds_left(datetime!(2025-06-02 10:01 UTC)), 840);
        assert_eq!(LIMIT.seconds_left(datetime!(2025-06-02 10:14:59.5 UTC)), 1);
    }
}

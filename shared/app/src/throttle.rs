//! Limits on guesses (passwords, access codes) per key, in a sliding window.
//!
//! The window slides: the attempts of the current fixed window are added to those of the one
//! before it, weighted by how much of it still lies within one window's length of now (the
//! estimate of Cloudflare's and nginx's rate limiters). So a guesser cannot spend a window's
//! allowance at the end of one window and again at the start of the next; and since refused
//! attempts count too, one who keeps guessing waits longer and longer.
//!
//! An attempt is counted *before* it is checked: counting only failures afterwards would let
//! many concurrent guesses all read "no failures yet" and slip past the limit together.

use std::net::IpAddr;

use time::{Duration, OffsetDateTime};

use crate::App;
use crate::error::AppError;
use crate::ports::Attempts;

/// At most `attempts` unconfirmed attempts per key in any window of `window`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Attempts allowed per window.
    pub attempts: u32,
    /// The window's length; the fixed windows it slides over are aligned to the Unix epoch.
    pub window: Duration,
}

impl Limit {
    /// The start of the fixed window that contains `now`.
    pub fn window_start(&self, now: OffsetDateTime) -> OffsetDateTime {
        let length = self.window.whole_seconds().max(1);
        let start = now.unix_timestamp().div_euclid(length) * length;
        OffsetDateTime::from_unix_timestamp(start).unwrap_or(now)
    }

    /// The attempts within one window's length of `now`, estimated from the fixed windows'.
    fn estimate(&self, attempts: Attempts, now: OffsetDateTime) -> f64 {
        let elapsed = (now - self.window_start(now)).as_seconds_f64();
        let still_in = 1.0 - elapsed / self.window.as_seconds_f64().max(1.0);
        f64::from(attempts.previous) * still_in + f64::from(attempts.current)
    }

    /// Whole seconds from `now` until one more attempt would be within the limit, if no other
    /// comes meanwhile (at least one).
    fn seconds_until_admitted(&self, attempts: Attempts, now: OffsetDateTime) -> u64 {
        let window = self.window.whole_seconds().max(1);
        let mut wait = 1;
        // A second at a time, up to two windows: by then the attempts seen now are all gone.
        while wait < 2 * window {
            let later = now + Duration::seconds(wait);
            let moved_on = self.window_start(later) > self.window_start(now);
            let then = if moved_on {
                Attempts {
                    previous: if self.window_start(later) - self.window_start(now) == self.window {
                        attempts.current
                    } else {
                        0
                    },
                    current: 1,
                }
            } else {
                Attempts {
                    current: attempts.current + 1,
                    ..attempts
                }
            };
            if self.estimate(then, later) <= f64::from(self.attempts) {
                break;
            }
            wait += 1;
        }
        wait.unsigned_abs()
    }
}

/// The throttle key of `subject` (an account, a login, a report) guessed at from `client`:
/// guesses are counted per subject *and* client address, so a guesser elsewhere cannot lock
/// the owner out of their account, nor out of their report's access code; a client whose
/// address is unknown shares the allowance of every such client.
pub fn per_client(subject: &str, client: Option<IpAddr>) -> String {
    match client {
        Some(IpAddr::V4(ip)) => format!("{subject}@{ip}"),
        // One subscriber gets a whole /64 (2^64 addresses): that is one client.
        Some(IpAddr::V6(ip)) => {
            let [a, b, c, d, ..] = ip.segments();
            format!("{subject}@{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
        None => format!("{subject}@unknown"),
    }
}

impl App {
    /// Counts one attempt for `key`; refuses it when the attempts within the last window are
    /// over the limit.
    pub(crate) async fn admit_attempt(&self, key: &str, limit: Limit) -> Result<(), AppError> {
        let now = self.clock.now();
        let attempts = self
            .throttle
            .attempt(key, limit.window_start(now), limit.window)
            .await?;
        if limit.estimate(attempts, now) > f64::from(limit.attempts) {
            return Err(AppError::Throttled {
                retry_after: limit.seconds_until_admitted(attempts, now),
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

    fn seen(previous: u32, current: u32) -> Attempts {
        Attempts { previous, current }
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let one = per_client("login:x", "2001:db8:1:2::1".parse().ok());
        let same = per_client("login:x", "2001:db8:1:2:ffff::9".parse().ok());
        let other = per_client("login:x", "2001:db8:1:3::1".parse().ok());
        assert_eq!(one, same);
        assert_ne!(one, other);
        assert_eq!(
            per_client("login:x", "203.0.113.9".parse().ok()),
            "login:x@203.0.113.9"
        );
    }

    #[test]
    fn fixed_windows_are_aligned() {
        let a = LIMIT.window_start(datetime!(2025-06-02 10:01 UTC));
        let b = LIMIT.window_start(datetime!(2025-06-02 10:14:59 UTC));
        let c = LIMIT.window_start(datetime!(2025-06-02 10:15 UTC));
        assert_eq!(a, datetime!(2025-06-02 10:00 UTC));
        assert_eq!(a, b);
        assert_eq!(c - a, Duration::minutes(15));
    }

    #[test]
    fn the_window_slides_across_the_boundary() {
        // Five attempts just before the boundary still count just after it.
        let after = datetime!(2025-06-02 10:15:10 UTC);
        assert!(LIMIT.estimate(seen(5, 1), after) > 5.0);
        // Half a window later, half of them.
        let halfway = datetime!(2025-06-02 10:22:30 UTC);
        assert!((LIMIT.estimate(seen(5, 1), halfway) - 3.5).abs() < 1e-9);
    }

    #[test]
    fn the_wait_grows_with_the_guesses() {
        let now = datetime!(2025-06-02 10:10 UTC);
        let few = LIMIT.seconds_until_admitted(seen(0, 6), now);
        let many = LIMIT.seconds_until_admitted(seen(0, 60), now);
        assert!(few >= 300, "{few}");
        assert!(many > few, "{many} after 60 guesses, {few} after 6");
        assert!(many <= 2 * 900);
        // Each second of the wait is needed, and the last is enough.
        let admitted_at = now + Duration::seconds(few.try_into().unwrap());
        let counts_then = seen(6, 1);
        assert!(LIMIT.estimate(counts_then, admitted_at) <= 5.0);
    }
}

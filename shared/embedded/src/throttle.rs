//! Failure counters in fixed windows: one row per key, reset when a new window starts.

use async_trait::async_trait;
use lapor_app::{StoreError, ThrottleStore};
use rusqlite::{OptionalExtension, params};
use time::{Duration, OffsetDateTime};

use crate::Embedded;
use crate::db::unavailable;

/// The start (Unix seconds) of the window that contains `now`.
fn window_start(now: OffsetDateTime, window: Duration) -> i64 {
    let length = window.whole_seconds().max(1);
    now.unix_timestamp().div_euclid(length) * length
}

#[async_trait]
impl ThrottleStore for Embedded {
    async fn failures(
        &self,
        key: &str,
        now: OffsetDateTime,
        window: Duration,
    ) -> Result<u32, StoreError> {
        let key = key.to_string();
        let start = window_start(now, window);
        self.db
            .read(move |conn| {
                let failures: Option<i64> = conn
                    .prepare_cached(
                        "SELECT failures FROM throttle WHERE key = ?1 AND window_start = ?2",
                    )
                    .and_then(|mut s| s.query_row(params![key, start], |r| r.get(0)).optional())
                    .map_err(unavailable)?;
                Ok(failures.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX)))
            })
            .await
    }

    async fn record_failure(
        &self,
        key: &str,
        now: OffsetDateTime,
        window: Duration,
    ) -> Result<(), StoreError> {
        let key = key.to_string();
        let start = window_start(now, window);
        self.db
            .write(move |tx| {
                tx.prepare_cached(
                    "INSERT INTO throttle (key, window_start, failures) VALUES (?1, ?2, 1)
                     ON CONFLICT (key) DO UPDATE SET
                         failures = CASE WHEN window_start = ?2 THEN failures + 1 ELSE 1 END,
                         window_start = ?2",
                )
                .and_then(|mut s| s.execute(params![key, start]))
                .map_err(unavailable)?;
                Ok(())
            })
            .await
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        let key = key.to_string();
        self.db
            .write(move |tx| {
                tx.prepare_cached("DELETE FROM throttle WHERE key = ?1")
                    .and_then(|mut s| s.execute([key]))
                    .map_err(unavailable)?;
                Ok(())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn windows_are_aligned_and_fixed() {
        let window = Duration::minutes(15);
        let a = window_start(datetime!(2025-06-02 10:01 UTC), window);
        let b = window_start(datetime!(2025-06-02 10:14:59 UTC), window);
        let c = window_start(datetime!(2025-06-02 10:15 UTC), window);
        assert_eq!(a, b);
        assert_eq!(c - a, 900);
    }
}

//! Attempt counters in fixed windows: one row per key, started again when a new window begins,
//! keeping the count of the window just before.

use async_trait::async_trait;
use lapor_app::{Attempts, StoreError, ThrottleStore};
use rusqlite::params;
use time::{Duration, OffsetDateTime};

use crate::Embedded;
use crate::sql::{execute, unavailable};

/// Longer than any throttling window.
const STALE_AFTER_SECONDS: i64 = 24 * 60 * 60;

#[async_trait]
impl ThrottleStore for Embedded {
    async fn attempt(
        &self,
        key: &str,
        window_start: OffsetDateTime,
        window: Duration,
    ) -> Result<Attempts, StoreError> {
        let key = key.to_string();
        let start = window_start.unix_timestamp();
        let before = (window_start - window).unix_timestamp();
        self.db
            .write(move |tx| {
                // Counters of windows long gone are removed as new attempts come; a day is
                // longer than any window.
                let stale = start - STALE_AFTER_SECONDS;
                execute(tx, "DELETE FROM throttle WHERE window_start < ?1", [stale])?;
                // SQLite computes every new value from the row as it was.
                let (previous, current): (i64, i64) = tx
                    .prepare_cached(
                        "INSERT INTO throttle (key, window_start, attempts, previous)
                         VALUES (?1, ?2, 1, 0)
                         ON CONFLICT (key) DO UPDATE SET
                             previous = CASE WHEN window_start = ?2 THEN previous
                                             WHEN window_start = ?3 THEN attempts
                                             ELSE 0 END,
                             attempts = CASE WHEN window_start = ?2 THEN attempts + 1 ELSE 1 END,
                             window_start = ?2
                         RETURNING previous, attempts",
                    )
                    .and_then(|mut s| {
                        s.query_row(params![key, start, before], |r| Ok((r.get(0)?, r.get(1)?)))
                    })
                    .map_err(unavailable)?;
                let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
                Ok(Attempts {
                    previous: count(previous),
                    current: count(current),
                })
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
    use crate::sql::texts;
    use time::macros::datetime;

    #[tokio::test]
    async fn counters_of_windows_long_gone_are_purged_as_attempts_come() {
        let dir = tempfile::tempdir().unwrap();
        let store = Embedded::open(dir.path()).unwrap();
        let t0 = datetime!(2025-06-02 03:00 UTC);
        let window = time::Duration::minutes(15);
        store.attempt("login:lama", t0, window).await.unwrap();
        store
            .attempt("login:kemarin", t0 + time::Duration::hours(30), window)
            .await
            .unwrap();
        store
            .attempt("login:baru", t0 + time::Duration::days(2), window)
            .await
            .unwrap();
        let conn = rusqlite::Connection::open(dir.path().join(crate::DATABASE_FILE)).unwrap();
        let kept = texts(&conn, "SELECT key FROM throttle ORDER BY key", []).unwrap();
        assert_eq!(kept, ["login:baru", "login:kemarin"]);
    }
}

//! Attempt counters in fixed windows: one row per key, started again when a new window begins.

use async_trait::async_trait;
use lapor_app::{StoreError, ThrottleStore};
use rusqlite::params;
use time::OffsetDateTime;

use crate::Embedded;
use crate::db::unavailable;

#[async_trait]
impl ThrottleStore for Embedded {
    async fn attempt(&self, key: &str, window_start: OffsetDateTime) -> Result<u32, StoreError> {
        let key = key.to_string();
        let start = window_start.unix_timestamp();
        self.db
            .write(move |tx| {
                let attempts: i64 = tx
                    .prepare_cached(
                        "INSERT INTO throttle (key, window_start, attempts) VALUES (?1, ?2, 1)
                         ON CONFLICT (key) DO UPDATE SET
                             attempts = CASE WHEN window_start = ?2 THEN attempts + 1 ELSE 1 END,
                             window_start = ?2
                         RETURNING attempts",
                    )
                    .and_then(|mut s| s.query_row(params![key, start], |r| r.get(0)))
                    .map_err(unavailable)?;
                Ok(u32::try_from(attempts).unwrap_or(u32::MAX))
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

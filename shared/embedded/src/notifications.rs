//! In-app notifications, read marks and webhook delivery marks.

use std::collections::HashSet;

use async_trait::async_trait;
use lapor_app::{Audience, Notification, NotificationStore, StoreError};
use rusqlite::params;
use rusqlite::types::Value;
use time::OffsetDateTime;

use crate::Embedded;
use crate::codec::{from_docs, nanos, to_doc, to_i64};
use crate::sql::{execute, exists, texts};

#[async_trait]
impl NotificationStore for Embedded {
    async fn add_notification(&self, notification: &Notification) -> Result<bool, StoreError> {
        let (audience, id) = (notification.audience.key(), notification.id.clone());
        let doc = to_doc(notification)?;
        self.db
            .write(move |tx| {
                let sql =
                    "INSERT OR IGNORE INTO notifications (audience, id, doc) VALUES (?1, ?2, ?3)";
                Ok(execute(tx, sql, params![audience, id, doc])? == 1)
            })
            .await
    }

    async fn notifications(
        &self,
        audiences: &[Audience],
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Notification>, StoreError> {
        let keys: Vec<Value> = audiences.iter().map(|a| Value::Text(a.key())).collect();
        let before = before.map(str::to_string);
        self.db
            .read(move |conn| {
                let placeholders = vec!["?"; keys.len()].join(", ");
                // A message reaching two of the reader's audiences is listed once.
                let sql = format!(
                    "SELECT MAX(doc) FROM notifications WHERE audience IN ({placeholders}) \
                     AND (? IS NULL OR id < ?) GROUP BY id ORDER BY id DESC LIMIT ?"
                );
                let mut values = keys;
                let before = before.map_or(Value::Null, Value::Text);
                values.extend([before.clone(), before, Value::Integer(to_i64(limit as u64))]);
                from_docs(&texts(conn, &sql, rusqlite::params_from_iter(values))?)
            })
            .await
    }

    async fn mark_read(&self, reader: &str, ids: &[String]) -> Result<(), StoreError> {
        let (reader, ids) = (reader.to_string(), ids.to_vec());
        self.db
            .write(move |tx| {
                for id in &ids {
                    let sql =
                        "INSERT OR IGNORE INTO notification_reads (reader, id) VALUES (?1, ?2)";
                    execute(tx, sql, params![reader, id])?;
                }
                Ok(())
            })
            .await
    }

    async fn read_marks(
        &self,
        reader: &str,
        ids: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        let (reader, ids) = (reader.to_string(), ids.to_vec());
        self.db
            .read(move |conn| {
                let sql = "SELECT 1 FROM notification_reads WHERE reader = ?1 AND id = ?2";
                let mut read = HashSet::new();
                for id in ids {
                    if exists(conn, sql, params![reader, id])? {
                        read.insert(id);
                    }
                }
                Ok(read)
            })
            .await
    }

    async fn delivered(&self, key: &str) -> Result<bool, StoreError> {
        let key = key.to_string();
        self.db
            .read(move |conn| exists(conn, "SELECT 1 FROM deliveries WHERE key = ?1", [&key]))
            .await
    }

    async fn count_failure(&self, key: &str) -> Result<u32, StoreError> {
        let key = key.to_string();
        self.db
            .write(move |tx| {
                let sql = "INSERT INTO delivery_failures (key, failures) VALUES (?1, 1) \
                           ON CONFLICT (key) DO UPDATE SET failures = failures + 1 \
                           RETURNING failures";
                tx.prepare_cached(sql)
                    .and_then(|mut s| s.query_row([&key], |r| r.get::<_, u32>(0)))
                    .map_err(crate::sql::unavailable)
            })
            .await
    }

    async fn mark_delivered(&self, key: &str, at: OffsetDateTime) -> Result<(), StoreError> {
        let key = key.to_string();
        self.db
            .write(move |tx| {
                let sql = "INSERT OR IGNORE INTO deliveries (key, at) VALUES (?1, ?2)";
                execute(tx, sql, params![key, nanos(at)]).map(drop)
            })
            .await
    }
}

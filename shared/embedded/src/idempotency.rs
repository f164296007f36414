//! Idempotency records: written in the write of the report they created, each honoured until it
//! expires and purged as new ones come.

use async_trait::async_trait;
use lapor_app::{ConflictKind, IdempotencyRecord, IdempotencyRecords, StoreError};
use rusqlite::{Transaction, params};

use crate::Embedded;
use crate::codec::{from_doc, nanos, to_doc};
use crate::sql::{execute, exists, text};

#[async_trait]
impl IdempotencyRecords for Embedded {
    async fn idempotency(&self, scope: &str) -> Result<Option<IdempotencyRecord>, StoreError> {
        let scope = scope.to_string();
        self.db
            .read(move |conn| {
                text(
                    conn,
                    "SELECT doc FROM idempotency WHERE scope = ?1",
                    [&scope],
                )?
                .map(|doc| from_doc(&doc))
                .transpose()
            })
            .await
    }
}

/// Keeps an idempotency record, unless its key is still honoured for an earlier request.
/// Records past their time (this key's among them) are removed on the way.
pub(crate) fn remember(tx: &Transaction, record: &IdempotencyRecord) -> Result<(), StoreError> {
    let now = nanos(record.created_at);
    let sql = "SELECT 1 FROM idempotency WHERE scope = ?1 AND expires > ?2";
    if exists(tx, sql, params![record.scope, now])? {
        return Err(StoreError::Conflict(ConflictKind::IdempotencyKey));
    }
    execute(tx, "DELETE FROM idempotency WHERE expires <= ?1", [now])?;
    let sql = "INSERT INTO idempotency (scope, expires, doc) VALUES (?1, ?2, ?3)";
    let values = params![record.scope, nanos(record.expires_at()), to_doc(record)?];
    execute(tx, sql, values).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::texts;

    #[test]
    fn expired_idempotency_records_are_purged_as_new_ones_come() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let t0 = time::macros::datetime!(2025-06-02 03:00 UTC);
        let record = |scope: &str, created_at| IdempotencyRecord {
            scope: scope.to_string(),
            request_hash: "h".to_string(),
            response: serde_json::Value::Null,
            created_at,
        };
        let tx = conn.transaction().unwrap();
        remember(&tx, &record("old", t0)).unwrap();
        remember(&tx, &record("recent", t0 + time::Duration::hours(20))).unwrap();
        remember(&tx, &record("new", t0 + IdempotencyRecord::KEPT)).unwrap();
        let kept = texts(&tx, "SELECT scope FROM idempotency ORDER BY scope", []).unwrap();
        assert_eq!(kept, ["new", "recent"]);
    }
}

//! Idempotency records.

use std::sync::Arc;

use super::*;

/// A key past its time can be used again: its record is replaced.
pub async fn an_expired_idempotency_key_can_be_used_again(store: Arc<impl Stores>) {
    let record = |created_at| IdempotencyRecord {
        scope: "k".to_string(),
        request_hash: "h".to_string(),
        response: serde_json::Value::Null,
        created_at,
    };
    let mut first = new_report(report(1));
    first.idempotency = Some(record(T0));
    store.create(first).await.unwrap();
    let mut early = new_report(report(2));
    early.idempotency = Some(record(T0 + IdempotencyRecord::KEPT - Duration::seconds(1)));
    assert_eq!(
        store.create(early).await,
        Err(StoreError::Conflict(ConflictKind::IdempotencyKey))
    );
    let mut later = new_report(report(3));
    later.idempotency = Some(record(T0 + IdempotencyRecord::KEPT));
    store.create(later.clone()).await.unwrap();
    assert_eq!(store.idempotency("k").await.unwrap(), later.idempotency);
}

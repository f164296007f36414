//! Reports: atomic creates and version-guarded changes.

use std::sync::Arc;

use super::*;

/// A report is read back as written, by id and by tracking id, with its timeline and secrets.
pub async fn created_reports_load_whole(store: Arc<impl Stores>) {
    let report = report(1);
    let mut new = new_report(report.clone());
    new.idempotency = Some(IdempotencyRecord {
        scope: "citizen:kunci".to_string(),
        request_hash: "abc".to_string(),
        response: serde_json::json!({"tracking_id": report.tracking_id()}),
        created_at: T0,
    });
    let written = new.clone();
    store.create(new).await.unwrap();

    let by_id = load(&*store, &report).await.unwrap();
    assert_eq!(by_id.report, report);
    assert_eq!(by_id.entries, written.entries);
    let key = ReportKey::Tracking(report.tracking_id().clone());
    assert_eq!(store.load(&key).await.unwrap().unwrap().report, report);
    let unknown = ReportKey::Tracking(TrackingId::from_number(99_999_999));
    assert!(store.load(&unknown).await.unwrap().is_none());
    assert_eq!(
        store.access_code_hash(report.tracking_id()).await.unwrap(),
        Some((
            report.id().clone(),
            written.access_code_hash.clone().unwrap()
        ))
    );
    assert_eq!(
        store.idempotency("citizen:kunci").await.unwrap(),
        written.idempotency
    );
    assert_eq!(store.idempotency("citizen:lain").await.unwrap(), None);
}

/// A create that collides on tracking id, idempotency key or id fails and writes nothing.
pub async fn a_taken_tracking_id_or_key_writes_nothing(store: Arc<impl Stores>) {
    let mut first = new_report(report(1));
    first.idempotency = Some(IdempotencyRecord {
        scope: "k".to_string(),
        request_hash: "h".to_string(),
        response: serde_json::Value::Null,
        created_at: T0,
    });
    store.create(first.clone()).await.unwrap();

    let same_tracking = patched(
        &report(2),
        json!({"tracking_id": first.report.tracking_id()}),
    );
    let result = store.create(new_report(same_tracking.clone())).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::TrackingId)));
    assert!(load(&*store, &same_tracking).await.is_none());

    let mut same_key = new_report(report(3));
    same_key.idempotency = first.idempotency.clone();
    let result = store.create(same_key.clone()).await;
    assert_eq!(
        result,
        Err(StoreError::Conflict(ConflictKind::IdempotencyKey))
    );
    assert!(load(&*store, &same_key.report).await.is_none());

    let same_id = patched(&report(4), json!({"id": first.report.id()}));
    let result = store.create(new_report(same_id)).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Duplicate)));
    assert_eq!(store.outbox_pending(10).await.unwrap(), first.outbox);
}

/// A change is written only over the version it was made from, entries appended in order.
pub async fn apply_is_guarded_by_the_version(store: Arc<impl Stores>) {
    let first = report(1);
    create(&*store, first.clone()).await;
    let second = disposed(first.clone(), 50, 10);
    store.apply(change(&first, &second, 1)).await.unwrap();

    let stored = load(&*store, &first).await.unwrap();
    assert_eq!(stored.report, second);
    assert_eq!(stored.entries.len(), 2);
    assert_eq!(stored.entries[1], change(&first, &second, 1).entries[0]);

    // A writer that read version 1 too loses, and nothing of its change is kept.
    let stale = patched(
        &disposed(first.clone(), 60, 20),
        json!({"submission": {"title": "Judul yang lain"}}),
    );
    let result = store.apply(change(&first, &stale, 2)).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Version)));
    let stored = load(&*store, &first).await.unwrap();
    assert_eq!(stored.report, second);
    assert_eq!(stored.entries.len(), 2);
    assert_eq!(store.outbox_pending(10).await.unwrap().len(), 2);

    // A report that does not exist cannot be changed either.
    let ghost = disposed(report(9), 50, 30);
    let result = store.apply(change(&report(9), &ghost, 3)).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Version)));
}

/// Eight writers change the same version at once: exactly one wins.
pub async fn concurrent_changes_have_one_winner(store: Arc<impl Stores>) {
    let first = report(1);
    create(&*store, first.clone()).await;
    let tasks: Vec<_> = (0..8u128)
        .map(|i| {
            let store = store.clone();
            let next = disposed(first.clone(), 50 + i, 10);
            let before = first.clone();
            tokio::spawn(async move { store.apply(change(&before, &next, i)).await })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => wins += 1,
            Err(e) => assert_eq!(e, StoreError::Conflict(ConflictKind::Version)),
        }
    }
    assert_eq!(wins, 1);
    let stored = load(&*store, &first).await.unwrap();
    assert_eq!(stored.entries.len(), 2);
    assert_eq!(stored.report.version(), 2);
}

//! Throttle counters.

use std::sync::Arc;

use super::*;

/// Attempts count within a window, start again in the next keeping the one before as
/// `previous` (forgotten after a window without attempts), and are forgotten on clear;
/// concurrent attempts each get their own count, so none slips past a limit.
pub async fn throttle_counts_per_window(store: Arc<impl Stores>) {
    let length = Duration::minutes(15);
    let window = datetime!(2025-06-02 10:00 UTC);
    let next_window = window + length;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.attempt("login:siti", window, length).await.unwrap() })
        })
        .collect();
    let mut counts = Vec::new();
    for task in tasks {
        counts.push(task.await.unwrap().current);
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>());
    let seen = |previous, current| Attempts { previous, current };
    assert_eq!(
        store.attempt("login:budi", window, length).await.unwrap(),
        seen(0, 1)
    );
    assert_eq!(
        store
            .attempt("login:siti", next_window, length)
            .await
            .unwrap(),
        seen(20, 1)
    );
    assert_eq!(
        store
            .attempt("login:siti", next_window, length)
            .await
            .unwrap(),
        seen(20, 2)
    );
    store.clear("login:siti").await.unwrap();
    assert_eq!(
        store
            .attempt("login:siti", next_window, length)
            .await
            .unwrap(),
        seen(0, 1)
    );
    assert_eq!(
        store.attempt("login:budi", window, length).await.unwrap(),
        seen(0, 2)
    );
    // Two windows on, the one before had no attempt.
    let later = next_window + length;
    assert_eq!(
        store.attempt("login:budi", later, length).await.unwrap(),
        seen(0, 1)
    );
}

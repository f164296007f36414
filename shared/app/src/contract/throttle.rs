//! Throttle counters.

use std::sync::Arc;

use super::*;

/// Attempts count within a window, start again in the next, and are forgotten on clear;
/// concurrent attempts each get their own count, so none slips past a limit.
pub async fn throttle_counts_per_window(store: Arc<impl Stores>) {
    let window = datetime!(2025-06-02 10:00 UTC);
    let next_window = window + Duration::minutes(15);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.attempt("login:siti", window).await.unwrap() })
        })
        .collect();
    let mut counts = Vec::new();
    for task in tasks {
        counts.push(task.await.unwrap());
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>());
    assert_eq!(store.attempt("login:budi", window).await.unwrap(), 1);
    assert_eq!(store.attempt("login:siti", next_window).await.unwrap(), 1);
    assert_eq!(store.attempt("login:siti", next_window).await.unwrap(), 2);
    store.clear("login:siti").await.unwrap();
    assert_eq!(store.attempt("login:siti", next_window).await.unwrap(), 1);
    assert_eq!(store.attempt("login:budi", window).await.unwrap(), 2);
}

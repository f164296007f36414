//! The outbox.

use std::sync::Arc;

use super::*;

/// Every message written with a change waits in the outbox, oldest first.
pub async fn the_outbox_keeps_every_message_in_order(store: Arc<impl Stores>) {
    let mut written = Vec::new();
    for n in 1..=3 {
        let new = new_report(report(n));
        written.extend(new.outbox.clone());
        store.create(new).await.unwrap();
    }
    assert_eq!(store.outbox_pending(10).await.unwrap(), written);
    assert_eq!(store.outbox_pending(2).await.unwrap(), written[..2]);
}

/// A message marked sent leaves the unsent ones, the others keep their order; marking it again
/// changes nothing.
pub async fn a_sent_message_leaves_the_outbox(store: Arc<impl Stores>) {
    let (one, two) = (report(1), report(2));
    create(&*store, one).await;
    create(&*store, two).await;
    let pending = store.outbox_pending(10).await.unwrap();
    assert_eq!(pending.len(), 2);
    store.mark_sent(&pending[0], T0).await.unwrap();
    store.mark_sent(&pending[0], T0).await.unwrap();
    assert_eq!(
        store.outbox_pending(10).await.unwrap(),
        vec![pending[1].clone()]
    );
    store.mark_sent(&pending[1], T0).await.unwrap();
    assert!(store.outbox_pending(10).await.unwrap().is_empty());
}

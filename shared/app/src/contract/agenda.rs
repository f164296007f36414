//! The jobs' agenda index.

use std::sync::Arc;

use lapor_domain::jobs::{Agenda, Job};

use super::*;

/// A job's agenda index: the reports due by a moment, earliest first, paged by position; each
/// change and each replan moves or removes a report's entry; a replan is guarded by the version.
pub async fn the_jobs_find_their_due_reports_by_time(store: Arc<impl Stores>) {
    let at = |hours: i64| T0 + Duration::hours(hours);
    let agenda = |check: Option<i64>, close: Option<i64>| Agenda {
        deadline_check: check.map(at),
        auto_close: close.map(at),
    };
    let due = |job, until, after: Option<&DueWork>, limit| {
        let store = store.clone();
        let after = after.cloned();
        async move {
            let found = store
                .due_work(job, until, after.as_ref(), limit)
                .await
                .unwrap();
            found
                .into_iter()
                .map(|w| (w.at, w.tracking_id))
                .collect::<Vec<_>>()
        }
    };
    let (r1, r2, r3, r4) = (report(1), report(2), report(3), report(4));
    for (r, plan) in [
        (&r1, agenda(Some(5), None)),
        (&r2, agenda(Some(2), Some(30))),
        (&r3, agenda(Some(48), None)),
        (&r4, agenda(None, None)),
    ] {
        let mut new = new_report(r.clone());
        new.agenda = plan;
        store.create(new).await.unwrap();
    }
    let tracking = |r: &Report| r.tracking_id().clone();
    assert_eq!(
        due(Job::DeadlineCheck, at(10), None, 10).await,
        vec![(at(2), tracking(&r2)), (at(5), tracking(&r1))],
        "due by hour 10, earliest first; not r3 (later) nor r4 (nothing planned)"
    );
    assert_eq!(
        due(Job::DeadlineCheck, at(5), None, 10).await,
        vec![(at(2), tracking(&r2)), (at(5), tracking(&r1))],
        "a report due exactly then is due"
    );
    assert_eq!(due(Job::AutoClose, at(10), None, 10).await, vec![]);
    assert_eq!(
        due(Job::AutoClose, at(30), None, 10).await,
        vec![(at(30), tracking(&r2))]
    );
    // Paging: one at a time, each page after the last one seen.
    let first = store
        .due_work(Job::DeadlineCheck, at(100), None, 1)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(&first[0].id, r2.id());
    assert_eq!(
        due(Job::DeadlineCheck, at(100), Some(&first[0]), 2).await,
        vec![(at(5), tracking(&r1)), (at(48), tracking(&r3))]
    );

    // A change moves the report in the index, or takes it out.
    let r2b = next_version(&r2);
    let mut moved = change(&r2, &r2b, 1);
    moved.agenda = agenda(Some(50), None);
    moved.agenda_before = agenda(Some(2), Some(30));
    store.apply(moved).await.unwrap();
    assert_eq!(
        due(Job::DeadlineCheck, at(49), None, 10).await,
        vec![(at(5), tracking(&r1)), (at(48), tracking(&r3))]
    );
    assert_eq!(due(Job::AutoClose, at(100), None, 10).await, vec![]);

    // A replan moves it without changing the report, only over the version it was made from.
    store.replan(&r1, &agenda(None, Some(7))).await.unwrap();
    assert_eq!(load(&*store, &r1).await.unwrap().report, r1);
    assert_eq!(
        due(Job::DeadlineCheck, at(49), None, 10).await,
        vec![(at(48), tracking(&r3))]
    );
    assert_eq!(
        due(Job::AutoClose, at(7), None, 10).await,
        vec![(at(7), tracking(&r1))]
    );
    assert_eq!(
        store.replan(&r2, &agenda(Some(1), None)).await,
        Err(StoreError::Conflict(ConflictKind::Version)),
        "r2 moved on to version 2"
    );
    assert_eq!(
        due(Job::DeadlineCheck, at(49), None, 10).await,
        vec![(at(48), tracking(&r3))],
        "the refused replan wrote nothing"
    );
}

//! The public feed and the work lists.

use std::sync::Arc;

use lapor_domain::worklist::{InboxBox, Scope};

use super::*;

/// The feed: published and not confidential, filtered, newest change first, paged without gaps.
pub async fn the_feed_shows_public_reports_newest_first(store: Arc<impl Stores>) {
    let mut public = Vec::new();
    for n in 1..=5 {
        let r = disposed(report(n), 50, 100 + n as i64);
        create(&*store, r.clone()).await;
        public.push(r);
    }
    public.reverse();
    let confidential = patched(
        &disposed(report(6), 50, 200),
        json!({"submission": {"confidential": true}}),
    );
    create(&*store, confidential).await;
    create(&*store, report(7)).await;
    let other = patched(
        &disposed(report(8), 60, 50),
        json!({"submission": {
            "category": "kesehatan",
            "body": "Puskesmas tutup pada jam pelayanan.",
        }}),
    );
    create(&*store, other.clone()).await;

    let query = |f: &dyn Fn(&mut FeedQuery)| {
        let mut q = FeedQuery {
            limit: 50,
            ..FeedQuery::default()
        };
        f(&mut q);
        q
    };
    let all = store.feed(&query(&|_| {})).await.unwrap();
    assert_eq!(all.items.len(), 6);
    assert!(all.next.is_none());

    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let q = query(&|q| {
            q.category = Some("infrastruktur".to_string());
            q.limit = 2;
            q.after = after.clone();
        });
        let page = store.feed(&q).await.unwrap();
        seen.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(ids(&seen), ids(&public));

    let by_words = query(&|q| q.words = vec!["puskesmas".into(), "tutup".into()]);
    assert_eq!(
        ids(&store.feed(&by_words).await.unwrap().items),
        ids(std::slice::from_ref(&other))
    );
    let by_agency = query(&|q| q.agency_id = Some(agency_ref(60).id));
    assert_eq!(store.feed(&by_agency).await.unwrap().items.len(), 1);
    let closed = query(&|q| q.status = Some(Status::Closed));
    assert!(store.feed(&closed).await.unwrap().items.is_empty());
}

fn inbox_query(scope: Scope, inbox: InboxBox) -> InboxQuery {
    InboxQuery {
        scope,
        inbox,
        words: Vec::new(),
        overdue_only: false,
        now: T0,
        limit: 50,
        after: None,
    }
}

async fn inbox(store: &impl Stores, scope: &Scope, inbox: InboxBox) -> Vec<TrackingId> {
    let query = inbox_query(scope.clone(), inbox);
    ids(&store.inbox(&query).await.unwrap().items)
}

/// Each report shows in the boxes of its status, holder, target, copies and request parties.
pub async fn work_lists_sort_reports_into_boxes(store: Arc<impl Stores>) {
    let a = Scope::Agency(agency_ref(50).id);
    let b = Scope::Agency(agency_ref(60).id);
    let new = report(1);
    create(&*store, new.clone()).await;
    let targeted = targeted_at(report(4), 50);
    create(&*store, targeted.clone()).await;
    let copied = patched(
        &disposed(report(2), 50, 10),
        json!({"copies": [agency_ref(60)]}),
    );
    create(&*store, copied.clone()).await;
    let asked = patched(
        &disposed(report(3), 60, 20),
        json!({
            "status": "in_progress",
            "requests": [{
                "id": RequestId::from_ulid(ulid(7)),
                "from": agency_ref(60),
                "to": null,
                "reason": "Bukan wewenang kami.",
                "at": time(T0),
                "decision": null,
            }],
        }),
    );
    create(&*store, asked.clone()).await;

    use lapor_domain::worklist::InboxBox::*;
    let national = Scope::National;
    assert_eq!(
        inbox(&*store, &national, Verification).await,
        ids(&[targeted.clone(), new])
    );
    assert_eq!(
        inbox(&*store, &national, Pending).await,
        ids(std::slice::from_ref(&copied))
    );
    assert_eq!(
        inbox(&*store, &national, InProgress).await,
        ids(std::slice::from_ref(&asked))
    );
    assert_eq!(
        inbox(&*store, &national, Copies).await,
        ids(std::slice::from_ref(&copied))
    );
    assert_eq!(
        inbox(&*store, &national, Requests).await,
        ids(std::slice::from_ref(&asked))
    );
    assert_eq!(
        inbox(&*store, &a, Pending).await,
        ids(std::slice::from_ref(&copied))
    );
    assert_eq!(
        inbox(&*store, &a, Verification).await,
        ids(std::slice::from_ref(&targeted)),
        "the target agency verifies what was addressed to it"
    );
    assert!(inbox(&*store, &b, Verification).await.is_empty());
    assert!(inbox(&*store, &a, InProgress).await.is_empty());
    assert!(inbox(&*store, &a, Copies).await.is_empty());
    assert_eq!(
        inbox(&*store, &b, Copies).await,
        ids(std::slice::from_ref(&copied))
    );
    assert_eq!(
        inbox(&*store, &b, InProgress).await,
        ids(std::slice::from_ref(&asked))
    );
    assert_eq!(
        inbox(&*store, &b, Requests).await,
        ids(std::slice::from_ref(&asked))
    );

    // Once the copy is gone, so is the report from B's copies.
    let uncopied = patched(&next_version(&copied), json!({"copies": []}));
    store.apply(change(&copied, &uncopied, 1)).await.unwrap();
    assert!(inbox(&*store, &b, Copies).await.is_empty());
}

/// The counts, the overdue flag and filter, and paging of a box.
pub async fn work_list_counts_and_overdue(store: Arc<impl Stores>) {
    let a = Scope::Agency(agency_ref(50).id);
    let late = patched(
        &disposed(report(1), 50, 10),
        json!({"deadlines": {"response": {"at": time(T0 + Duration::hours(1)), "marked_overdue": false}}}),
    );
    create(&*store, late.clone()).await;
    let marked = patched(
        &disposed(report(2), 50, 20),
        json!({"deadlines": {"response": {"at": time(T0 + Duration::days(30)), "marked_overdue": true}}}),
    );
    create(&*store, marked.clone()).await;
    let on_time = patched(
        &disposed(report(3), 50, 30),
        json!({"deadlines": {"response": {"at": time(T0 + Duration::days(30)), "marked_overdue": false}}}),
    );
    create(&*store, on_time.clone()).await;
    create(&*store, targeted_at(report(4), 50)).await;

    let later = T0 + Duration::days(1);
    let counts = store.inbox_counts(&a, later).await.unwrap();
    assert_eq!(
        counts,
        InboxCounts {
            verification: 1,
            pending: 3,
            in_progress: 0,
            overdue: 2
        }
    );
    let national = store.inbox_counts(&Scope::National, T0).await.unwrap();
    assert_eq!(
        (national.verification, national.pending, national.overdue),
        (1, 3, 1)
    );

    let mut query = inbox_query(a.clone(), InboxBox::Pending);
    query.now = later;
    query.overdue_only = true;
    let overdue = store.inbox(&query).await.unwrap();
    assert_eq!(ids(&overdue.items), ids(&[marked.clone(), late.clone()]));

    query.overdue_only = false;
    query.limit = 2;
    let first = store.inbox(&query).await.unwrap();
    assert_eq!(ids(&first.items), ids(&[on_time, marked]));
    query.after = first.next;
    let rest = store.inbox(&query).await.unwrap();
    assert_eq!(ids(&rest.items), ids(&[late]));
    assert!(rest.next.is_none());
}

/// A reporter's own list holds what they reported signed in, whatever its state (confidential,
/// archived), newest change first, and nobody else's.
pub async fn a_reporter_lists_their_own_reports(store: Arc<impl Stores>) {
    let siti = UserId::from_ulid(ulid(7));
    let by = |user: &UserId| json!({"reporter": {"user_id": user, "name": "Siti"}});
    let first = patched(&report(1), by(&siti));
    let second = patched(
        &disposed(report(2), 50, 100),
        json!({"reporter": {"user_id": siti, "name": "Siti"}, "submission": {"confidential": true}}),
    );
    let other = patched(&report(3), by(&UserId::from_ulid(ulid(8))));
    for r in [&first, &second, &other] {
        create(&*store, r.clone()).await;
    }
    create(&*store, report(4)).await;
    let page = store.reported_by(&siti, 1, None).await.unwrap();
    assert_eq!(ids(&page.items), ids(std::slice::from_ref(&second)));
    let rest = store
        .reported_by(&siti, 10, page.next.as_ref())
        .await
        .unwrap();
    assert_eq!(ids(&rest.items), ids(std::slice::from_ref(&first)));
    assert!(rest.next.is_none());
}

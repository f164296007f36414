//! The behaviour every backend's stores must have, as one suite of checks. A backend's tests
//! run it with [`crate::store_contract!`] and a function that gives a fresh, empty store.
//!
//! The reports here are built by hand, not through the use cases: the stores must keep and
//! index whatever state they are given.

use std::sync::Arc;

use lapor_domain::agency::Profile;
use lapor_domain::event::ActorStamp;
use lapor_domain::fields::*;
use lapor_domain::notify::Recipient;
use lapor_domain::report::{
    Assignment, Channel, Deadline, NotAuthorityRequest, Reporter, Submission,
};
use lapor_domain::*;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use ulid::Ulid;

use crate::ports::*;
use lapor_domain::jobs::{Agenda, Job};

/// What the suite needs of a backend: every store.
pub use crate::ports::Store as Stores;

/// Generates one `#[tokio::test]` per check, each on a fresh store from `$fresh` (an async
/// function returning the store).
#[macro_export]
macro_rules! store_contract {
    ($fresh:path) => {
        $crate::store_contract!(@checks $fresh;
            created_reports_load_whole,
            a_taken_tracking_id_or_key_writes_nothing,
            apply_is_guarded_by_the_version,
            concurrent_changes_have_one_winner,
            the_outbox_keeps_every_message_in_order,
            the_feed_shows_public_reports_newest_first,
            work_lists_sort_reports_into_boxes,
            work_list_counts_and_overdue,
            the_jobs_find_their_due_reports_by_time,
            an_expired_idempotency_key_can_be_used_again,
            accounts_are_unique_by_login,
            agencies_list_in_id_order,
            throttle_counts_per_window,
            an_upload_is_attached_once,
            a_sent_message_leaves_the_outbox,
            notifications_are_kept_once_and_listed_newest_first,
        );
    };
    (@checks $fresh:path; $($check:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let store = std::sync::Arc::new($fresh().await);
                $crate::contract::$check(store).await;
            }
        )*
    };
}

const T0: OffsetDateTime = datetime!(2025-06-02 03:00 UTC);

fn ulid(n: u128) -> Ulid {
    Ulid::from(n)
}

fn agency_ref(n: u128) -> AgencyRef {
    let id = AgencyId::from_ulid(ulid(n));
    AgencyRef {
        path: AgencyPath::root(id.clone()),
        id,
        name: format!("Instansi {n}"),
        zone: Zone::Wib,
        response_days: WorkingDays::RESPONSE_DEFAULT,
    }
}

/// A submitted report number `n`, changed at `T0 + n` seconds.
fn report(n: u128) -> Report {
    let at = T0 + Duration::seconds(n as i64);
    let submission = Submission {
        classification: Classification::Complaint,
        title: Title::parse(&format!("Jalan rusak nomor {n}")).unwrap(),
        body: ReportBody::parse("Jalan di depan pasar berlubang besar dan membahayakan.").unwrap(),
        category: Category::parse("infrastruktur").unwrap(),
        incident_date: IncidentDate::parse("2025-05-30", date!(2025 - 06 - 02)).unwrap(),
        location: Location {
            province: PlaceName::parse("Jawa Barat").unwrap(),
            regency: PlaceName::parse("Kota Bandung").unwrap(),
            district: None,
            village: None,
            address: None,
            lat: None,
            lon: None,
        },
        target: None,
        anonymous: false,
        confidential: false,
        contact: Contact::default(),
        attachments: Vec::new(),
    };
    Report {
        id: ReportId::from_ulid(ulid(1_000_000 + n)),
        tracking_id: TrackingId::from_number(10_000_000 + n as u64),
        submission,
        channel: Channel::Web,
        status: Status::Submitted,
        reporter: Reporter::default(),
        chain: Vec::new(),
        copies: Vec::new(),
        audience: Vec::new(),
        verified_at: None,
        deadlines: Default::default(),
        follow_ups: 0,
        awaiting_reporter_since: None,
        waiting_since: at,
        escalated: false,
        requests: Vec::new(),
        rating: None,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

/// The report as addressed by its reporter to agency `to`.
fn targeted_at(mut report: Report, to: u128) -> Report {
    report.submission.target = Some(agency_ref(to));
    report
}

/// The report disposed to agency `to`, at version 2, changed `n` seconds after `T0`.
fn disposed(mut report: Report, to: u128, n: i64) -> Report {
    report.status = Status::Disposed;
    report.chain.push(Assignment {
        to: agency_ref(to),
        by: None,
    });
    report.updated_at = T0 + Duration::seconds(n);
    report.version += 1;
    report
}

fn entry(report: &Report, n: u128, event: Event) -> Entry {
    Entry {
        id: EntryId::from_ulid(ulid(2_000_000 + n)),
        report_id: report.id.clone(),
        at: report.updated_at,
        actor: ActorStamp {
            role: None,
            user_id: None,
            name: None,
            agency_id: None,
            reporter: false,
        },
        event,
    }
}

fn message(report: &Report, entry: &Entry) -> OutboxMessage {
    OutboxMessage {
        id: Ulid::generate().to_string(),
        at: entry.at,
        report_id: report.id.clone(),
        tracking_id: report.tracking_id.clone(),
        entry_id: entry.id.clone(),
        event: entry.event.kind().to_string(),
        recipients: vec![Recipient::Reporter],
    }
}

fn new_report(report: Report) -> NewReport {
    let first = entry(&report, report.version as u128 * 1000, Event::Submitted);
    NewReport {
        outbox: vec![message(&report, &first)],
        entries: vec![first],
        access_code_hash: Some(format!("hash-{}", report.tracking_id)),
        idempotency: None,
        agenda: Default::default(),
        report,
        attachments: Vec::new(),
    }
}

/// The change from `before` to `report`, with one comment entry.
fn change(before: &Report, report: &Report, n: u128) -> Change {
    let note = Event::Comment {
        body: Message::parse("Catatan internal untuk tim.").unwrap(),
        internal: true,
    };
    let entry = entry(report, n, note);
    Change {
        before: before.clone(),
        outbox: vec![message(report, &entry)],
        entries: vec![entry],
        report: report.clone(),
        attachments: Vec::new(),
        agenda: Default::default(),
        agenda_before: Default::default(),
    }
}

async fn create(store: &impl Stores, report: Report) {
    store.create(new_report(report)).await.unwrap();
}

async fn load(store: &impl Stores, report: &Report) -> Option<Stored> {
    store.load(&ReportKey::Id(report.id.clone())).await.unwrap()
}

fn ids(reports: &[Report]) -> Vec<TrackingId> {
    reports.iter().map(|r| r.tracking_id.clone()).collect()
}

/// A report is read back as written, by id and by tracking id, with its timeline and secrets.
pub async fn created_reports_load_whole(store: Arc<impl Stores>) {
    let report = report(1);
    let mut new = new_report(report.clone());
    new.idempotency = Some(IdempotencyRecord {
        scope: "citizen:kunci".to_string(),
        request_hash: "abc".to_string(),
        response: serde_json::json!({"tracking_id": report.tracking_id}),
        created_at: T0,
    });
    let written = new.clone();
    store.create(new).await.unwrap();

    let by_id = load(&*store, &report).await.unwrap();
    assert_eq!(by_id.report, report);
    assert_eq!(by_id.entries, written.entries);
    let key = ReportKey::Tracking(report.tracking_id.clone());
    assert_eq!(store.load(&key).await.unwrap().unwrap().report, report);
    let unknown = ReportKey::Tracking(TrackingId::from_number(99_999_999));
    assert!(store.load(&unknown).await.unwrap().is_none());
    assert_eq!(
        store.access_code_hash(&report.tracking_id).await.unwrap(),
        Some((report.id.clone(), written.access_code_hash.clone().unwrap()))
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

    let mut same_tracking = report(2);
    same_tracking.tracking_id = first.report.tracking_id.clone();
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

    let mut same_id = report(4);
    same_id.id = first.report.id.clone();
    let result = store.create(new_report(same_id)).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Duplicate)));
    assert_eq!(store.outbox_pending(10).await.unwrap(), first.outbox);
}

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
    let mut stale = disposed(first.clone(), 60, 20);
    stale.submission.title = Title::parse("Judul yang lain").unwrap();
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
    assert_eq!(stored.report.version, 2);
}

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

/// The feed: published and not confidential, filtered, newest change first, paged without gaps.
pub async fn the_feed_shows_public_reports_newest_first(store: Arc<impl Stores>) {
    let mut public = Vec::new();
    for n in 1..=5 {
        let r = disposed(report(n), 50, 100 + n as i64);
        create(&*store, r.clone()).await;
        public.push(r);
    }
    public.reverse();
    let mut confidential = disposed(report(6), 50, 200);
    confidential.submission.confidential = true;
    create(&*store, confidential).await;
    create(&*store, report(7)).await;
    let mut other = disposed(report(8), 60, 50);
    other.submission.category = Category::parse("kesehatan").unwrap();
    other.submission.body = ReportBody::parse("Puskesmas tutup pada jam pelayanan.").unwrap();
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
        ids(&[other.clone()])
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
    let mut copied = disposed(report(2), 50, 10);
    copied.copies.push(agency_ref(60));
    create(&*store, copied.clone()).await;
    let mut asked = disposed(report(3), 60, 20);
    asked.status = Status::InProgress;
    asked.requests.push(NotAuthorityRequest {
        id: RequestId::from_ulid(ulid(7)),
        from: agency_ref(60),
        to: None,
        reason: Reason::parse("Bukan wewenang kami.").unwrap(),
        at: T0,
        decision: None,
    });
    create(&*store, asked.clone()).await;

    use InboxBox::*;
    let national = Scope::National;
    assert_eq!(
        inbox(&*store, &national, Verification).await,
        ids(&[targeted.clone(), new])
    );
    assert_eq!(
        inbox(&*store, &national, Pending).await,
        ids(&[copied.clone()])
    );
    assert_eq!(
        inbox(&*store, &national, InProgress).await,
        ids(&[asked.clone()])
    );
    assert_eq!(
        inbox(&*store, &national, Copies).await,
        ids(&[copied.clone()])
    );
    assert_eq!(
        inbox(&*store, &national, Requests).await,
        ids(&[asked.clone()])
    );
    assert_eq!(inbox(&*store, &a, Pending).await, ids(&[copied.clone()]));
    assert_eq!(
        inbox(&*store, &a, Verification).await,
        ids(std::slice::from_ref(&targeted)),
        "the target agency verifies what was addressed to it"
    );
    assert!(inbox(&*store, &b, Verification).await.is_empty());
    assert!(inbox(&*store, &a, InProgress).await.is_empty());
    assert!(inbox(&*store, &a, Copies).await.is_empty());
    assert_eq!(inbox(&*store, &b, Copies).await, ids(&[copied.clone()]));
    assert_eq!(inbox(&*store, &b, InProgress).await, ids(&[asked.clone()]));
    assert_eq!(inbox(&*store, &b, Requests).await, ids(&[asked.clone()]));

    // Once the copy is gone, so is the report from B's copies.
    let mut uncopied = copied.clone();
    uncopied.copies.clear();
    uncopied.version += 1;
    store.apply(change(&copied, &uncopied, 1)).await.unwrap();
    assert!(inbox(&*store, &b, Copies).await.is_empty());
}

/// The counts, the overdue flag and filter, and paging of a box.
pub async fn work_list_counts_and_overdue(store: Arc<impl Stores>) {
    let a = Scope::Agency(agency_ref(50).id);
    let mut late = disposed(report(1), 50, 10);
    late.deadlines.response = Some(Deadline {
        at: T0 + Duration::hours(1),
        marked_overdue: false,
        warned: false,
    });
    create(&*store, late.clone()).await;
    let mut marked = disposed(report(2), 50, 20);
    marked.deadlines.response = Some(Deadline {
        at: T0 + Duration::days(30),
        marked_overdue: true,
        warned: false,
    });
    create(&*store, marked.clone()).await;
    let mut on_time = disposed(report(3), 50, 30);
    on_time.deadlines.response = Some(Deadline {
        at: T0 + Duration::days(30),
        marked_overdue: false,
        warned: false,
    });
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

fn user(n: u128, email: Option<&str>, phone: Option<&str>) -> User {
    User {
        id: UserId::from_ulid(ulid(3_000_000 + n)),
        name: format!("Warga {n}"),
        email: email.map(|e| Email::parse(e).unwrap()),
        phone: phone.map(|p| Phone::parse(p).unwrap()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        role: Role::Citizen,
        agency_id: None,
        created_at: T0,
    }
}

/// Accounts are found by e-mail, phone or id; a taken login is refused.
pub async fn accounts_are_unique_by_login(store: Arc<impl Stores>) {
    assert!(!store.has_users().await.unwrap());
    let siti = user(1, Some("siti@warga.test"), Some("081234567890"));
    store.create_user(&siti).await.unwrap();
    let by_email = Login::Email(Email::parse("SITI@warga.test").unwrap());
    assert_eq!(
        store.user_by_login(&by_email).await.unwrap(),
        Some(siti.clone())
    );
    let by_phone = Login::Phone(Phone::parse("+6281234567890").unwrap());
    assert_eq!(
        store.user_by_login(&by_phone).await.unwrap(),
        Some(siti.clone())
    );
    assert_eq!(store.user(&siti.id).await.unwrap(), Some(siti.clone()));

    let same_email = user(2, Some("siti@warga.test"), None);
    let result = store.create_user(&same_email).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Email)));
    let same_phone = user(3, None, Some("081234567890"));
    let result = store.create_user(&same_phone).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Phone)));
    let without_phone = user(4, Some("budi@warga.test"), None);
    store.create_user(&without_phone).await.unwrap();
    let also_without = user(5, Some("ani@warga.test"), None);
    store.create_user(&also_without).await.unwrap();
    assert!(store.has_users().await.unwrap());
    assert_eq!(store.user(&same_email.id).await.unwrap(), None);
}

fn agency(n: u128) -> Agency {
    let id = AgencyId::from_ulid(ulid(n));
    Agency {
        path: AgencyPath::root(id.clone()),
        id,
        name: AgencyName::parse(&format!("Instansi {n}")).unwrap(),
        zone: Zone::Wita,
        response_days: WorkingDays::RESPONSE_DEFAULT,
        profile: Profile::default(),
        created_at: T0,
        version: 1,
    }
}

/// Agencies are listed in id order after a given id; updates replace the record.
pub async fn agencies_list_in_id_order(store: Arc<impl Stores>) {
    for n in [3, 1, 2] {
        store.create_agency(&agency(n)).await.unwrap();
    }
    let result = store.create_agency(&agency(1)).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Duplicate)));
    let first = store.list_agencies(None, 2).await.unwrap();
    assert_eq!(first, vec![agency(1), agency(2)]);
    let rest = store.list_agencies(Some(&agency(2).id), 2).await.unwrap();
    assert_eq!(rest, vec![agency(3)]);

    let mut renamed = agency(2);
    renamed.name = AgencyName::parse("Dinas Kesehatan").unwrap();
    renamed.version = 2;
    store.update_agency(&renamed).await.unwrap();
    assert_eq!(
        store.agency(&renamed.id).await.unwrap(),
        Some(renamed.clone())
    );
    // A change made from the old version loses, and changes nothing.
    let mut stale = agency(2);
    stale.response_days = WorkingDays::parse(10).unwrap();
    stale.version = 2;
    let result = store.update_agency(&stale).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Version)));
    assert_eq!(store.agency(&renamed.id).await.unwrap(), Some(renamed));
    assert_eq!(store.agency(&agency(9).id).await.unwrap(), None);
}

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

fn upload(n: u128) -> AttachmentRecord {
    use lapor_domain::attachment::{Attachment, ContentType, FileName};
    AttachmentRecord {
        attachment: Attachment {
            id: AttachmentId::from_ulid(ulid(3_000_000 + n)),
            filename: FileName::parse(&format!("foto-{n}.jpg")).unwrap(),
            content_type: ContentType::Jpeg,
            size: 1000 + n as u64,
        },
        owner: "user:warga".to_string(),
        object: format!("{n:032x}"),
        created_at: T0,
        report_id: None,
    }
}

/// An upload is kept as declared and attached by exactly one report write; a write that names
/// an attached or unknown upload writes nothing.
pub async fn an_upload_is_attached_once(store: Arc<impl Stores>) {
    let (photo, scan) = (upload(1), upload(2));
    store.create_attachment(&photo).await.unwrap();
    store.create_attachment(&scan).await.unwrap();
    assert_eq!(
        store.create_attachment(&photo).await,
        Err(StoreError::Conflict(ConflictKind::Duplicate))
    );
    assert_eq!(
        store.attachment(&photo.attachment.id).await.unwrap(),
        Some(photo.clone())
    );
    assert_eq!(
        store.attachment(&upload(9).attachment.id).await.unwrap(),
        None
    );

    let first = report(1);
    let mut new = new_report(first.clone());
    new.attachments = vec![photo.attachment.id.clone()];
    store.create(new).await.unwrap();
    let claimed = store
        .attachment(&photo.attachment.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.report_id, Some(first.id.clone()));

    let mut again = new_report(report(2));
    again.attachments = vec![scan.attachment.id.clone(), photo.attachment.id.clone()];
    assert_eq!(
        store.create(again.clone()).await,
        Err(StoreError::Conflict(ConflictKind::Attachment))
    );
    assert!(load(&*store, &again.report).await.is_none());
    assert_eq!(
        store.attachment(&scan.attachment.id).await.unwrap(),
        Some(scan.clone())
    );

    let second = disposed(first.clone(), 50, 10);
    for taken in [&photo, &upload(9)] {
        let mut change = change(&first, &second, 1);
        change.attachments = vec![scan.attachment.id.clone(), taken.attachment.id.clone()];
        assert_eq!(
            store.apply(change).await,
            Err(StoreError::Conflict(ConflictKind::Attachment))
        );
        assert_eq!(load(&*store, &first).await.unwrap().report, first);
    }
    let mut change = change(&first, &second, 1);
    change.attachments = vec![scan.attachment.id.clone()];
    store.apply(change).await.unwrap();
    let claimed = store
        .attachment(&scan.attachment.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.report_id, Some(first.id.clone()));
}

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
    let tracking = |r: &Report| r.tracking_id.clone();
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
    assert_eq!(first[0].id, r2.id);
    assert_eq!(
        due(Job::DeadlineCheck, at(100), Some(&first[0]), 2).await,
        vec![(at(5), tracking(&r1)), (at(48), tracking(&r3))]
    );

    // A change moves the report in the index, or takes it out.
    let mut r2b = r2.clone();
    r2b.version += 1;
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

/// A message marked sent leaves the unsent ones, the others keep their order; marking it again
/// changes nothing.
pub async fn a_sent_message_leaves_the_outbox(store: Arc<impl Stores>) {
    let (one, two) = (report(1), report(2));
    create(&*store, one).await;
    create(&*store, two).await;
    let pending = store.outbox_pending(10).await.unwrap();
    assert_eq!(pending.len(), 2);
    store.mark_sent(&pending[0]).await.unwrap();
    store.mark_sent(&pending[0]).await.unwrap();
    assert_eq!(
        store.outbox_pending(10).await.unwrap(),
        vec![pending[1].clone()]
    );
    store.mark_sent(&pending[1]).await.unwrap();
    assert!(store.outbox_pending(10).await.unwrap().is_empty());
}

fn notification(id: &str, audience: Audience) -> Notification {
    let report = report(1);
    Notification {
        id: id.to_string(),
        audience,
        report_id: report.id.clone(),
        tracking_id: report.tracking_id.clone(),
        event: "disposed".to_string(),
        text: format!("Laporan #{} telah didisposisikan.", report.tracking_id),
        created_at: T0,
    }
}

/// A notification is kept once per audience and id (a redelivery adds nothing); a reader's
/// audiences are listed together, newest first, each message once, paged by id; read marks
/// are per reader; a webhook delivery is remembered.
pub async fn notifications_are_kept_once_and_listed_newest_first(store: Arc<impl Stores>) {
    let user = Audience::User(UserId::from_ulid(ulid(5)));
    let agency = Audience::Agency(AgencyId::from_ulid(ulid(6)));
    let other = Audience::Admins(None);
    let ids = [
        "01JDF5M0000000000000000001",
        "01JDF5M0000000000000000002",
        "01JDF5M0000000000000000003",
    ];
    assert!(
        store
            .add_notification(&notification(ids[0], user.clone()))
            .await
            .unwrap()
    );
    assert!(
        !store
            .add_notification(&notification(ids[0], user.clone()))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_notification(&notification(ids[1], agency.clone()))
            .await
            .unwrap()
    );
    // The same message to two of the reader's audiences.
    assert!(
        store
            .add_notification(&notification(ids[2], user.clone()))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_notification(&notification(ids[2], agency.clone()))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_notification(&notification(ids[1], other.clone()))
            .await
            .unwrap()
    );

    let reader = [user.clone(), agency.clone()];
    let listed = |found: Vec<Notification>| found.into_iter().map(|n| n.id).collect::<Vec<_>>();
    assert_eq!(
        listed(store.notifications(&reader, None, 10).await.unwrap()),
        [ids[2], ids[1], ids[0]]
    );
    assert_eq!(
        listed(store.notifications(&reader, None, 2).await.unwrap()),
        [ids[2], ids[1]]
    );
    assert_eq!(
        listed(store.notifications(&reader, Some(ids[1]), 2).await.unwrap()),
        [ids[0]]
    );
    assert_eq!(
        listed(
            store
                .notifications(std::slice::from_ref(&other), None, 10)
                .await
                .unwrap()
        ),
        [ids[1]]
    );

    let me = user.key();
    store.mark_read(&me, &[ids[0].to_string()]).await.unwrap();
    store.mark_read(&me, &[ids[0].to_string()]).await.unwrap();
    let all: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let read = store.read_marks(&me, &all).await.unwrap();
    assert_eq!(read, [ids[0].to_string()].into_iter().collect());
    assert!(
        store
            .read_marks(&agency.key(), &all)
            .await
            .unwrap()
            .is_empty()
    );

    let key = format!("{}:{}:sms", ids[0], user.key());
    assert_eq!(store.count_failure(&key).await.unwrap(), 1);
    assert_eq!(store.count_failure(&key).await.unwrap(), 2);
    assert!(!store.delivered(&key).await.unwrap());
    store.mark_delivered(&key, T0).await.unwrap();
    assert!(store.delivered(&key).await.unwrap());
}

//! The behaviour every backend's stores must have, as one suite of checks, one file per port.
//! A backend's tests run it with [`crate::store_contract!`] and a function that gives a fresh,
//! empty store.
//!
//! The reports here are stored documents, not the outcome of use cases: the stores must keep
//! and index whatever state they are given. A fixture is written as the document a store holds
//! and read back through the domain's parsers, as a store reads it.

mod accounts;
mod agencies;
mod agenda;
mod attachments;
mod categories;
mod idempotency;
mod lists;
mod notifications;
mod outbox;
mod reports;
mod sessions;
mod throttle;

pub use accounts::*;
pub use agencies::*;
pub use agenda::*;
pub use attachments::*;
pub use categories::*;
pub use idempotency::*;
pub use lists::*;
pub use notifications::*;
pub use outbox::*;
pub use reports::*;
pub use sessions::*;
pub use throttle::*;

use lapor_domain::event::ActorStamp;
use lapor_domain::fields::Message;
use lapor_domain::notify::Recipient;
use lapor_domain::*;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use ulid::Ulid;

use crate::ports::*;

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
            account_changes_move_logins_and_lists,
            agencies_list_in_id_order,
            a_rating_counts_once_in_the_agencys_tally,
            throttle_counts_per_window,
            an_upload_is_attached_once,
            a_sent_message_leaves_the_outbox,
            notifications_are_kept_once_and_listed_newest_first,
            sessions_are_kept_until_removed,
            the_category_tree_is_replaced_by_version,
            a_reporter_lists_their_own_reports,
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
        response_days: lapor_domain::fields::WorkingDays::RESPONSE_DEFAULT,
    }
}

fn time(at: OffsetDateTime) -> Value {
    json!(at.format(&Rfc3339).expect("a test moment formats"))
}

/// The report with `patch` merged into its document (objects key by key, anything else
/// replaced), read back as a store reads a document.
fn patched(report: &Report, patch: Value) -> Report {
    fn merge(doc: &mut Value, patch: Value) {
        match (doc, patch) {
            (Value::Object(doc), Value::Object(patch)) => {
                for (key, value) in patch {
                    merge(doc.entry(key).or_insert(Value::Null), value);
                }
            }
            (doc, patch) => *doc = patch,
        }
    }
    let mut doc = serde_json::to_value(report).expect("a report is a document");
    merge(&mut doc, patch);
    serde_json::from_value(doc).expect("the patched document is a report")
}

/// A submitted report number `n`, changed at `T0 + n` seconds.
fn report(n: u128) -> Report {
    let at = time(T0 + Duration::seconds(n as i64));
    serde_json::from_value(json!({
        "id": ReportId::from_ulid(ulid(1_000_000 + n)),
        "tracking_id": TrackingId::from_number(10_000_000 + n as u64),
        "submission": {
            "classification": "complaint",
            "title": format!("Jalan rusak nomor {n}"),
            "body": "Jalan di depan pasar berlubang besar dan membahayakan.",
            "category": "infrastruktur",
            "incident_date": "2025-05-30",
            "location": {"province": "Jawa Barat", "regency": "Kota Bandung"},
            "target": null,
            "anonymous": false,
            "confidential": false,
        },
        "channel": "web",
        "status": "submitted",
        "reporter": {"user_id": null, "name": null},
        "waiting_since": at,
        "rating": null,
        "created_at": at,
        "updated_at": at,
        "version": 1,
    }))
    .expect("the fixture is a report")
}

/// The report as addressed by its reporter to agency `to`.
fn targeted_at(report: Report, to: u128) -> Report {
    patched(&report, json!({"submission": {"target": agency_ref(to)}}))
}

/// The report disposed to agency `to`, one version on, changed `n` seconds after `T0`.
fn disposed(report: Report, to: u128, n: i64) -> Report {
    let mut chain = serde_json::to_value(report.chain()).expect("a chain is a document");
    if let Value::Array(links) = &mut chain {
        links.push(json!({"to": agency_ref(to), "by": null}));
    }
    patched(
        &report,
        json!({
            "status": "disposed",
            "chain": chain,
            "updated_at": time(T0 + Duration::seconds(n)),
            "version": report.version() + 1,
        }),
    )
}

/// The report one version on, otherwise unchanged.
fn next_version(report: &Report) -> Report {
    patched(report, json!({"version": report.version() + 1}))
}

fn entry(report: &Report, n: u128, event: Event) -> Entry {
    Entry {
        id: EntryId::from_ulid(ulid(2_000_000 + n)),
        report_id: report.id().clone(),
        at: report.updated_at(),
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
        report_id: report.id().clone(),
        tracking_id: report.tracking_id().clone(),
        entry_id: entry.id.clone(),
        event: entry.event.kind(),
        recipients: vec![Recipient::Reporter],
    }
}

fn new_report(report: Report) -> NewReport {
    let first = entry(&report, report.version() as u128 * 1000, Event::Submitted);
    NewReport {
        outbox: vec![message(&report, &first)],
        entries: vec![first],
        access_code_hash: Some(format!("hash-{}", report.tracking_id())),
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
    store
        .load(&ReportKey::Id(report.id().clone()))
        .await
        .unwrap()
}

fn ids(reports: &[Report]) -> Vec<TrackingId> {
    reports.iter().map(|r| r.tracking_id().clone()).collect()
}

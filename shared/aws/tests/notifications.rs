//! In-app notifications, read marks, webhook delivery marks and the outbox's "sent" mark on
//! DynamoDB (a moto server), each check on a fresh table.

use lapor_app::{
    Audience, NewReport, Notification, NotificationStore, Outbox, OutboxMessage, Reports,
};
use lapor_aws::testing::{fresh_table, table_text};
use lapor_domain::actions::{self, Context};
use lapor_domain::fields::*;
use lapor_domain::notify::Recipient;
use lapor_domain::report::{Channel, Submission};
use lapor_domain::*;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use ulid::Ulid;

const T0: OffsetDateTime = datetime!(2025-06-02 03:00 UTC);

fn report_id() -> ReportId {
    ReportId::from_ulid(Ulid::from(1_000_001))
}

fn agency() -> AgencyId {
    AgencyId::parse("01JDF5M00000000000000002G2").unwrap()
}

/// The ULID of the `n`th second after `T0`: ids that sort by time.
fn id_at(n: u64) -> String {
    let ms = (T0 + Duration::seconds(n as i64)).unix_timestamp() as u64 * 1000;
    Ulid::from_parts(ms, u128::from(n)).to_string()
}

fn notification(n: u64, audience: Audience) -> Notification {
    let tracking_id = TrackingId::from_number(12_345_678);
    Notification {
        id: id_at(n),
        audience,
        report_id: report_id(),
        text: lapor_domain::notify::text(EventKind::Disposed, &tracking_id),
        tracking_id,
        event: EventKind::Disposed,
        created_at: T0 + Duration::seconds(n as i64),
    }
}

fn ids(list: &[Notification]) -> Vec<String> {
    list.iter().map(|n| n.id.clone()).collect()
}

#[tokio::test]
async fn a_notification_is_kept_once_per_audience() {
    let store = fresh_table().await;
    let first = notification(1, Audience::Agency(agency()));
    assert!(store.add_notification(&first).await.unwrap());
    let mut again = first.clone();
    again.text = "redelivered".into();
    assert!(!store.add_notification(&again).await.unwrap());
    // The same message for another audience is that audience's own.
    let national = Notification {
        audience: Audience::Admins(None),
        ..first.clone()
    };
    assert!(store.add_notification(&national).await.unwrap());

    let kept = store
        .notifications(&[Audience::Agency(agency())], None, 10)
        .await
        .unwrap();
    assert_eq!(kept, std::slice::from_ref(&first));
    let text = table_text(&store).await;
    let keyed = format!("\"sk\": S(\"{}\")", first.id);
    assert_eq!(
        text.matches(&keyed).count(),
        2,
        "one item per audience: {text}"
    );
    assert!(!text.contains("redelivered"));
}

#[tokio::test]
async fn a_readers_audiences_list_newest_first_and_page_by_id() {
    let store = fresh_table().await;
    let user = Audience::User(UserId::from_ulid(Ulid::from(7)));
    let staff = Audience::Agency(agency());
    let admins = Audience::Admins(Some(agency()));
    for n in 1..=6 {
        let audience = [&user, &staff, &admins][n as usize % 3].clone();
        store
            .add_notification(&notification(n, audience))
            .await
            .unwrap();
    }
    // A message reaching two of the reader's audiences is listed once.
    store
        .add_notification(&notification(6, staff.clone()))
        .await
        .unwrap();
    // Someone else's.
    store
        .add_notification(&notification(9, Audience::Admins(None)))
        .await
        .unwrap();

    let audiences = [user, staff, admins];
    let first = store.notifications(&audiences, None, 4).await.unwrap();
    assert_eq!(ids(&first), [id_at(6), id_at(5), id_at(4), id_at(3)]);
    let before = first.last().map(|n| n.id.clone()).unwrap();
    let rest = store
        .notifications(&audiences, Some(&before), 4)
        .await
        .unwrap();
    assert_eq!(ids(&rest), [id_at(2), id_at(1)]);
    assert!(
        store
            .notifications(&audiences, None, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.notifications(&[], None, 5).await.unwrap().is_empty());
}

#[tokio::test]
async fn read_marks_are_the_readers_own() {
    let store = fresh_table().await;
    let reader = Audience::User(UserId::from_ulid(Ulid::from(7))).key();
    let other = Audience::User(UserId::from_ulid(Ulid::from(8))).key();
    let all: Vec<String> = (1..=30).map(id_at).collect();
    assert!(store.read_marks(&reader, &all).await.unwrap().is_empty());

    // More than one batch of writes, with an id twice.
    let mut read: Vec<String> = all[..27].to_vec();
    read.push(all[0].clone());
    store.mark_read(&reader, &read).await.unwrap();
    store.mark_read(&reader, &all[..1]).await.unwrap();
    store.mark_read(&reader, &[]).await.unwrap();

    let marks = store.read_marks(&reader, &all).await.unwrap();
    assert_eq!(marks.len(), 27);
    assert!(marks.contains(&all[0]) && marks.contains(&all[26]) && !marks.contains(&all[27]));
    let asked = [all[3].clone(), all[29].clone(), all[3].clone()];
    let some = store.read_marks(&reader, &asked).await.unwrap();
    assert_eq!(some.into_iter().collect::<Vec<_>>(), [all[3].clone()]);
    assert!(store.read_marks(&other, &all).await.unwrap().is_empty());
    assert!(store.read_marks(&reader, &[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_webhook_delivery_is_marked_and_expires_in_time() {
    let store = fresh_table().await;
    let key = format!("hook:{}:{}", id_at(1), Audience::Agency(agency()).key());
    assert!(!store.delivered(&key).await.unwrap());
    store.mark_delivered(&key, T0).await.unwrap();
    store.mark_delivered(&key, T0).await.unwrap();
    assert!(store.delivered(&key).await.unwrap());
    assert!(!store.delivered("hook:another").await.unwrap());

    let expires = (T0 + Duration::days(30)).unix_timestamp().to_string();
    let text = table_text(&store).await;
    assert!(
        text.contains(&format!("\"expires\": N(\"{expires}\")")),
        "{text}"
    );
}

/// A submitted report with one outbox message per event given.
fn new_report(events: &[EventKind]) -> NewReport {
    let submission = Submission {
        classification: Classification::Complaint,
        title: Title::parse("Jalan rusak di depan pasar").unwrap(),
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
            codes: None,
        },
        target: None,
        anonymous: false,
        confidential: false,
        contact: Contact::default(),
        attachments: Vec::new(),
    };
    let calendar = Calendar::weekends_only();
    let ctx = Context {
        now: T0,
        calendar: &calendar,
    };
    let new = actions::NewReport {
        id: report_id(),
        tracking_id: TrackingId::from_number(12_345_678),
        channel: Channel::Web,
        entry_id: EntryId::from_ulid(Ulid::from(2_000_001)),
    };
    let (report, submitted) = actions::submit(new, submission, &Actor::Public, &ctx);
    let entry = submitted.entry;
    let outbox = events
        .iter()
        .enumerate()
        .map(|(n, event)| OutboxMessage {
            id: id_at(n as u64 + 1),
            at: T0 + Duration::seconds(n as i64),
            report_id: report.id().clone(),
            tracking_id: report.tracking_id().clone(),
            entry_id: entry.id.clone(),
            event: *event,
            recipients: vec![Recipient::Admins { agency_id: None }],
        })
        .collect();
    NewReport {
        report,
        entries: vec![entry],
        outbox,
        access_code_hash: None,
        idempotency: None,
        attachments: Vec::new(),
        agenda: Default::default(),
    }
}

#[tokio::test]
async fn a_message_marked_sent_leaves_the_outbox_and_marking_again_changes_nothing() {
    let store = fresh_table().await;
    let new = new_report(&[
        EventKind::Submitted,
        EventKind::DeadlineWarning,
        EventKind::Overdue,
    ]);
    let outbox = new.outbox.clone();
    store.create(new).await.unwrap();
    assert_eq!(store.outbox_pending(10).await.unwrap(), outbox);

    store.mark_sent(&outbox[1], T0).await.unwrap();
    assert_eq!(
        store.outbox_pending(10).await.unwrap(),
        [outbox[0].clone(), outbox[2].clone()]
    );
    store.mark_sent(&outbox[1], T0).await.unwrap();
    store.mark_sent(&outbox[0], T0).await.unwrap();
    assert_eq!(store.outbox_pending(10).await.unwrap(), [outbox[2].clone()]);

    // A message that was never written: nothing to do, and nothing is made of it.
    let before = table_text(&store).await;
    let mut stray = outbox[2].clone();
    stray.id = id_at(99);
    store.mark_sent(&stray, T0).await.unwrap();
    assert_eq!(table_text(&store).await.len(), before.len());
    assert!(!table_text(&store).await.contains(&stray.id));
    // The report and its sent messages stay.
    assert_eq!(before.matches("O#").count(), 3);
}

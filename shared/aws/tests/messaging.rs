//! The notifications queue (SQS) and the integration events' bus (EventBridge) on a moto
//! server. What the bus published is read from a queue a rule on the bus targets, as a consumer
//! of the bus would receive it.

use std::collections::HashSet;

use lapor_app::notifications::integration_event;
use lapor_app::{EventBus, IntegrationEvent, NotificationQueue, OutboxMessage};
use lapor_aws::testing::{bus_with_capture, fresh_queue, moto_environment, receive};
use lapor_aws::{EventBridgeBus, SqsQueue};
use lapor_domain::notify::Recipient;
use lapor_domain::{AgencyId, EntryId, EventKind, ReportId, TrackingId};
use serde_json::Value;
use time::macros::datetime;
use ulid::Ulid;

fn message(n: u128, event: EventKind) -> OutboxMessage {
    OutboxMessage {
        id: Ulid::from_parts(1_748_833_200_000 + n as u64, n).to_string(),
        at: datetime!(2025-06-02 03:00:00.25 UTC),
        report_id: ReportId::from_ulid(Ulid::from(1_000_001)),
        tracking_id: TrackingId::from_number(12_345_678),
        entry_id: EntryId::from_ulid(Ulid::from(2_000_000 + n)),
        event,
        recipients: vec![
            Recipient::Reporter,
            Recipient::Agency {
                agency_id: AgencyId::parse("01JDF5M00000000000000002G2").unwrap(),
            },
        ],
    }
}

/// Every message waiting in `queue`, until a receive comes back empty.
async fn drain(queue: &SqsQueue) -> Vec<aws_sdk_sqs::types::Message> {
    let mut all = Vec::new();
    loop {
        let got = receive(queue, 10).await;
        if got.is_empty() {
            return all;
        }
        all.extend(got);
    }
}

fn body(message: &aws_sdk_sqs::types::Message) -> Value {
    serde_json::from_str(message.body().unwrap()).unwrap()
}

#[tokio::test]
async fn a_sent_message_arrives_as_its_json() {
    let queue = fresh_queue().await;
    let sent = message(1, EventKind::Disposed);
    assert_eq!(
        queue.send(std::slice::from_ref(&sent)).await.unwrap(),
        std::slice::from_ref(&sent.id)
    );

    let got = receive(&queue, 10).await;
    assert_eq!(got.len(), 1);
    let back: OutboxMessage = serde_json::from_str(got[0].body().unwrap()).unwrap();
    assert_eq!(back, sent);
    assert_eq!(body(&got[0]), serde_json::to_value(&sent).unwrap());
    let count = got[0].attributes().and_then(|a| {
        a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
    });
    assert_eq!(count.map(String::as_str), Some("1"));
}

#[tokio::test]
async fn twenty_three_messages_go_in_three_batches_all_accepted() {
    let queue = fresh_queue().await;
    let sent: Vec<OutboxMessage> = (1..=23).map(|n| message(n, EventKind::Submitted)).collect();
    let accepted = queue.send(&sent).await.unwrap();
    let expected: Vec<String> = sent.iter().map(|m| m.id.clone()).collect();
    assert_eq!(accepted, expected);

    let got: HashSet<String> = drain(&queue)
        .await
        .iter()
        .map(|m| body(m)["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected.into_iter().collect());
    assert!(queue.send(&[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_queue_that_does_not_exist_is_an_error_not_a_send() {
    let real = fresh_queue().await;
    let missing = SqsQueue::from_config(
        &moto_environment(),
        real.url().replace("lapor-test-queue", "no-such-queue"),
    );
    assert!(
        missing
            .send(&[message(1, EventKind::Submitted)])
            .await
            .is_err()
    );
    assert!(
        SqsQueue::named(&moto_environment(), "no-such-queue", false)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_created_queue_sends_what_fails_five_times_to_its_dead_letter_queue() {
    let queue = fresh_queue().await;
    let name = queue.url().rsplit('/').next().unwrap().to_string();
    // Creating it again finds the same queue.
    let again = SqsQueue::named(&moto_environment(), &name, true)
        .await
        .unwrap();
    assert_eq!(again.url(), queue.url());
    let dead = SqsQueue::named(&moto_environment(), &format!("{name}-dlq"), false)
        .await
        .unwrap();
    assert_ne!(dead.url(), queue.url());
    let attributes = aws_sdk_sqs::Client::new(&moto_environment())
        .get_queue_attributes()
        .queue_url(queue.url())
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)
        .send()
        .await
        .unwrap();
    let redrive: Value = serde_json::from_str(
        attributes
            .attributes()
            .and_then(|a| a.get(&aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy))
            .unwrap(),
    )
    .unwrap();
    assert!(
        redrive["deadLetterTargetArn"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{name}-dlq"))
    );
    assert_eq!(
        redrive["maxReceiveCount"].to_string().trim_matches('"'),
        "5"
    );
}

#[tokio::test]
async fn a_published_event_reaches_the_bus_with_its_type_source_and_ids() {
    let (bus, capture) = bus_with_capture().await;
    let disposed = message(1, EventKind::Disposed);
    let followed = message(2, EventKind::FollowUp);
    let events = [integration_event(&disposed), integration_event(&followed)];
    let accepted = bus.publish(&events).await.unwrap();
    assert_eq!(accepted, [disposed.id.clone(), followed.id.clone()]);

    let mut got: Vec<Value> = drain(&capture).await.iter().map(body).collect();
    got.sort_by_key(|e| e["detail"]["event_id"].as_str().unwrap().to_string());
    assert_eq!(got.len(), 2);
    let event = &got[0];
    assert_eq!(event["source"], "lapor");
    assert_eq!(event["detail-type"], "report.disposed");
    assert_eq!(got[1]["detail-type"], "report.followed_up");
    assert_eq!(
        event["detail"],
        serde_json::json!({
            "event_id": disposed.id,
            "event": "disposed",
            "report_id": disposed.report_id,
            "tracking_id": disposed.tracking_id,
            "entry_id": disposed.entry_id,
        })
    );
    assert_eq!(event["time"], "2025-06-02T03:00:00Z");
}

#[tokio::test]
async fn twenty_three_events_go_in_three_requests_all_accepted() {
    let (bus, capture) = bus_with_capture().await;
    let events: Vec<IntegrationEvent> = (1..=23)
        .map(|n| integration_event(&message(n, EventKind::Submitted)))
        .collect();
    let accepted = bus.publish(&events).await.unwrap();
    assert_eq!(
        accepted,
        events.iter().map(|e| e.id.clone()).collect::<Vec<_>>()
    );
    assert_eq!(drain(&capture).await.len(), 23);
}

#[tokio::test]
async fn an_entry_the_bus_refuses_is_not_accepted() {
    let (bus, capture) = bus_with_capture().await;
    let good = integration_event(&message(1, EventKind::Closed));
    // EventBridge refuses an entry without a detail-type in FailedEntryCount, not as an error.
    let refused = IntegrationEvent {
        detail_type: String::new(),
        ..integration_event(&message(2, EventKind::Closed))
    };
    let later = integration_event(&message(3, EventKind::Closed));
    let accepted = bus
        .publish(&[good.clone(), refused, later.clone()])
        .await
        .unwrap();
    assert_eq!(accepted, [good.id, later.id]);
    assert_eq!(drain(&capture).await.len(), 2);
}

#[tokio::test]
async fn a_bus_that_does_not_exist_accepts_nothing() {
    let bus = EventBridgeBus::from_config(&moto_environment(), "no-such-bus");
    let published = bus
        .publish(&[integration_event(&message(1, EventKind::Closed))])
        .await;
    assert!(
        published.as_ref().map_or(true, Vec::is_empty),
        "{published:?}"
    );
    // Creating it makes it work.
    bus.create_if_missing().await.unwrap();
    bus.create_if_missing().await.unwrap();
    let accepted = bus
        .publish(&[integration_event(&message(1, EventKind::Closed))])
        .await
        .unwrap();
    assert_eq!(accepted.len(), 1);
}

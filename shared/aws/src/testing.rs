//! A moto server for tests: the AWS wire protocols (DynamoDB, S3, SQS, EventBridge) on a free
//! loopback port, one per test process, gone when the process ends.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::AttributeValue;

use crate::{Dynamo, EventBridgeBus, Meter, S3Blobs, SqsQueue};

/// Runs moto in-process in Python and ends it as soon as its parent (the test process) is
/// gone, however that ends: no server outlives its tests. It exits at once rather than
/// stopping the server, whose shutdown waits for requests in flight (a busy moto once outlived
/// its tests by minutes that way).
///
/// DynamoDB's writes are serialized as the real service serializes conflicting ones: moto
/// checks a condition and writes without a lock, so two of eight concurrent transactions on
/// one version could both succeed there (never on DynamoDB).
const LAUNCHER: &str = r#"
import os, sys, threading, time
from moto.dynamodb.models import DynamoDBBackend
from moto.server import ThreadedMotoServer

writes = threading.RLock()  # re-entrant: a transaction calls the other writes
def serialized(write):
    def locked(*args, **kwargs):
        with writes:
            return write(*args, **kwargs)
    return locked
for name in ("transact_write_items", "put_item", "update_item", "delete_item", "batch_write_item"):
    setattr(DynamoDBBackend, name, serialized(getattr(DynamoDBBackend, name)))

server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
print("ready", flush=True)
parent = os.getppid()
while os.getppid() == parent:
    time.sleep(0.5)
os._exit(0)
"#;

static ENDPOINT: OnceLock<String> = OnceLock::new();

/// The endpoint of this process's moto server, started on first use.
///
/// # Panics
///
/// When moto cannot be started (`pip install 'moto[server]'`); only tests call this.
#[expect(
    clippy::zombie_processes,
    reason = "moto lives as long as the test process and stops itself when it ends"
)]
pub fn moto_endpoint() -> &'static str {
    ENDPOINT.get_or_init(|| {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new("python3")
            .args(["-c", LAUNCHER, &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 starts");
        let stdout = child.stdout.take().expect("moto's output");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("moto answers");
        assert_eq!(
            line.trim(),
            "ready",
            "moto did not start: pip install 'moto[server]'"
        );
        format!("http://127.0.0.1:{port}")
    })
}

/// A client of the moto server with test credentials, counting its requests on `meter`.
pub fn moto_client(meter: &Meter) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto_endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "moto"))
        .interceptor(meter.clone())
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// The AWS environment of the moto server, with test credentials.
pub fn moto_environment() -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto_endpoint())
        .credentials_provider(aws_sdk_dynamodb::config::SharedCredentialsProvider::new(
            Credentials::new("test", "test", None, None, "moto"),
        ))
        .build()
}

/// The AWS environment of any `endpoint`, with test credentials and lapor's timeouts
/// ([`crate::timeouts`]), as the deployed functions have them: for faults, such as an endpoint
/// that stops answering.
pub fn environment_at(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(Region::new("ap-southeast-3"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_dynamodb::config::SharedCredentialsProvider::new(
            Credentials::new("test", "test", None, None, "test"),
        ))
        .timeout_config(crate::timeouts())
        .build()
}

/// A new, empty bucket of the moto server.
pub async fn fresh_bucket() -> S3Blobs {
    static BUCKETS: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "lapor-test-{}-{}",
        std::process::id(),
        BUCKETS.fetch_add(1, Ordering::Relaxed)
    );
    let blobs = S3Blobs::from_config(&moto_environment(), name);
    blobs
        .create_bucket_if_missing()
        .await
        .expect("the bucket is created");
    blobs
}

/// A name no other test of this process uses.
fn unique(kind: &str) -> String {
    static NAMES: AtomicU32 = AtomicU32::new(0);
    format!(
        "lapor-test-{kind}-{}-{}",
        std::process::id(),
        NAMES.fetch_add(1, Ordering::Relaxed)
    )
}

/// A new, empty queue of the moto server, with its dead-letter queue.
pub async fn fresh_queue() -> SqsQueue {
    SqsQueue::named(&moto_environment(), &unique("queue"), true)
        .await
        .expect("the queue is created")
}

/// A new event bus of the moto server.
pub async fn fresh_bus() -> EventBridgeBus {
    let bus = EventBridgeBus::from_config(&moto_environment(), unique("bus"));
    bus.create_if_missing().await.expect("the bus is created");
    bus
}

/// Up to `max` (at most 10) messages waiting in `queue`, each with its
/// `ApproximateReceiveCount`; they are hidden from other receives for a while, not deleted.
pub async fn receive(queue: &SqsQueue, max: i32) -> Vec<aws_sdk_sqs::types::Message> {
    queue
        .client
        .receive_message()
        .queue_url(queue.url())
        .max_number_of_messages(max)
        .wait_time_seconds(1)
        .message_system_attribute_names(
            aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
        )
        .send()
        .await
        .expect("the queue answers")
        .messages
        .unwrap_or_default()
}

/// Up to `max` (at most 10) messages waiting in `queue` now, without waiting for more.
pub async fn receive_now(queue: &SqsQueue, max: i32) -> Vec<aws_sdk_sqs::types::Message> {
    queue
        .client
        .receive_message()
        .queue_url(queue.url())
        .max_number_of_messages(max)
        .send()
        .await
        .expect("the queue answers")
        .messages
        .unwrap_or_default()
}

/// Puts a raw message body on `queue` (a poison message, say).
pub async fn send_raw(queue: &SqsQueue, body: &str) {
    queue
        .client
        .send_message()
        .queue_url(queue.url())
        .message_body(body)
        .send()
        .await
        .expect("the queue answers");
}

/// Receives what `queue` holds now and makes it visible again at once, as a failed delivery
/// does once its visibility timeout is over.
pub async fn receive_and_release(queue: &SqsQueue, max: i32) -> Vec<aws_sdk_sqs::types::Message> {
    queue
        .client
        .receive_message()
        .queue_url(queue.url())
        .max_number_of_messages(max)
        .visibility_timeout(0)
        .send()
        .await
        .expect("the queue answers")
        .messages
        .unwrap_or_default()
}

/// What the dead-letter queue of a queue made by [`fresh_queue`] holds now.
pub async fn dead_letters(queue: &SqsQueue) -> Vec<aws_sdk_sqs::types::Message> {
    let dlq = SqsQueue::from_config(&moto_environment(), format!("{}-dlq", queue.url()));
    receive_now(&dlq, 10).await
}

/// Deletes a received message, as Lambda's event source mapping does once it was handled.
pub async fn delete(queue: &SqsQueue, receipt_handle: &str) {
    queue
        .client
        .delete_message()
        .queue_url(queue.url())
        .receipt_handle(receipt_handle)
        .send()
        .await
        .expect("the queue answers");
}

async fn queue_arn(queue: &SqsQueue) -> String {
    let name = aws_sdk_sqs::types::QueueAttributeName::QueueArn;
    queue
        .client
        .get_queue_attributes()
        .queue_url(queue.url())
        .attribute_names(name.clone())
        .send()
        .await
        .expect("the queue answers")
        .attributes
        .and_then(|mut attributes| attributes.remove(&name))
        .expect("a queue has an ARN")
}

/// A new event bus and a queue that receives everything published on it with the source
/// `lapor`, as EventBridge delivers it to a consumer (a rule with an SQS target, which moto
/// runs): the way tests see what was published.
pub async fn bus_with_capture() -> (EventBridgeBus, SqsQueue) {
    let bus = fresh_bus().await;
    let capture = fresh_queue().await;
    let rule = unique("rule");
    let client = bus.client();
    client
        .put_rule()
        .name(&rule)
        .event_bus_name(bus.name())
        .event_pattern(serde_json::json!({ "source": [crate::SOURCE] }).to_string())
        .send()
        .await
        .expect("the rule is made");
    let target = aws_sdk_eventbridge::types::Target::builder()
        .id("capture")
        .arn(queue_arn(&capture).await)
        .build()
        .expect("a target");
    let put = client
        .put_targets()
        .rule(&rule)
        .event_bus_name(bus.name())
        .targets(target)
        .send()
        .await
        .expect("the target is set");
    assert_eq!(put.failed_entry_count(), 0, "the capture target is set");
    (bus, capture)
}

/// The stores on a new, empty table of the moto server.
pub async fn fresh_table() -> Dynamo {
    fresh_metered_table(&Meter::default()).await
}

/// The stores on a new, empty table of the moto server, their requests counted on `meter`.
pub async fn fresh_metered_table(meter: &Meter) -> Dynamo {
    static TABLES: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "lapor-test-{}-{}",
        std::process::id(),
        TABLES.fetch_add(1, Ordering::Relaxed)
    );
    let dynamo = Dynamo::new(moto_client(meter), name);
    dynamo
        .create_table_if_missing()
        .await
        .expect("the table is created");
    dynamo
}

/// Every item of the table. A Scan, so for tests and measurements only.
async fn all_items(dynamo: &Dynamo) -> Vec<HashMap<String, AttributeValue>> {
    dynamo
        .client
        .scan()
        .table_name(dynamo.table())
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("the scan succeeds")
}

/// Everything the table holds, as text: for tests that prove what the store never keeps.
pub async fn table_text(dynamo: &Dynamo) -> String {
    all_items(dynamo)
        .await
        .iter()
        .map(|item| format!("{item:?}\n"))
        .collect()
}

/// The bytes the table's items take by DynamoDB's sizing rules (indexes not included).
pub async fn table_bytes(dynamo: &Dynamo) -> usize {
    all_items(dynamo)
        .await
        .iter()
        .map(crate::capacity::item_size)
        .sum()
}

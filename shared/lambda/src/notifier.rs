//! The notifier as a Lambda function: it consumes the notification queue (SQS) and, on its
//! schedule, sweeps the outbox of what the relay after each request left behind.
//!
//! A batch of SQS messages is delivered message by message; those that fail are reported back
//! (`batchItemFailures`, with the event source mapping's `ReportBatchItemFailures`) so SQS
//! redelivers only them, and a message that keeps failing (a poison message) ends in the
//! dead-letter queue after the queue's maximum receives. Delivery is idempotent, so a
//! redelivered message adds nothing.

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use lapor_app::App;
use lapor_app::OutboxMessage;
use lapor_app::notifications::{RELAY_BATCH, RelayPass};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Error;

/// How many relay passes one sweep makes at most (a backlog goes on at the next sweep).
const SWEEP_PASSES: usize = 20;

/// An SQS event, as Lambda hands it over: only what the notifier reads.
#[derive(Debug, Deserialize)]
pub struct SqsEvent {
    /// The messages.
    #[serde(rename = "Records")]
    pub records: Vec<SqsRecord>,
}

/// One SQS message.
#[derive(Debug, Deserialize)]
pub struct SqsRecord {
    /// Its id, named back when it failed.
    #[serde(rename = "messageId")]
    pub message_id: String,
    /// The outbox message, as JSON.
    pub body: String,
}

/// The answer to an SQS batch: the messages to redeliver.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchResponse {
    /// The failed messages.
    #[serde(rename = "batchItemFailures")]
    pub failures: Vec<ItemFailure>,
}

/// A failed message.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct ItemFailure {
    /// Its SQS message id.
    #[serde(rename = "itemIdentifier")]
    pub item_identifier: String,
}

/// Delivers a batch; answers the messages that failed.
pub async fn deliver_batch(app: &App, event: SqsEvent) -> BatchResponse {
    let mut response = BatchResponse::default();
    for record in event.records {
        let delivered = match serde_json::from_str::<OutboxMessage>(&record.body) {
            Ok(message) => app.deliver(&message).await.map_err(|e| e.to_string()),
            Err(e) => Err(format!("not an outbox message: {e}")),
        };
        if let Err(error) = delivered {
            tracing::error!(message = %record.message_id, %error, "delivery failed; SQS redelivers it");
            response.failures.push(ItemFailure {
                item_identifier: record.message_id,
            });
        }
    }
    response
}

/// Relays the outbox until it is empty or the passes run out.
pub async fn sweep(app: &App) -> Result<RelayPass, lapor_app::AppError> {
    let mut total = RelayPass::default();
    for _ in 0..SWEEP_PASSES {
        let pass = app.relay_outbox(RELAY_BATCH).await?;
        total.sent += pass.sent;
        total.left = pass.left;
        if pass.sent < RELAY_BATCH || pass.left > 0 {
            break;
        }
    }
    Ok(total)
}

/// Handles one invocation: an SQS batch, or a schedule event (a sweep).
pub async fn handle(app: &App, event: Value) -> Result<Value, Error> {
    if event.get("Records").is_some() {
        let batch: SqsEvent = serde_json::from_value(event)?;
        return Ok(serde_json::to_value(deliver_batch(app, batch).await)?);
    }
    let pass = sweep(app).await?;
    tracing::info!(sent = pass.sent, left = pass.left, "outbox swept");
    Ok(serde_json::to_value(pass)?)
}

/// Runs the notifier until the Lambda runtime stops the container; the configuration and the
/// stores are built once, before the first event.
pub async fn run_notifier() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let config = lapor_setup::Config::from_env()?;
    let app = lapor_setup::build_app(&config).await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let app = app.clone();
        async move { handle(&app, event.payload).await }
    }))
    .await
}

//! The notifications queue on SQS: the relay sends the outbox's messages there, the notifier
//! consumes them. A message counts as sent only once SQS has accepted it.

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{QueueAttributeName, SendMessageBatchRequestEntry};
use lapor_app::{NotificationQueue, OutboxMessage, StoreError};

use crate::error::unavailable;

/// Entries a SendMessageBatch takes.
const BATCH: usize = 10;

/// Receives of a message before SQS moves it to the dead-letter queue (as in the SAM template).
const MAX_RECEIVES: u32 = 5;

/// An SQS queue of outbox messages.
#[derive(Clone, Debug)]
pub struct SqsQueue {
    pub(crate) client: Client,
    url: String,
}

impl SqsQueue {
    /// The queue at `queue_url`, through a client of the AWS environment in `config`.
    pub fn from_config(config: &aws_config::SdkConfig, queue_url: impl Into<String>) -> Self {
        Self {
            client: Client::new(config),
            url: queue_url.into(),
        }
    }

    /// The queue named `name`, looked up by name. With `create` (emulators and first runs; in
    /// AWS the SAM template creates it), it is created first unless it exists, with a
    /// dead-letter queue `{name}-dlq` taking what was received 5 times.
    pub async fn named(
        config: &aws_config::SdkConfig,
        name: &str,
        create: bool,
    ) -> Result<Self, StoreError> {
        let client = Client::new(config);
        if create {
            let dead = client
                .create_queue()
                .queue_name(format!("{name}-dlq"))
                .send()
                .await
                .map_err(unavailable)?;
            let dead_url = dead.queue_url().unwrap_or_default();
            let attributes = client
                .get_queue_attributes()
                .queue_url(dead_url)
                .attribute_names(QueueAttributeName::QueueArn)
                .send()
                .await
                .map_err(unavailable)?;
            let dead_arn = attributes
                .attributes()
                .and_then(|a| a.get(&QueueAttributeName::QueueArn))
                .ok_or_else(|| {
                    StoreError::Unavailable("the dead-letter queue has no ARN".into())
                })?;
            let redrive = serde_json::json!({
                "deadLetterTargetArn": dead_arn,
                "maxReceiveCount": MAX_RECEIVES.to_string(),
            });
            client
                .create_queue()
                .queue_name(name)
                .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
                .send()
                .await
                .map_err(unavailable)?;
        }
        let found = client
            .get_queue_url()
            .queue_name(name)
            .send()
            .await
            .map_err(unavailable)?;
        let url = found
            .queue_url()
            .ok_or_else(|| StoreError::Unavailable(format!("the queue {name} has no URL")))?;
        Ok(Self {
            client,
            url: url.to_string(),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sends up to 10 messages in one request; answers the ids SQS accepted.
    async fn send_batch(&self, messages: &[OutboxMessage]) -> Result<Vec<String>, StoreError> {
        let mut entries = Vec::with_capacity(messages.len());
        for (n, message) in messages.iter().enumerate() {
            let body = serde_json::to_string(message).map_err(|e| {
                StoreError::Unavailable(format!("cannot encode an outbox message: {e}"))
            })?;
            // The entry's id is its place in the batch: always a valid id, never twice.
            let entry = SendMessageBatchRequestEntry::builder()
                .id(n.to_string())
                .message_body(body)
                .build()
                .map_err(unavailable)?;
            entries.push(entry);
        }
        let sent = self
            .client
            .send_message_batch()
            .queue_url(&self.url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(unavailable)?;
        let message = |entry_id: &str| entry_id.parse::<usize>().ok().and_then(|n| messages.get(n));
        for failed in sent.failed() {
            tracing::warn!(
                message_id = message(failed.id()).map(|m| m.id.as_str()),
                code = failed.code(),
                reason = failed.message(),
                sender_fault = failed.sender_fault(),
                "SQS refused a message; it stays in the outbox"
            );
        }
        Ok(sent
            .successful()
            .iter()
            .filter_map(|ok| message(ok.id()))
            .map(|m| m.id.clone())
            .collect())
    }
}

#[async_trait]
impl NotificationQueue for SqsQueue {
    /// Sends in batches of 10. A failed request ends the sending: what was accepted before is
    /// answered (the rest stays in the outbox), or the error if nothing was.
    async fn send(&self, messages: &[OutboxMessage]) -> Result<Vec<String>, StoreError> {
        let mut accepted = Vec::with_capacity(messages.len());
        for chunk in messages.chunks(BATCH) {
            match self.send_batch(chunk).await {
                Ok(ids) => accepted.extend(ids),
                Err(e) if accepted.is_empty() => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "SQS failed; the rest stays in the outbox");
                    break;
                }
            }
        }
        Ok(accepted)
    }
}

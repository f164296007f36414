//! Integration events on an EventBridge custom bus, for other systems. PutEvents can accept
//! some entries of a request and refuse others (`FailedEntryCount`): only the accepted ones
//! count as published, the others are retried with their outbox message.

use async_trait::async_trait;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::error::ProvideErrorMetadata;
use aws_sdk_eventbridge::operation::put_events::PutEventsOutput;
use aws_sdk_eventbridge::primitives::DateTime;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use lapor_app::{EventBus, IntegrationEvent, StoreError};

use crate::error::unavailable;

/// The `source` of every event lapor publishes.
pub const SOURCE: &str = "lapor";

/// Entries a PutEvents takes.
const BATCH: usize = 10;

#[derive(Clone, Debug)]
pub struct EventBridgeBus {
    client: Client,
    name: String,
}

impl EventBridgeBus {
    /// The bus named `bus_name`, through a client of the AWS environment in `config`.
    pub fn from_config(config: &aws_config::SdkConfig, bus_name: impl Into<String>) -> Self {
        Self {
            client: Client::new(config),
            name: bus_name.into(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Creates the bus unless it exists (for emulators and first runs; in AWS the SAM template
    /// creates it).
    pub async fn create_if_missing(&self) -> Result<(), StoreError> {
        match self.client.create_event_bus().name(&self.name).send().await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("ResourceAlreadyExistsException") => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// The client, for the test helpers that watch the bus.
    #[cfg(feature = "moto")]
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    fn entry(&self, event: &IntegrationEvent) -> Result<PutEventsRequestEntry, StoreError> {
        let detail = serde_json::to_string(&event.detail)
            .map_err(|e| StoreError::Unavailable(format!("cannot encode an event: {e}")))?;
        let time =
            DateTime::from_secs_and_nanos(event.time.unix_timestamp(), event.time.nanosecond());
        Ok(PutEventsRequestEntry::builder()
            .source(SOURCE)
            .detail_type(&event.detail_type)
            .detail(detail)
            .time(time)
            .event_bus_name(&self.name)
            .build())
    }

    /// Publishes up to 10 events in one request; answers the ids EventBridge accepted.
    async fn publish_batch(&self, events: &[IntegrationEvent]) -> Result<Vec<String>, StoreError> {
        let entries = events
            .iter()
            .map(|event| self.entry(event))
            .collect::<Result<Vec<_>, _>>()?;
        let put = self
            .client
            .put_events()
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(accepted(events, &put))
    }
}

/// The ids of the events a PutEvents accepted. Its result entries are in the order of the
/// request's: an entry with an error code (or an event id missing) was refused.
fn accepted(events: &[IntegrationEvent], put: &PutEventsOutput) -> Vec<String> {
    let results = put.entries();
    if put.failed_entry_count() > 0 || results.len() != events.len() {
        tracing::warn!(
            failed = put.failed_entry_count(),
            sent = events.len(),
            answered = results.len(),
            "EventBridge refused events; they stay in the outbox"
        );
    }
    events
        .iter()
        .zip(results)
        .filter_map(|(event, result)| {
            if result.error_code().is_some() || result.event_id().is_none() {
                tracing::warn!(
                    event_id = %event.id,
                    code = result.error_code(),
                    reason = result.error_message(),
                    "EventBridge refused an event"
                );
                None
            } else {
                Some(event.id.clone())
            }
        })
        .collect()
}

#[async_trait]
impl EventBus for EventBridgeBus {
    /// Publishes in batches of 10. A failed request ends the publishing: what was accepted
    /// before is answered (the rest stays in the outbox), or the error if nothing was.
    async fn publish(&self, events: &[IntegrationEvent]) -> Result<Vec<String>, StoreError> {
        let mut published = Vec::with_capacity(events.len());
        for chunk in events.chunks(BATCH) {
            match self.publish_batch(chunk).await {
                Ok(ids) => published.extend(ids),
                Err(e) if published.is_empty() => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "EventBridge failed; the rest stays in the outbox");
                    break;
                }
            }
        }
        Ok(published)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_eventbridge::types::PutEventsResultEntry;
    use time::OffsetDateTime;

    fn event(id: &str) -> IntegrationEvent {
        IntegrationEvent {
            id: id.into(),
            detail_type: "report.disposed".into(),
            time: OffsetDateTime::UNIX_EPOCH,
            detail: serde_json::json!({ "event_id": id }),
        }
    }

    #[test]
    fn only_the_entries_without_an_error_are_accepted() {
        let ok = |id: &str| PutEventsResultEntry::builder().event_id(id).build();
        let refused = PutEventsResultEntry::builder()
            .error_code("InternalFailure")
            .error_message("try again")
            .build();
        let put = PutEventsOutput::builder()
            .failed_entry_count(1)
            .entries(ok("e1"))
            .entries(refused)
            .entries(ok("e3"))
            .build();
        let events = [event("a"), event("b"), event("c")];
        assert_eq!(accepted(&events, &put), ["a", "c"]);
    }

    #[test]
    fn an_answer_short_of_entries_accepts_only_those_answered() {
        let put = PutEventsOutput::builder()
            .entries(PutEventsResultEntry::builder().event_id("e1").build())
            .build();
        assert_eq!(accepted(&[event("a"), event("b")], &put), ["a"]);
    }
}

//! The outbox: what each change must tell, written in the change's own atomic write.

use async_trait::async_trait;
use lapor_domain::notify::Recipient;
use lapor_domain::{EntryId, EventKind, ReportId, TrackingId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::StoreError;

/// A notification intent, written in the same atomic write as the change that causes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessage {
    /// Its id (a ULID): the consumers' dedupe key.
    pub id: String,
    /// When the change happened.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub report_id: ReportId,
    pub tracking_id: TrackingId,
    /// The timeline entry.
    pub entry_id: EntryId,
    /// What happened.
    pub event: EventKind,
    /// Who is to be told.
    pub recipients: Vec<Recipient>,
}

/// The messages waiting to be relayed.
#[async_trait]
pub trait Outbox: Send + Sync {
    /// Outbox messages not yet sent, oldest first.
    async fn outbox_pending(&self, limit: usize) -> Result<Vec<OutboxMessage>, StoreError>;
    /// Marks an outbox message sent at `at`: it leaves [`Outbox::outbox_pending`] (marking it
    /// twice changes nothing).
    async fn mark_sent(
        &self,
        message: &OutboxMessage,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;
}

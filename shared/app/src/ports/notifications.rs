//! In-app notifications, the notifier's queue and the integration events' bus.

use async_trait::async_trait;
use lapor_domain::{AgencyId, EventKind, ReportId, TrackingId, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{OutboxMessage, StoreError};

/// Who reads a notification in the app: one reader, or a group whose members all see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Audience {
    /// A person with an account.
    User(UserId),
    /// Whoever holds a report's access token (a reporter without an account).
    Report(ReportId),
    /// The staff of an agency.
    Agency(AgencyId),
    /// The admins of an agency; `None`: the national admins.
    Admins(Option<AgencyId>),
}

impl Audience {
    /// The audience as one string: `user:{id}`, `report:{id}`, `agency:{id}`,
    /// `admins:{agency id}` or `admins:national`.
    pub fn key(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Report(id) => format!("report:{id}"),
            Self::Agency(id) => format!("agency:{id}"),
            Self::Admins(Some(id)) => format!("admins:{id}"),
            Self::Admins(None) => "admins:national".to_string(),
        }
    }
}

/// What one audience reads in the app of one outbox message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// The outbox message's id (a ULID, so ids sort by time): with the audience, the key that
    /// makes a redelivered message change nothing.
    pub id: String,
    /// Who reads it.
    pub audience: Audience,
    pub report_id: ReportId,
    pub tracking_id: TrackingId,
    /// What happened.
    pub event: EventKind,
    /// The text, in Bahasa Indonesia.
    pub text: String,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// In-app notifications, their read marks, and the marks of webhook deliveries done.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Keeps a notification unless its audience has one of the same id: `true` when it is new.
    async fn add_notification(&self, notification: &Notification) -> Result<bool, StoreError>;
    /// The notifications of these audiences, newest first, with ids below `before`.
    async fn notifications(
        &self,
        audiences: &[Audience],
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Notification>, StoreError>;
    /// Marks notifications read by `reader` (an [`Audience::key`] of one person).
    async fn mark_read(&self, reader: &str, ids: &[String]) -> Result<(), StoreError>;
    /// Which of `ids` `reader` has read.
    async fn read_marks(
        &self,
        reader: &str,
        ids: &[String],
    ) -> Result<std::collections::HashSet<String>, StoreError>;
    /// True when the webhook delivery `key` was done.
    async fn delivered(&self, key: &str) -> Result<bool, StoreError>;
    /// Records the webhook delivery `key` as done.
    async fn mark_delivered(&self, key: &str, at: OffsetDateTime) -> Result<(), StoreError>;
    /// Counts one more failure of the webhook delivery `key`; answers how many so far.
    async fn count_failure(&self, key: &str) -> Result<u32, StoreError>;
}

/// The queue that fans notifications out to the notifier (SQS).
#[async_trait]
pub trait NotificationQueue: Send + Sync {
    /// Sends messages; answers the ids of those the queue accepted (the others are retried).
    async fn send(&self, messages: &[OutboxMessage]) -> Result<Vec<String>, StoreError>;
}

/// An integration event for other systems: what happened to which report, never its content
/// or its reporter (docs: README.md, "Integration events").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationEvent {
    /// The outbox message's id: consumers deduplicate on it.
    pub id: String,
    /// `report.submitted`, `report.disposed`, ...
    pub detail_type: String,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// The event's detail (JSON).
    pub detail: serde_json::Value,
}

/// The bus integration events are published to (EventBridge).
#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes events; answers the ids of those the bus accepted (the others are retried).
    async fn publish(&self, events: &[IntegrationEvent]) -> Result<Vec<String>, StoreError>;
}

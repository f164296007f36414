//! Reports and their timelines: the atomic, version-guarded writes and the read of one report.

use async_trait::async_trait;
use lapor_domain::jobs::Agenda;
use lapor_domain::{AttachmentId, Entry, Report, ReportId, TrackingId};

use super::{IdempotencyRecord, OutboxMessage, StoreError};

/// A new report with everything written with it, atomically.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub report: Report,
    /// Its first timeline entries.
    pub entries: Vec<Entry>,
    /// Its notifications.
    pub outbox: Vec<OutboxMessage>,
    /// The hash of its access code, for reporters without an account.
    pub access_code_hash: Option<String>,
    /// The answer to remember for the idempotency key.
    pub idempotency: Option<IdempotencyRecord>,
    /// Uploads it attaches: each is claimed for the report only if no report has it yet.
    pub attachments: Vec<AttachmentId>,
    /// When the jobs next have work on it, indexed for [`super::AgendaIndex::due_work`].
    pub agenda: Agenda,
}

/// A change to a report, written only if the report is still as it was read.
#[derive(Clone, Debug)]
pub struct Change {
    /// The state that was read. Its version guards the write; a backend that keeps derived
    /// items (list entries) also learns from it which ones the change removes.
    pub before: Report,
    /// The new state (its version is `before.version + 1`).
    pub report: Report,
    /// The new timeline entries.
    pub entries: Vec<Entry>,
    /// Their notifications.
    pub outbox: Vec<OutboxMessage>,
    /// Uploads it attaches: each is claimed for the report only if no report has it yet.
    pub attachments: Vec<AttachmentId>,
    /// When the jobs next have work on the new state, indexed for [`super::AgendaIndex::due_work`].
    pub agenda: Agenda,
    /// The agenda of the state read, so that a store keeping an entry per planned job knows
    /// which entries the change removes.
    pub agenda_before: Agenda,
}

/// How a report is looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportKey {
    /// By internal id.
    Id(ReportId),
    /// By tracking id.
    Tracking(TrackingId),
}

/// A report with its timeline.
#[derive(Clone, Debug)]
pub struct Stored {
    /// The state.
    pub report: Report,
    /// The timeline, oldest first.
    pub entries: Vec<Entry>,
}

/// Reports: each write is one atomic, version-guarded transaction of the report, its timeline,
/// its outbox messages, its attachment claims and its agenda.
#[async_trait]
pub trait Reports: Send + Sync {
    /// Writes a new report atomically with its entries, outbox, access code, idempotency
    /// record and attachment claims. Fails with `Conflict(TrackingId)`,
    /// `Conflict(IdempotencyKey)` or `Conflict(Attachment)`, writing nothing;
    /// an idempotency record expired by the new one's creation is replaced, and expired ones
    /// are removed in time (the store does not grow with old keys).
    async fn create(&self, new: NewReport) -> Result<(), StoreError>;
    /// Loads a report and its timeline.
    async fn load(&self, key: &ReportKey) -> Result<Option<Stored>, StoreError>;
    /// Writes a change atomically if the report is still at the expected version and its
    /// attachments are unclaimed; else `Conflict(Version)` or `Conflict(Attachment)` and nothing
    /// is written.
    async fn apply(&self, change: Change) -> Result<(), StoreError>;
}

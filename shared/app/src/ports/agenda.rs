//! The jobs' agenda: each report indexed by when a job next has work on it.

use async_trait::async_trait;
use lapor_domain::jobs::{Agenda, Job};
use lapor_domain::{Report, ReportId, TrackingId};
use time::OffsetDateTime;

use super::StoreError;

/// A report a job has work on, as the job's index holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueWork {
    /// When the work fell due.
    pub at: OffsetDateTime,
    /// The report.
    pub id: ReportId,
    /// Its tracking id, to load it by.
    pub tracking_id: TrackingId,
}

/// The agenda index, written with each report ([`super::NewReport::agenda`],
/// [`super::Change::agenda`]).
#[async_trait]
pub trait AgendaIndex: Send + Sync {
    /// The reports whose agenda for `job` is at or before `until`, earliest first (then by id),
    /// starting after `after`: what a job pass has to look at, read from an index by time.
    async fn due_work(
        &self,
        job: Job,
        until: OffsetDateTime,
        after: Option<&DueWork>,
        limit: usize,
    ) -> Result<Vec<DueWork>, StoreError>;
    /// Stores a new agenda for a report without changing the report, if it is still at the
    /// version given; else `Conflict(Version)` and nothing is written. For a report found with
    /// nothing to do (its agenda was made by an older calendar or release).
    async fn replan(&self, report: &Report, agenda: &Agenda) -> Result<(), StoreError>;
}

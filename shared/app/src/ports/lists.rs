//! The public feed and the work lists: pages of reports, newest change first.

use async_trait::async_trait;
use lapor_domain::worklist::{InboxBox, Scope};
use lapor_domain::{AgencyId, Report, ReportId, Status, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::StoreError;

/// A position in a list sorted by last change, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The last change of the last item seen.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Its id, to break ties.
    pub id: ReportId,
}

/// One page of a list.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
}

/// The public feed's filters.
#[derive(Clone, Debug, Default)]
pub struct FeedQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this category.
    pub category: Option<String>,
    /// Only reports held by this agency.
    pub agency_id: Option<AgencyId>,
    /// Words that must all appear in the title or body (lower-case).
    pub words: Vec<String>,
    /// Page size.
    pub limit: usize,
    /// Start after this position.
    pub after: Option<Cursor>,
}

/// A work-list query.
#[derive(Clone, Debug)]
pub struct InboxQuery {
    /// Whose.
    pub scope: Scope,
    /// Which box.
    pub inbox: InboxBox,
    /// Words that must all appear in the title or body (lower-case).
    pub words: Vec<String>,
    /// Only overdue reports.
    pub overdue_only: bool,
    /// The moment deadlines are compared with.
    pub now: OffsetDateTime,
    /// Page size.
    pub limit: usize,
    /// Start after this position.
    pub after: Option<Cursor>,
}

/// The counts at the top of the work list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxCounts {
    /// Waiting for verification.
    pub verification: u64,
    /// Disposed, no follow-up yet.
    pub pending: u64,
    pub in_progress: u64,
    /// Overdue among those.
    pub overdue: u64,
}

/// The lists, each read with one query of an index (which lists a report is in is
/// [`lapor_domain::worklist::listings`]).
#[async_trait]
pub trait ReportLists: Send + Sync {
    /// The public feed: published, non-confidential reports, newest change first.
    async fn feed(&self, query: &FeedQuery) -> Result<Page<Report>, StoreError>;
    /// A work list box, newest change first.
    async fn inbox(&self, query: &InboxQuery) -> Result<Page<Report>, StoreError>;
    /// The reports an account reported, newest change first.
    async fn reported_by(
        &self,
        user: &UserId,
        limit: usize,
        after: Option<&Cursor>,
    ) -> Result<Page<Report>, StoreError>;
    /// The work list's counts.
    async fn inbox_counts(
        &self,
        scope: &Scope,
        now: OffsetDateTime,
    ) -> Result<InboxCounts, StoreError>;
}

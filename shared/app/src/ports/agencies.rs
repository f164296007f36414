//! Agencies.

use async_trait::async_trait;
use lapor_domain::rating::RatingTally;
use lapor_domain::{Agency, AgencyId};

use super::StoreError;

/// Agencies.
#[async_trait]
pub trait AgencyStore: Send + Sync {
    /// Creates an agency; `Conflict(Duplicate)` if the id exists.
    async fn create_agency(&self, agency: &Agency) -> Result<(), StoreError>;
    /// The agency with this id.
    async fn agency(&self, id: &AgencyId) -> Result<Option<Agency>, StoreError>;
    /// Agencies sorted by id, after `after`.
    async fn list_agencies(
        &self,
        after: Option<&AgencyId>,
        limit: usize,
    ) -> Result<Vec<Agency>, StoreError>;
    /// Replaces an agency's record, if it is still at `agency.version - 1`; otherwise a
    /// version conflict.
    async fn update_agency(&self, agency: &Agency) -> Result<(), StoreError>;
    /// Its reporters' ratings, tallied by [`super::Reports::apply`] in the write that rates a
    /// report (`lapor_domain::rating::added`); an empty tally when it has none.
    async fn rating(&self, id: &AgencyId) -> Result<RatingTally, StoreError>;
}

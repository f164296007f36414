//! The access codes of reporters without an account, kept only as hashes.

use async_trait::async_trait;
use lapor_domain::{ReportId, TrackingId};

use super::StoreError;

/// Access codes, written with the report they open ([`super::NewReport::access_code_hash`]).
#[async_trait]
pub trait AccessCodes: Send + Sync {
    /// The report id and access-code hash for a tracking id.
    async fn access_code_hash(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(ReportId, String)>, StoreError>;
}

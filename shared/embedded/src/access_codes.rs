//! The access codes of reporters without an account: a hash in the report's row, written when
//! the report is created.

use async_trait::async_trait;
use lapor_app::{AccessCodes, StoreError};
use lapor_domain::{ReportId, TrackingId};
use rusqlite::OptionalExtension;

use crate::Embedded;
use crate::sql::unavailable;

#[async_trait]
impl AccessCodes for Embedded {
    async fn access_code_hash(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(ReportId, String)>, StoreError> {
        let tracking = tracking_id.as_str().to_string();
        self.db
            .read(move |conn| {
                let row: Option<(String, Option<String>)> = conn
                    .prepare_cached(
                        "SELECT id, access_code_hash FROM reports WHERE tracking_id = ?1",
                    )
                    .and_then(|mut s| {
                        s.query_row([&tracking], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()
                    })
                    .map_err(unavailable)?;
                let Some((id, Some(hash))) = row else {
                    return Ok(None);
                };
                let id = ReportId::parse(&id).map_err(|_| {
                    StoreError::Unavailable("a stored report id is unreadable".into())
                })?;
                Ok(Some((id, hash)))
            })
            .await
    }
}

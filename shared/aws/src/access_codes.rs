//! Access codes: the hash of a report's code is an attribute of its state item, written with
//! the report and read alone by a projected GetItem.

use async_trait::async_trait;
use lapor_app::{AccessCodes, StoreError};
use lapor_domain::{ReportId, TrackingId};

use crate::error::unavailable;
use crate::item::{s, text};
use crate::{Dynamo, keys};

/// The attribute of a report's state that holds its access code's hash.
pub(crate) const CODE: &str = "code";

#[async_trait]
impl AccessCodes for Dynamo {
    async fn access_code_hash(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(ReportId, String)>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::report(tracking_id)))
            .key("sk", s(keys::STATE))
            .projection_expression("#id, #code")
            .expression_attribute_names("#id", "id")
            .expression_attribute_names("#code", CODE)
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        let Some(item) = found.item() else {
            return Ok(None);
        };
        let Ok(code) = text(item, CODE) else {
            return Ok(None);
        };
        let id = ReportId::parse(text(item, "id")?)
            .map_err(|_| StoreError::Unavailable("a stored report id is unreadable".into()))?;
        Ok(Some((id, code.to_string())))
    }
}

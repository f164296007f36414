//! Upload records (`T#{id}`), and their claim by the report transaction that attaches them.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use lapor_app::attachments::UNATTACHED_KEPT;
use lapor_app::{AttachmentRecord, AttachmentStore, ConflictKind, StoreError};
use lapor_domain::{AttachmentId, ReportId};

use crate::error::{conditional, unavailable};
use crate::item::{doc, expires_at, from_doc, keyed, s};
use crate::table::EXPIRES;
use crate::write::Write;
use crate::{Dynamo, keys};

/// The attribute naming the report an upload was attached to.
const REPORT: &str = "report";

#[async_trait]
impl AttachmentStore for Dynamo {
    async fn create_attachment(&self, record: &AttachmentRecord) -> Result<(), StoreError> {
        let mut item = keyed(keys::attachment(&record.attachment.id), "T");
        item.insert("doc".into(), doc(record)?);
        // Never attached, it expires with its blob; attaching removes the expiry.
        item.insert(
            EXPIRES.into(),
            expires_at(record.created_at + UNATTACHED_KEPT),
        );
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map(drop)
            .map_err(|e| conditional(e, ConflictKind::Duplicate))
    }

    async fn attachment(&self, id: &AttachmentId) -> Result<Option<AttachmentRecord>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::attachment(id)))
            .key("sk", s("T"))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        let Some(item) = found.item() else {
            return Ok(None);
        };
        let mut record: AttachmentRecord = from_doc(item)?;
        record.report_id = item
            .get(REPORT)
            .and_then(|v| v.as_s().ok())
            .map(|id| ReportId::parse(id))
            .transpose()
            .map_err(|_| StoreError::Unavailable("a stored report id is unreadable".into()))?;
        Ok(Some(record))
    }
}

impl Dynamo {
    /// The writes claiming uploads for a report: each must exist and be unattached.
    pub(crate) fn claims(
        &self,
        ids: &[AttachmentId],
        report_id: &ReportId,
    ) -> Result<Vec<Write>, StoreError> {
        ids.iter()
            .map(|id| {
                let update = Update::builder()
                    .table_name(&self.table)
                    .key("pk", s(keys::attachment(id)))
                    .key("sk", s("T"))
                    .update_expression("SET #report = :report REMOVE #expires")
                    .condition_expression("attribute_exists(pk) AND attribute_not_exists(#report)")
                    .expression_attribute_names("#report", REPORT)
                    .expression_attribute_names("#expires", EXPIRES)
                    .expression_attribute_values(":report", s(report_id.as_str()))
                    .build()
                    .map_err(unavailable)?;
                Ok((
                    TransactWriteItem::builder().update(update).build(),
                    Some(ConflictKind::Attachment),
                ))
            })
            .collect()
    }
}

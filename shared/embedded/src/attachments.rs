//! Upload records, and their claim by the report write that attaches them.

use async_trait::async_trait;
use lapor_app::attachments::UNATTACHED_KEPT;
use lapor_app::{AttachmentRecord, AttachmentStore, ConflictKind, StoreError};
use lapor_domain::{AttachmentId, ReportId};
use rusqlite::{Transaction, params};

use crate::Embedded;
use crate::codec::{from_doc, nanos, to_doc};
use crate::sql::{execute, exists, text};

#[async_trait]
impl AttachmentStore for Embedded {
    async fn create_attachment(&self, record: &AttachmentRecord) -> Result<(), StoreError> {
        let record = record.clone();
        self.db
            .write(move |tx| {
                let id = record.attachment.id.as_str();
                if exists(tx, "SELECT 1 FROM attachments WHERE id = ?1", [id])? {
                    return Err(StoreError::Conflict(ConflictKind::Duplicate));
                }
                // Uploads never attached are forgotten after a day, as their blobs are.
                let forgotten = nanos(record.created_at - UNATTACHED_KEPT);
                let sql = "DELETE FROM attachments WHERE report_id IS NULL AND created_at < ?1";
                execute(tx, sql, [forgotten])?;
                let sql = "INSERT INTO attachments (id, created_at, doc) VALUES (?1, ?2, ?3)";
                let values = params![id, nanos(record.created_at), to_doc(&record)?];
                execute(tx, sql, values).map(drop)
            })
            .await
    }

    async fn attachment(&self, id: &AttachmentId) -> Result<Option<AttachmentRecord>, StoreError> {
        let id = id.as_str().to_string();
        self.db
            .read(move |conn| {
                text(conn, "SELECT doc FROM attachments WHERE id = ?1", [&id])?
                    .map(|doc| from_doc(&doc))
                    .transpose()
            })
            .await
    }
}

/// Claims uploads for a report inside its write: each must exist and be unattached, else
/// `Conflict(Attachment)` (and the caller's transaction writes nothing).
pub(crate) fn claim(
    tx: &Transaction,
    ids: &[AttachmentId],
    report_id: &ReportId,
) -> Result<(), StoreError> {
    for id in ids {
        let sql = "UPDATE attachments SET report_id = ?1, doc = json_set(doc, '$.report_id', ?1) \
                   WHERE id = ?2 AND report_id IS NULL";
        if execute(tx, sql, params![report_id.as_str(), id.as_str()])? == 0 {
            return Err(StoreError::Conflict(ConflictKind::Attachment));
        }
    }
    Ok(())
}

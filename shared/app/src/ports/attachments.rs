//! Upload records.

use async_trait::async_trait;
use lapor_domain::attachment::Attachment;
use lapor_domain::{AttachmentId, ReportId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::StoreError;

/// An upload: what was declared, who asked for it, where its bytes are, and the report it was
/// attached to once it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentRecord {
    /// The declared name, type and size.
    pub attachment: Attachment,
    /// Who asked for the upload URL (see [`crate::attachments::caller_key`]): only they may
    /// attach it.
    pub owner: String,
    /// The random, unguessable name of its blob (see [`crate::attachments::BlobKey`]).
    pub object: String,
    /// When the upload was asked for.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The report it was attached to; `None` while it waits.
    pub report_id: Option<ReportId>,
}

/// Upload records. They are attached by the report writes ([`super::NewReport::attachments`],
/// [`super::Change::attachments`]); records never attached are removed in time.
#[async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Keeps a new upload record; `Conflict(Duplicate)` if the id exists.
    async fn create_attachment(&self, record: &AttachmentRecord) -> Result<(), StoreError>;
    /// The record of an upload.
    async fn attachment(&self, id: &AttachmentId) -> Result<Option<AttachmentRecord>, StoreError>;
}

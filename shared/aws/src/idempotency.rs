//! Idempotency records (`K#{scope}`): written in the transaction of the report they created,
//! and expired by DynamoDB's time to live once the key is no longer honoured.

use async_trait::async_trait;
use lapor_app::{ConflictKind, IdempotencyRecord, IdempotencyRecords, StoreError};

use crate::error::unavailable;
use crate::item::{doc, expires_at, from_doc, keyed, s};
use crate::table::EXPIRES;
use crate::write::Write;
use crate::{Dynamo, keys};

const SK: &str = "K";

impl Dynamo {
    /// The write of a record, unless a live one holds its key (an expired record may still be
    /// there until DynamoDB removes it, and is replaced).
    pub(crate) fn idempotency_write(
        &self,
        record: &IdempotencyRecord,
    ) -> Result<Write, StoreError> {
        let mut item = keyed(keys::idempotency(&record.scope), SK);
        item.insert("doc".into(), doc(record)?);
        item.insert(EXPIRES.into(), expires_at(record.expires_at()));
        self.put_unless_live(item, record.created_at, ConflictKind::IdempotencyKey)
    }
}

#[async_trait]
impl IdempotencyRecords for Dynamo {
    async fn idempotency(&self, scope: &str) -> Result<Option<IdempotencyRecord>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::idempotency(scope)))
            .key("sk", s(SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        found.item().map(from_doc).transpose()
    }
}

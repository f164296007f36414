//! The outbox: each message is an item in its report's partition, written in the change's
//! transaction, and in the `list` index under `OUTBOX` until it is sent.

use async_trait::async_trait;
use lapor_app::{Outbox, OutboxMessage, StoreError};
use lapor_domain::Report;
use time::OffsetDateTime;

use crate::error::{failed_condition, unavailable};
use crate::item::{doc, from_doc, keyed, s};
use crate::table::LIST_INDEX;
use crate::write::Write;
use crate::{Dynamo, keys};

/// Unsent messages go out in the order of their changes.
fn outbox_position(message: &OutboxMessage) -> String {
    let nanos = message.at.unix_timestamp_nanos().max(0);
    format!("{nanos:020}#{}", message.id)
}

impl Dynamo {
    /// The writes of a change's outbox messages, unsent.
    pub(crate) fn outbox_writes(
        &self,
        report: &Report,
        outbox: &[OutboxMessage],
    ) -> Result<Vec<Write>, StoreError> {
        let pk = keys::report(report.tracking_id());
        outbox
            .iter()
            .map(|message| {
                let mut item = keyed(&pk, keys::outbox(&message.id));
                item.insert("gpk".into(), s(keys::OUTBOX));
                item.insert("gsk".into(), s(outbox_position(message)));
                item.insert("doc".into(), doc(message)?);
                self.put(item, None)
            })
            .collect()
    }
}

#[async_trait]
impl Outbox for Dynamo {
    async fn outbox_pending(&self, limit: usize) -> Result<Vec<OutboxMessage>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let found = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(LIST_INDEX)
            .key_condition_expression("gpk = :outbox")
            .expression_attribute_values(":outbox", s(keys::OUTBOX))
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(unavailable)?;
        found.items().iter().map(from_doc).collect()
    }

    async fn mark_sent(
        &self,
        message: &OutboxMessage,
        _at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        // Sent: out of the `OUTBOX` index, kept in the report's partition. When is not stored
        // (nothing reads it, nothing expires by it). The condition keeps an UpdateItem from
        // making an item of a message that is not there.
        let marked = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(keys::report(&message.tracking_id)))
            .key("sk", s(keys::outbox(&message.id)))
            .update_expression("REMOVE gpk, gsk")
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        match marked {
            Ok(_) => Ok(()),
            Err(e) if failed_condition(&e) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

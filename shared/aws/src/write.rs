//! Transactions: all of a change or nothing, each conditional write naming the conflict its
//! failed condition stands for.

use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
use lapor_app::{ConflictKind, StoreError};
use time::OffsetDateTime;

use crate::Dynamo;
use crate::error::{transaction, unavailable};
use crate::item::{Item, expires_at, s};
use crate::table::EXPIRES;

/// One write of a transaction, and the conflict its condition stands for.
pub(crate) type Write = (TransactWriteItem, Option<ConflictKind>);

impl Dynamo {
    pub(crate) fn put(
        &self,
        item: Item,
        condition: Option<(&str, ConflictKind)>,
    ) -> Result<Write, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .set_condition_expression(condition.map(|(c, _)| c.to_string()))
            .build()
            .map_err(unavailable)?;
        Ok((
            TransactWriteItem::builder().put(put).build(),
            condition.map(|(_, kind)| kind),
        ))
    }

    /// A put that replaces only an item that is absent or expired at `now` (DynamoDB removes
    /// expired items only within a day or two, so their keys are free before that).
    pub(crate) fn put_unless_live(
        &self,
        item: Item,
        now: OffsetDateTime,
        conflict: ConflictKind,
    ) -> Result<Write, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk) OR #expires <= :now")
            .expression_attribute_names("#expires", EXPIRES)
            .expression_attribute_values(":now", expires_at(now))
            .build()
            .map_err(unavailable)?;
        Ok((
            TransactWriteItem::builder().put(put).build(),
            Some(conflict),
        ))
    }

    /// A put that replaces the item only while it is at version `before` (its `version`
    /// attribute); `Conflict(Version)` otherwise. An item written before it had a `version`
    /// attribute is at its first version.
    pub(crate) fn put_over_version(&self, item: Item, before: u64) -> Result<Write, StoreError> {
        let condition = if before == 1 {
            "attribute_exists(pk) AND (#version = :before OR attribute_not_exists(#version))"
        } else {
            "#version = :before"
        };
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":before", crate::item::n(before))
            .build()
            .map_err(unavailable)?;
        Ok((
            TransactWriteItem::builder().put(put).build(),
            Some(ConflictKind::Version),
        ))
    }

    pub(crate) fn delete(&self, pk: String, sk: String) -> Result<Write, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .build()
            .map_err(unavailable)?;
        Ok((TransactWriteItem::builder().delete(delete).build(), None))
    }

    /// Writes all or nothing; a failed condition answers the conflict of its write.
    pub(crate) async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        // DynamoDB's own limit; the domain bounds a change (copies, events) well below it.
        const MAX_ITEMS: usize = 100;
        if writes.len() > MAX_ITEMS {
            return Err(StoreError::Unavailable(format!(
                "a change of {} items does not fit one transaction",
                writes.len()
            )));
        }
        let (items, conflicts): (Vec<_>, Vec<_>) = writes.into_iter().unzip();
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| transaction(e, &conflicts))
    }
}

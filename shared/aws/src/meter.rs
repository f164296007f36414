//! Counts the DynamoDB requests a client makes and the capacity they consume, per operation:
//! the figures behind what each use case costs, and the test that keeps them from growing.
//! Capacity is both what DynamoDB reports (`ReturnConsumedCapacity`) and what its sizing rules
//! give for the items on the wire ([`crate::capacity`]), since an emulator reports little.

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::{Arc, Mutex, PoisonError};

use aws_sdk_dynamodb::config::interceptors::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextMut,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::operation::{
    delete_item::{DeleteItemInput, DeleteItemOutput},
    describe_table::DescribeTableInput,
    get_item::{GetItemInput, GetItemOutput},
    put_item::{PutItemInput, PutItemOutput},
    query::{QueryInput, QueryOutput},
    transact_write_items::{TransactWriteItemsInput, TransactWriteItemsOutput},
    update_item::{UpdateItemInput, UpdateItemOutput},
};
use aws_sdk_dynamodb::types::{ConsumedCapacity, ReturnConsumedCapacity};
use aws_smithy_types::config_bag::{Storable, StoreReplace};

use crate::capacity;

type HookResult = Result<(), Box<dyn Error + Send + Sync>>;

/// What a meter has counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Readings {
    /// Requests by operation (`GetItem`, `Query`, `TransactWriteItems`, ...).
    pub requests: BTreeMap<&'static str, u64>,
    /// Capacity units consumed, as DynamoDB reports them.
    pub capacity_units: f64,
    /// Read units by DynamoDB's sizing rules. A counting Query returns no items and is counted at
    /// its minimum, half a unit per 4 KB of the `due` index it reads (about 20 reports).
    pub read_units: f64,
    /// Write units by DynamoDB's sizing rules.
    pub write_units: f64,
}

impl Readings {
    /// All requests, of any operation.
    pub fn total(&self) -> u64 {
        self.requests.values().sum()
    }
}

/// Whether a read in flight is strongly consistent, kept between its two hooks.
#[derive(Clone, Debug)]
struct Consistent(bool);

impl Storable for Consistent {
    type Storer = StoreReplace<Self>;
}

/// An interceptor that counts; clones share their counts.
#[derive(Clone, Debug, Default)]
pub struct Meter {
    readings: Arc<Mutex<Readings>>,
}

impl Meter {
    /// What was counted since the last `take`, and starts again.
    pub fn take(&self) -> Readings {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Readings> {
        self.readings.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Intercept for Meter {
    fn name(&self) -> &'static str {
        "lapor-meter"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> HookResult {
        let input = context.input_mut();
        let total = Some(ReturnConsumedCapacity::Total);
        let mut consistent = None;
        let mut write_units = 0.0;
        let operation = if let Some(i) = input.downcast_mut::<GetItemInput>() {
            i.return_consumed_capacity = total;
            consistent = Some(i.consistent_read == Some(true));
            "GetItem"
        } else if let Some(i) = input.downcast_mut::<QueryInput>() {
            i.return_consumed_capacity = total;
            consistent = Some(i.consistent_read == Some(true) && i.index_name.is_none());
            "Query"
        } else if let Some(i) = input.downcast_mut::<TransactWriteItemsInput>() {
            i.return_consumed_capacity = total;
            write_units = capacity::transaction_write_units(i.transact_items());
            "TransactWriteItems"
        } else if let Some(i) = input.downcast_mut::<PutItemInput>() {
            i.return_consumed_capacity = total;
            write_units = capacity::write_units(i.item.as_ref().map_or(0, capacity::item_size));
            "PutItem"
        } else if let Some(i) = input.downcast_mut::<UpdateItemInput>() {
            i.return_consumed_capacity = total;
            let size = [&i.key, &i.expression_attribute_values]
                .into_iter()
                .flatten()
                .map(capacity::item_size)
                .sum();
            write_units = capacity::write_units(size);
            "UpdateItem"
        } else if let Some(i) = input.downcast_mut::<DeleteItemInput>() {
            i.return_consumed_capacity = total;
            write_units = capacity::write_units(0);
            "DeleteItem"
        } else if input.downcast_ref::<DescribeTableInput>().is_some() {
            "DescribeTable"
        } else {
            "other"
        };
        if let Some(consistent) = consistent {
            cfg.interceptor_state().store_put(Consistent(consistent));
        }
        let mut readings = self.lock();
        *readings.requests.entry(operation).or_default() += 1;
        readings.write_units += write_units;
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> HookResult {
        let Ok(output) = context.output_or_error() else {
            return Ok(());
        };
        let consistent = cfg.load::<Consistent>().is_some_and(|c| c.0);
        let read_units = if let Some(o) = output.downcast_ref::<GetItemOutput>() {
            capacity::read_units(o.item(), consistent)
        } else if let Some(o) = output.downcast_ref::<QueryOutput>() {
            capacity::read_units(o.items(), consistent)
        } else {
            0.0
        };
        let one = |c: Option<&ConsumedCapacity>| c.and_then(ConsumedCapacity::capacity_units);
        let units = if let Some(o) = output.downcast_ref::<GetItemOutput>() {
            one(o.consumed_capacity())
        } else if let Some(o) = output.downcast_ref::<QueryOutput>() {
            one(o.consumed_capacity())
        } else if let Some(o) = output.downcast_ref::<TransactWriteItemsOutput>() {
            Some(
                o.consumed_capacity()
                    .iter()
                    .filter_map(ConsumedCapacity::capacity_units)
                    .sum(),
            )
        } else if let Some(o) = output.downcast_ref::<PutItemOutput>() {
            one(o.consumed_capacity())
        } else if let Some(o) = output.downcast_ref::<UpdateItemOutput>() {
            one(o.consumed_capacity())
        } else if let Some(o) = output.downcast_ref::<DeleteItemOutput>() {
            one(o.consumed_capacity())
        } else {
            None
        };
        let mut readings = self.lock();
        readings.capacity_units += units.unwrap_or(0.0);
        readings.read_units += read_units;
        Ok(())
    }
}

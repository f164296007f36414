//! Counts the DynamoDB requests a client makes and the capacity they consume, per operation:
//! the figures behind what each use case costs, and the test that keeps them from growing.

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

type HookResult = Result<(), Box<dyn Error + Send + Sync>>;

/// What a meter has counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Readings {
    /// Requests by operation (`GetItem`, `Query`, `TransactWriteItems`, ...).
    pub requests: BTreeMap<&'static str, u64>,
    /// Capacity units consumed, as DynamoDB reports them.
    pub capacity_units: f64,
}

impl Readings {
    /// All requests, of any operation.
    pub fn total(&self) -> u64 {
        self.requests.values().sum()
    }
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
        _: &mut ConfigBag,
    ) -> HookResult {
        let input = context.input_mut();
        let total = Some(ReturnConsumedCapacity::Total);
        let operation = if let Some(i) = input.downcast_mut::<GetItemInput>() {
            i.return_consumed_capacity = total;
            "GetItem"
        } else if let Some(i) = input.downcast_mut::<QueryInput>() {
            i.return_consumed_capacity = total;
            "Query"
        } else if let Some(i) = input.downcast_mut::<TransactWriteItemsInput>() {
            i.return_consumed_capacity = total;
            "TransactWriteItems"
        } else if let Some(i) = input.downcast_mut::<PutItemInput>() {
            i.return_consumed_capacity = total;
            "PutItem"
        } else if let Some(i) = input.downcast_mut::<UpdateItemInput>() {
            i.return_consumed_capacity = total;
            "UpdateItem"
        } else if let Some(i) = input.downcast_mut::<DeleteItemInput>() {
            i.return_consumed_capacity = total;
            "DeleteItem"
        } else if input.downcast_ref::<DescribeTableInput>().is_some() {
            "DescribeTable"
        } else {
            "other"
        };
        *self.lock().requests.entry(operation).or_default() += 1;
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> HookResult {
        let Ok(output) = context.output_or_error() else {
            return Ok(());
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
        self.lock().capacity_units += units.unwrap_or(0.0);
        Ok(())
    }
}

//! Attempt counters: one item per key, counted up in its window and started again in a new
//! one (keeping the count of the window just before), each step a single conditional write so
//! concurrent attempts all count.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use lapor_app::{Attempts, StoreError, ThrottleStore};
use time::{Duration, OffsetDateTime};

use crate::error::{failed_condition, unavailable};
use crate::item::{expires_at, keyed, n, number, s};
use crate::table::EXPIRES;
use crate::{Dynamo, keys};

/// A counter outlives its window by far, then expires by itself.
const KEPT: Duration = Duration::days(1);

/// Rounds of "count up, or start the window" before giving up (each lost round means another
/// attempt just started the window, so the next count-up succeeds).
const ROUNDS: usize = 3;

/// The counts of an item as written.
fn attempts(
    item: Option<std::collections::HashMap<String, AttributeValue>>,
) -> Result<Attempts, StoreError> {
    let item = item.unwrap_or_default();
    let count = |name: &str| -> Result<u32, StoreError> {
        match item.get(name) {
            Some(_) => Ok(u32::try_from(number(&item, name)?).unwrap_or(u32::MAX)),
            None => Ok(0),
        }
    };
    Ok(Attempts {
        previous: count("previous")?,
        current: count("attempts")?.max(1),
    })
}

#[async_trait]
impl ThrottleStore for Dynamo {
    async fn attempt(
        &self,
        key: &str,
        window_start: OffsetDateTime,
        window_length: Duration,
    ) -> Result<Attempts, StoreError> {
        let pk = keys::throttle(key);
        let window = n(window_start.unix_timestamp());
        let before = n((window_start - window_length).unix_timestamp());
        let expires = expires_at(window_start + KEPT);
        for _ in 0..ROUNDS {
            // In the window: count up.
            let counted = self
                .client
                .update_item()
                .table_name(&self.table)
                .key("pk", s(&pk))
                .key("sk", s("X"))
                .update_expression("ADD #attempts :one")
                .condition_expression("#window = :window")
                .expression_attribute_names("#attempts", "attempts")
                .expression_attribute_names("#window", "window")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":window", window.clone())
                .return_values(ReturnValue::AllNew)
                .send()
                .await;
            match counted {
                Ok(out) => return attempts(out.attributes),
                Err(e) if failed_condition(&e) => {}
                Err(e) => return Err(unavailable(e)),
            }
            // A counter of the window just before: it becomes `previous`.
            let moved = self
                .client
                .update_item()
                .table_name(&self.table)
                .key("pk", s(&pk))
                .key("sk", s("X"))
                .update_expression(
                    "SET previous = #attempts, #attempts = :one, #window = :window, #expires = :expires",
                )
                .condition_expression("#window = :before")
                .expression_attribute_names("#attempts", "attempts")
                .expression_attribute_names("#window", "window")
                .expression_attribute_names("#expires", EXPIRES)
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":window", window.clone())
                .expression_attribute_values(":before", before.clone())
                .expression_attribute_values(":expires", expires.clone())
                .return_values(ReturnValue::AllNew)
                .send()
                .await;
            match moved {
                Ok(out) => return attempts(out.attributes),
                Err(e) if failed_condition(&e) => {}
                Err(e) => return Err(unavailable(e)),
            }
            // None, or one from longer ago: start afresh, unless another attempt just did.
            let mut item = keyed(&pk, "X");
            item.insert("window".into(), window.clone());
            item.insert("attempts".into(), n(1));
            item.insert("previous".into(), n(0));
            item.insert(EXPIRES.into(), expires.clone());
            let started = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk) OR #window < :before")
                .expression_attribute_names("#window", "window")
                .expression_attribute_values(":before", before.clone())
                .send()
                .await;
            match started {
                Ok(_) => {
                    return Ok(Attempts {
                        previous: 0,
                        current: 1,
                    });
                }
                Err(e) if failed_condition(&e) => {}
                Err(e) => return Err(unavailable(e)),
            }
        }
        Err(StoreError::Unavailable(
            "the throttle counter kept changing".into(),
        ))
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(keys::throttle(key)))
            .key("sk", s("X"))
            .send()
            .await
            .map(|_| ())
            .map_err(unavailable)
    }
}

//! Attempt counters: one item per key, counted up in its window and started again in a new
//! one, each step a single conditional write so concurrent attempts all count.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;
use lapor_app::{StoreError, ThrottleStore};
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

#[async_trait]
impl ThrottleStore for Dynamo {
    async fn attempt(&self, key: &str, window_start: OffsetDateTime) -> Result<u32, StoreError> {
        let pk = keys::throttle(key);
        let window = n(window_start.unix_timestamp());
        for _ in 0..ROUNDS {
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
                .return_values(ReturnValue::UpdatedNew)
                .send()
                .await;
            match counted {
                Ok(out) => {
                    let attempts = out
                        .attributes
                        .map(|item| number(&item, "attempts"))
                        .transpose()?
                        .unwrap_or(1);
                    return Ok(u32::try_from(attempts).unwrap_or(u32::MAX));
                }
                Err(e) if failed_condition(&e) => {}
                Err(e) => return Err(unavailable(e)),
            }
            // No counter in this window yet: start one, unless another attempt just did.
            let mut item = keyed(&pk, "X");
            item.insert("window".into(), window.clone());
            item.insert("attempts".into(), n(1));
            item.insert(EXPIRES.into(), expires_at(window_start + KEPT));
            let started = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk) OR #window <> :window")
                .expression_attribute_names("#window", "window")
                .expression_attribute_values(":window", window.clone())
                .send()
                .await;
            match started {
                Ok(_) => return Ok(1),
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

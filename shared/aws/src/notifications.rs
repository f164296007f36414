//! In-app notifications: one partition per audience, sorted by id (ULIDs, so by time); a
//! reader's read marks in a partition of their own; the marks of webhook deliveries done, which
//! expire by themselves.

use std::collections::{HashMap, HashSet};
use std::time::Duration as Pause;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{KeysAndAttributes, PutRequest, WriteRequest};
use lapor_app::{Audience, Notification, NotificationStore, StoreError};
use time::{Duration, OffsetDateTime};

use crate::error::{failed_condition, unavailable};
use crate::item::{Item, doc, expires_at, from_doc, keyed, n, s, text};
use crate::table::EXPIRES;
use crate::{Dynamo, keys};

/// How long a webhook delivery's mark is kept: far longer than any redelivery of its message.
const DELIVERY_KEPT: Duration = Duration::days(30);

/// Items a BatchWriteItem takes.
const WRITE_BATCH: usize = 25;

/// Keys a BatchGetItem takes.
const READ_BATCH: usize = 100;

/// Rounds of retrying what a batch request left unprocessed (throttled) before giving up.
const ROUNDS: u32 = 5;

/// Each distinct id once, in the order given: a batch request refuses a key twice.
fn distinct(ids: &[String]) -> Vec<&String> {
    let mut seen = HashSet::new();
    ids.iter().filter(|id| seen.insert(id.as_str())).collect()
}

/// A short, growing pause before retrying unprocessed items.
async fn back_off(round: u32) {
    tokio::time::sleep(Pause::from_millis(50 << round)).await;
}

/// The notifications of several audiences as one list: newest first, each id once (a member
/// of two audiences sees a message reaching both once), at most `limit`.
fn merged(mut found: Vec<Notification>, limit: usize) -> Vec<Notification> {
    // Stable: of two copies of an id, the one of the first audience stays.
    found.sort_by(|a, b| b.id.cmp(&a.id));
    found.dedup_by(|a, b| a.id == b.id);
    found.truncate(limit);
    found
}

impl Dynamo {
    /// One audience's notifications, newest first, with ids below `before`.
    async fn audience_notifications(
        &self,
        audience: &Audience,
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Notification>, StoreError> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .expression_attribute_values(":pk", s(keys::notifications(audience)))
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX));
        query = match before {
            Some(before) => query
                .key_condition_expression("pk = :pk AND sk < :before")
                .expression_attribute_values(":before", s(before)),
            None => query.key_condition_expression("pk = :pk"),
        };
        let found = query.send().await.map_err(unavailable)?;
        found.items().iter().map(from_doc).collect()
    }

    /// Writes items in batches, retrying what DynamoDB leaves unprocessed.
    async fn write_all(&self, items: Vec<Item>) -> Result<(), StoreError> {
        let mut requests = Vec::with_capacity(items.len());
        for item in items {
            let put = PutRequest::builder()
                .set_item(Some(item))
                .build()
                .map_err(unavailable)?;
            requests.push(WriteRequest::builder().put_request(put).build());
        }
        for chunk in requests.chunks(WRITE_BATCH) {
            let mut pending = HashMap::from([(self.table.clone(), chunk.to_vec())]);
            let mut round = 0;
            while pending.values().any(|requests| !requests.is_empty()) {
                if round == ROUNDS {
                    return Err(StoreError::Unavailable(
                        "DynamoDB kept leaving writes unprocessed".into(),
                    ));
                }
                if round > 0 {
                    back_off(round).await;
                }
                let written = self
                    .client
                    .batch_write_item()
                    .set_request_items(Some(pending))
                    .send()
                    .await
                    .map_err(unavailable)?;
                pending = written.unprocessed_items.unwrap_or_default();
                round += 1;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl NotificationStore for Dynamo {
    async fn add_notification(&self, notification: &Notification) -> Result<bool, StoreError> {
        let mut item = keyed(
            keys::notifications(&notification.audience),
            &notification.id,
        );
        item.insert("doc".into(), doc(notification)?);
        let added = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match added {
            Ok(_) => Ok(true),
            Err(e) if failed_condition(&e) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn notifications(
        &self,
        audiences: &[Audience],
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Notification>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        for audience in audiences {
            found.extend(self.audience_notifications(audience, before, limit).await?);
        }
        Ok(merged(found, limit))
    }

    async fn mark_read(&self, reader: &str, ids: &[String]) -> Result<(), StoreError> {
        let pk = keys::read_marks(reader);
        let items = distinct(ids).into_iter().map(|id| keyed(&pk, id)).collect();
        self.write_all(items).await
    }

    async fn read_marks(
        &self,
        reader: &str,
        ids: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        let pk = keys::read_marks(reader);
        let mut read = HashSet::new();
        for chunk in distinct(ids).chunks(READ_BATCH) {
            let wanted = KeysAndAttributes::builder()
                .set_keys(Some(chunk.iter().map(|id| keyed(&pk, *id)).collect()))
                .projection_expression("sk")
                .consistent_read(true)
                .build()
                .map_err(unavailable)?;
            let mut pending = HashMap::from([(self.table.clone(), wanted)]);
            let mut round = 0;
            while !pending.is_empty() {
                if round == ROUNDS {
                    return Err(StoreError::Unavailable(
                        "DynamoDB kept leaving reads unprocessed".into(),
                    ));
                }
                if round > 0 {
                    back_off(round).await;
                }
                let found = self
                    .client
                    .batch_get_item()
                    .set_request_items(Some(pending))
                    .send()
                    .await
                    .map_err(unavailable)?;
                for items in found.responses.unwrap_or_default().into_values() {
                    for item in &items {
                        read.insert(text(item, "sk")?.to_string());
                    }
                }
                pending = found.unprocessed_keys.unwrap_or_default();
                pending.retain(|_, keys| !keys.keys.is_empty());
                round += 1;
            }
        }
        Ok(read)
    }

    async fn delivered(&self, key: &str) -> Result<bool, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::delivery(key)))
            .key("sk", s(keys::DELIVERY))
            .projection_expression("pk")
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(found.item().is_some())
    }

    async fn count_failure(&self, key: &str) -> Result<u32, StoreError> {
        let answer = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(keys::delivery_failures(key)))
            .key("sk", s(keys::DELIVERY))
            .update_expression("ADD #failures :one SET #expires = :expires")
            .expression_attribute_names("#failures", "failures")
            .expression_attribute_names("#expires", EXPIRES)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(
                ":expires",
                expires_at(OffsetDateTime::now_utc() + DELIVERY_KEPT),
            )
            .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(unavailable)?;
        let failures = answer
            .attributes()
            .and_then(|a| a.get("failures"))
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        Ok(failures)
    }

    async fn mark_delivered(&self, key: &str, at: OffsetDateTime) -> Result<(), StoreError> {
        let mut item = keyed(keys::delivery(key), keys::DELIVERY);
        item.insert(EXPIRES.into(), expires_at(at + DELIVERY_KEPT));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map(|_| ())
            .map_err(unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lapor_domain::{ReportId, TrackingId};

    fn notification(id: &str, audience: Audience) -> Notification {
        Notification {
            id: id.to_string(),
            audience,
            report_id: ReportId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap(),
            tracking_id: TrackingId::from_number(12_345_678),
            event: lapor_domain::EventKind::Disposed,
            text: "Laporan #12345678 telah didisposisikan.".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn several_audiences_merge_newest_first_each_id_once() {
        let national = Audience::Admins(None);
        let found = vec![
            notification("01A", national.clone()),
            notification("01C", national.clone()),
            notification(
                "01B",
                Audience::Agency(
                    lapor_domain::AgencyId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap(),
                ),
            ),
            notification(
                "01C",
                Audience::Admins(Some(
                    lapor_domain::AgencyId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap(),
                )),
            ),
        ];
        let list = merged(found, 2);
        let ids: Vec<&str> = list.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["01C", "01B"]);
        assert_eq!(list[0].audience, national);
    }

    #[test]
    fn batch_requests_get_each_key_once() {
        let ids = ["a", "b", "a"].map(String::from);
        assert_eq!(distinct(&ids), ["a", "b"]);
    }
}

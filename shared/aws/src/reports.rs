//! Reports: the state, timeline, list entries and outbox of a report live in its partition, and
//! every change to them is one transaction guarded by the version that was read.

use std::collections::HashSet;

use async_trait::async_trait;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use lapor_app::index::{IndexFields, Listing};
use lapor_app::{
    Change, ConflictKind, DueWork, FeedQuery, IdempotencyRecord, InboxBox, InboxCounts, InboxQuery,
    NewReport, OutboxMessage, Page, ReportKey, ReportStore, Scope, StoreError, Stored,
};
use lapor_domain::jobs::{Agenda, Job};
use lapor_domain::{Entry, Report, ReportId, TrackingId};
use time::OffsetDateTime;

use crate::error::unavailable;
use crate::item::{Item, doc, from_doc, keyed, n, s, text};
use crate::table::{EXPIRES, LIST_INDEX};
use crate::write::Write;
use crate::{Dynamo, keys};

impl Dynamo {
    /// The tracking id of a report id.
    async fn tracking_of(&self, id: &ReportId) -> Result<Option<TrackingId>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::report_id(id)))
            .key("sk", s("I"))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        found
            .item()
            .map(|item| {
                TrackingId::parse(text(item, "tracking")?).map_err(|_| {
                    StoreError::Unavailable("a stored tracking id is unreadable".into())
                })
            })
            .transpose()
    }

    /// The writes of a report's entries in every list it is in now, and the removal of its
    /// entries from the lists it has left.
    fn list_writes(
        &self,
        report: &Report,
        before: Option<&Report>,
    ) -> Result<Vec<Write>, StoreError> {
        let fields = IndexFields::of(report);
        let now = fields.listings();
        let mut writes = Vec::new();
        for listing in &now {
            writes.push(self.put(list_item(report, &fields, listing)?, None)?);
        }
        let kept: HashSet<&Listing> = now.iter().collect();
        if let Some(before) = before {
            for listing in IndexFields::of(before).listings() {
                if !kept.contains(&listing) {
                    writes.push(self.delete(
                        keys::report(&report.tracking_id),
                        keys::list_entry(&listing),
                    )?);
                }
            }
        }
        Ok(writes)
    }

    /// The writes of new timeline entries and their outbox messages.
    fn appended(
        &self,
        report: &Report,
        entries: &[Entry],
        outbox: &[OutboxMessage],
    ) -> Result<Vec<Write>, StoreError> {
        let pk = keys::report(&report.tracking_id);
        let mut writes = Vec::new();
        for (n, entry) in entries.iter().enumerate() {
            let mut item = keyed(&pk, keys::entry(report.version, n));
            item.insert("doc".into(), doc(entry)?);
            writes.push(self.put(item, None)?);
        }
        for message in outbox {
            let mut item = keyed(&pk, keys::outbox(&message.id));
            item.insert("gpk".into(), s(keys::OUTBOX));
            item.insert("gsk".into(), s(outbox_position(message)));
            item.insert("doc".into(), doc(message)?);
            writes.push(self.put(item, None)?);
        }
        Ok(writes)
    }
}

/// Unsent messages go out in the order of their changes.
fn outbox_position(message: &OutboxMessage) -> String {
    let nanos = message.at.unix_timestamp_nanos().max(0);
    format!("{nanos:020}#{}", message.id)
}

/// A report's entry in one list: the whole document (a page is one Query) and what the list's
/// filters read.
fn list_item(report: &Report, fields: &IndexFields, listing: &Listing) -> Result<Item, StoreError> {
    let mut item = keyed(keys::report(&report.tracking_id), keys::list_entry(listing));
    item.insert("gpk".into(), s(keys::list(listing)));
    item.insert(
        "gsk".into(),
        s(keys::list_position(report.updated_at, &report.id)),
    );
    item.insert("doc".into(), doc(report)?);
    item.insert("status".into(), s(fields.status.as_str()));
    item.insert("category".into(), s(&fields.category));
    item.insert("words".into(), s(&fields.search_text));
    if let Some(holder) = &fields.holder {
        item.insert("holder".into(), s(holder.as_str()));
    }
    if let Some(due) = fields.due_at {
        item.insert("due".into(), n(due.unix_timestamp_nanos()));
    }
    item.insert("late".into(), AttributeValue::Bool(fields.overdue_marked));
    if let Listing::Box(_, inbox) = listing
        && InboxBox::COUNTED.contains(inbox)
    {
        // Also in the small `due` index, which counts and finds deadlines without reading
        // the documents.
        item.insert("dpk".into(), s(keys::list(listing)));
        item.insert(
            "dsk".into(),
            s(keys::due_position(fields.due_at, &report.id)),
        );
    }
    Ok(item)
}

/// Seconds since 1970, as DynamoDB's time to live reads them.
pub(crate) fn expires_at(at: OffsetDateTime) -> AttributeValue {
    n(at.unix_timestamp())
}

#[async_trait]
impl ReportStore for Dynamo {
    async fn create(&self, new: NewReport) -> Result<(), StoreError> {
        let report = &new.report;
        let pk = keys::report(&report.tracking_id);
        let mut state = keyed(&pk, keys::STATE);
        state.insert("doc".into(), doc(report)?);
        state.insert("version".into(), n(report.version));
        state.insert("id".into(), s(report.id.as_str()));
        if let Some(code) = &new.access_code_hash {
            state.insert("code".into(), s(code));
        }
        let not_taken = "attribute_not_exists(pk)";
        let mut pointer = keyed(keys::report_id(&report.id), "I");
        pointer.insert("tracking".into(), s(report.tracking_id.as_str()));
        let mut writes = vec![
            self.put(state, Some((not_taken, ConflictKind::TrackingId)))?,
            self.put(pointer, Some((not_taken, ConflictKind::Duplicate)))?,
        ];
        writes.extend(self.appended(report, &new.entries, &new.outbox)?);
        writes.extend(self.list_writes(report, None)?);
        writes.extend(self.claims(&new.attachments, &report.id)?);
        writes.extend(self.agenda_writes(report, &new.agenda, None)?);
        if let Some(record) = &new.idempotency {
            let mut item = keyed(keys::idempotency(&record.scope), "K");
            item.insert("doc".into(), doc(record)?);
            item.insert(EXPIRES.into(), expires_at(record.expires_at()));
            let conflict = ConflictKind::IdempotencyKey;
            writes.push(self.put_unless_live(item, record.created_at, conflict)?);
        }
        self.transact(writes).await
    }

    async fn load(&self, key: &ReportKey) -> Result<Option<Stored>, StoreError> {
        let tracking = match key {
            ReportKey::Tracking(t) => t.clone(),
            ReportKey::Id(id) => match self.tracking_of(id).await? {
                Some(t) => t,
                None => return Ok(None),
            },
        };
        let mut pages = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :state)")
            .expression_attribute_values(":pk", s(keys::report(&tracking)))
            .expression_attribute_values(":state", s(keys::STATE))
            .consistent_read(true)
            .into_paginator()
            .items()
            .send();
        let mut report = None;
        let mut entries = Vec::new();
        while let Some(item) = pages.next().await {
            let item = item.map_err(unavailable)?;
            if text(&item, "sk")? == keys::STATE {
                report = Some(from_doc::<Report>(&item)?);
            } else {
                entries.push(from_doc::<Entry>(&item)?);
            }
        }
        Ok(report.map(|report| Stored { report, entries }))
    }

    async fn apply(&self, change: Change) -> Result<(), StoreError> {
        let report = &change.report;
        let state = Update::builder()
            .table_name(&self.table)
            .key("pk", s(keys::report(&report.tracking_id)))
            .key("sk", s(keys::STATE))
            .update_expression("SET #doc = :doc, #version = :version")
            .condition_expression("#version = :before")
            .expression_attribute_names("#doc", "doc")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":doc", doc(report)?)
            .expression_attribute_values(":version", n(report.version))
            .expression_attribute_values(":before", n(change.before.version))
            .build()
            .map_err(unavailable)?;
        let mut writes = vec![(
            TransactWriteItem::builder().update(state).build(),
            Some(ConflictKind::Version),
        )];
        writes.extend(self.appended(report, &change.entries, &change.outbox)?);
        writes.extend(self.list_writes(report, Some(&change.before))?);
        writes.extend(self.claims(&change.attachments, &report.id)?);
        writes.extend(self.agenda_writes(report, &change.agenda, Some(&change.agenda_before))?);
        self.transact(writes).await
    }

    async fn access_code_hash(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(ReportId, String)>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::report(tracking_id)))
            .key("sk", s(keys::STATE))
            .projection_expression("#id, #code")
            .expression_attribute_names("#id", "id")
            .expression_attribute_names("#code", "code")
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        let Some(item) = found.item() else {
            return Ok(None);
        };
        let Ok(code) = text(item, "code") else {
            return Ok(None);
        };
        let id = ReportId::parse(text(item, "id")?)
            .map_err(|_| StoreError::Unavailable("a stored report id is unreadable".into()))?;
        Ok(Some((id, code.to_string())))
    }

    async fn idempotency(&self, scope: &str) -> Result<Option<IdempotencyRecord>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::idempotency(scope)))
            .key("sk", s("K"))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        found.item().map(from_doc).transpose()
    }

    async fn feed(&self, query: &FeedQuery) -> Result<Page<Report>, StoreError> {
        self.feed_page(query).await
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Page<Report>, StoreError> {
        self.inbox_page(query).await
    }

    async fn inbox_counts(
        &self,
        scope: &Scope,
        now: OffsetDateTime,
    ) -> Result<InboxCounts, StoreError> {
        self.counts(scope, now).await
    }

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

    async fn mark_sent(&self, message: &OutboxMessage) -> Result<(), StoreError> {
        // Sent: out of the `OUTBOX` index, kept in the report's partition. The condition keeps
        // an UpdateItem from making an item of a message that is not there.
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
            Err(e) if e.code() == Some("ConditionalCheckFailedException") => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn due_work(
        &self,
        job: Job,
        until: OffsetDateTime,
        after: Option<&DueWork>,
        limit: usize,
    ) -> Result<Vec<DueWork>, StoreError> {
        self.due_for(job, until, after, limit).await
    }

    async fn replan(&self, report: &Report, agenda: &Agenda) -> Result<(), StoreError> {
        self.replan_report(report, agenda).await
    }
}

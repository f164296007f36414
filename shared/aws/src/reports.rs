//! Reports: the state, timeline, list entries and outbox of a report live in its partition, and
//! every change to them is one transaction guarded by the version that was read.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use lapor_app::{Change, ConflictKind, NewReport, ReportKey, Reports, StoreError, Stored};
use lapor_domain::{Entry, Report, ReportId, TrackingId, rating};

use crate::access_codes::CODE;
use crate::error::unavailable;
use crate::item::{doc, from_doc, keyed, n, s, text};
use crate::write::Write;
use crate::{Dynamo, keys};

impl Dynamo {
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

    /// The writes of a change's new timeline entries, numbered in the order given.
    fn entry_writes(&self, report: &Report, entries: &[Entry]) -> Result<Vec<Write>, StoreError> {
        let pk = keys::report(report.tracking_id());
        entries
            .iter()
            .enumerate()
            .map(|(n, entry)| {
                let mut item = keyed(&pk, keys::entry(report.version(), n));
                item.insert("doc".into(), doc(entry)?);
                self.put(item, None)
            })
            .collect()
    }
}

#[async_trait]
impl Reports for Dynamo {
    async fn create(&self, new: NewReport) -> Result<(), StoreError> {
        let report = &new.report;
        let pk = keys::report(report.tracking_id());
        let mut state = keyed(&pk, keys::STATE);
        state.insert("doc".into(), doc(report)?);
        state.insert("version".into(), n(report.version()));
        state.insert("id".into(), s(report.id().as_str()));
        if let Some(code) = &new.access_code_hash {
            state.insert(CODE.into(), s(code));
        }
        let not_taken = "attribute_not_exists(pk)";
        let mut pointer = keyed(keys::report_id(report.id()), "I");
        pointer.insert("tracking".into(), s(report.tracking_id().as_str()));
        let mut writes = vec![
            self.put(state, Some((not_taken, ConflictKind::TrackingId)))?,
            self.put(pointer, Some((not_taken, ConflictKind::Duplicate)))?,
        ];
        writes.extend(self.entry_writes(report, &new.entries)?);
        writes.extend(self.outbox_writes(report, &new.outbox)?);
        writes.extend(self.list_writes(report, None)?);
        writes.extend(self.claims(&new.attachments, report.id())?);
        writes.extend(self.agenda_writes(report, &new.agenda, None)?);
        if let Some(record) = &new.idempotency {
            writes.push(self.idempotency_write(record)?);
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
            .key("pk", s(keys::report(report.tracking_id())))
            .key("sk", s(keys::STATE))
            .update_expression("SET #doc = :doc, #version = :version")
            .condition_expression("#version = :before")
            .expression_attribute_names("#doc", "doc")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":doc", doc(report)?)
            .expression_attribute_values(":version", n(report.version()))
            .expression_attribute_values(":before", n(change.before.version()))
            .build()
            .map_err(unavailable)?;
        let mut writes = vec![(
            TransactWriteItem::builder().update(state).build(),
            Some(ConflictKind::Version),
        )];
        writes.extend(self.entry_writes(report, &change.entries)?);
        writes.extend(self.outbox_writes(report, &change.outbox)?);
        writes.extend(self.list_writes(report, Some(&change.before))?);
        if let Some((agency, stars)) = rating::added(&change.before, report) {
            writes.push(self.rating_write(agency, stars)?);
        }
        writes.extend(self.claims(&change.attachments, report.id())?);
        writes.extend(self.agenda_writes(report, &change.agenda, Some(&change.agenda_before))?);
        self.transact(writes).await
    }
}

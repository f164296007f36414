//! The jobs' agenda: one small item per report and planned job, in the report's partition, also
//! in the sparse `due` index under the job's own partition, sorted by the moment the job next
//! has work on the report. A pass reads what is due with one Query (`dsk` up to now), never a
//! Scan; the item moves with every change of the report, in the change's transaction.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem};
use lapor_app::{AgendaIndex, ConflictKind, DueWork, StoreError};
use lapor_domain::jobs::{Agenda, Job};
use lapor_domain::{Report, ReportId, TrackingId};
use time::OffsetDateTime;

use crate::error::unavailable;
use crate::item::{keyed, n, s, text};
use crate::table::DUE_INDEX;
use crate::write::Write;
use crate::{Dynamo, keys};

impl Dynamo {
    /// The writes that make a report's agenda items say `agenda`: a put for each planned job,
    /// and a delete for each job planned `before` and not now (only those: a delete costs a
    /// write even when there is nothing to delete).
    pub(crate) fn agenda_writes(
        &self,
        report: &Report,
        agenda: &Agenda,
        before: Option<&Agenda>,
    ) -> Result<Vec<Write>, StoreError> {
        let mut writes = Vec::new();
        for job in Job::ALL {
            match agenda.at(job) {
                Some(at) => writes.push(self.put(agenda_item(report, job, at), None)?),
                None if before.is_some_and(|b| b.at(job).is_some()) => writes.push(
                    self.delete(keys::report(report.tracking_id()), keys::agenda_entry(job))?,
                ),
                None => {}
            }
        }
        Ok(writes)
    }
}

#[async_trait]
impl AgendaIndex for Dynamo {
    /// One Query of the job's partition of `due`, from `after`, up to `until`.
    async fn due_work(
        &self,
        job: Job,
        until: OffsetDateTime,
        after: Option<&DueWork>,
        limit: usize,
    ) -> Result<Vec<DueWork>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let from = after.map(|w| keys::due_position(Some(w.at), &w.id));
        let mut values = HashMap::from([
            (":job".to_string(), s(keys::agenda(job))),
            (":until".to_string(), s(keys::due_until(until))),
        ]);
        let condition = match &from {
            // Inclusive: the item at the cursor itself is dropped below.
            Some(from) => {
                values.insert(":from".into(), s(from));
                "dpk = :job AND dsk BETWEEN :from AND :until"
            }
            None => "dpk = :job AND dsk <= :until",
        };
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(DUE_INDEX)
                .key_condition_expression(condition)
                .set_expression_attribute_values(Some(values.clone()))
                .limit(i32::try_from(limit + 1).unwrap_or(i32::MAX))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(unavailable)?;
            for item in page.items() {
                if from.as_deref() == Some(text(item, "dsk")?) {
                    continue;
                }
                found.push(read_agenda_item(item)?);
            }
            start = page.last_evaluated_key().cloned();
            if found.len() >= limit || start.is_none() {
                break;
            }
        }
        found.truncate(limit);
        Ok(found)
    }

    async fn replan(&self, report: &Report, agenda: &Agenda) -> Result<(), StoreError> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .key("pk", s(keys::report(report.tracking_id())))
            .key("sk", s(keys::STATE))
            .condition_expression("#version = :version")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":version", n(report.version()))
            .build()
            .map_err(unavailable)?;
        let mut writes = vec![(
            TransactWriteItem::builder().condition_check(check).build(),
            Some(ConflictKind::Version),
        )];
        for job in Job::ALL {
            writes.push(match agenda.at(job) {
                Some(at) => self.put(agenda_item(report, job, at), None)?,
                // What was stored is not known here: delete, which is a no-op when absent.
                None => self.delete(keys::report(report.tracking_id()), keys::agenda_entry(job))?,
            });
        }
        self.transact(writes).await
    }
}

fn agenda_item(report: &Report, job: Job, at: OffsetDateTime) -> HashMap<String, AttributeValue> {
    let mut item = keyed(keys::report(report.tracking_id()), keys::agenda_entry(job));
    item.insert("dpk".into(), s(keys::agenda(job)));
    item.insert("dsk".into(), s(keys::due_position(Some(at), report.id())));
    item
}

/// Reads an agenda item as the index returns it (its keys).
fn read_agenda_item(item: &HashMap<String, AttributeValue>) -> Result<DueWork, StoreError> {
    let unreadable = || StoreError::Unavailable("an agenda item is unreadable".into());
    let tracking = keys::tracking_of_report(text(item, "pk")?).ok_or_else(unreadable)?;
    let (nanos, id) = keys::parse_due_position(text(item, "dsk")?).ok_or_else(unreadable)?;
    Ok(DueWork {
        at: OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| unreadable())?,
        id: ReportId::parse(id).map_err(|_| unreadable())?,
        tracking_id: TrackingId::parse(tracking).map_err(|_| unreadable())?,
    })
}

//! Reports and their timelines. Each write is one transaction of the report's row (its document,
//! index columns and agenda), its listings, its timeline entries, its outbox messages, its
//! attachment claims and, for a new report, its idempotency record.

use async_trait::async_trait;
use lapor_app::index::IndexFields;
use lapor_app::{Change, ConflictKind, NewReport, ReportKey, Reports, StoreError, Stored};
use lapor_domain::{Entry, Report, ReportId, rating};
use rusqlite::types::Value;
use rusqlite::{Transaction, params, params_from_iter};

use crate::Embedded;
use crate::agenda::{PLANNED, planned_values};
use crate::codec::{from_doc, from_docs, nanos, to_doc, to_i64};
use crate::sql::{execute, exists, placeholders, text, texts, unavailable};
use crate::{attachments, idempotency, lists, outbox, ratings};

/// The columns written from the report itself on every write, in the order of
/// [`indexed_values`].
const INDEXED: &str = "version, status, holder, category, search_text, updated_at, due_at, \
                       overdue_marked, doc";

fn indexed_values(report: &Report, fields: &IndexFields) -> Result<Vec<Value>, StoreError> {
    let text = |s: &str| Value::Text(s.to_string());
    let optional = |v: Option<Value>| v.unwrap_or(Value::Null);
    Ok(vec![
        Value::Integer(to_i64(report.version())),
        text(fields.status.as_str()),
        optional(fields.holder.as_ref().map(|a| text(a.as_str()))),
        text(&fields.category),
        text(&fields.search_text),
        Value::Integer(nanos(fields.updated_at)),
        optional(fields.due_at.map(|at| Value::Integer(nanos(at)))),
        Value::Integer(fields.overdue_marked.into()),
        Value::Text(to_doc(report)?),
    ])
}

#[async_trait]
impl Reports for Embedded {
    async fn create(&self, new: NewReport) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let report = &new.report;
                let id = report.id().as_str();
                if exists(tx, "SELECT 1 FROM reports WHERE id = ?1", [id])? {
                    return Err(StoreError::Conflict(ConflictKind::Duplicate));
                }
                let tracking = [report.tracking_id().as_str()];
                if exists(tx, "SELECT 1 FROM reports WHERE tracking_id = ?1", tracking)? {
                    return Err(StoreError::Conflict(ConflictKind::TrackingId));
                }
                if let Some(record) = &new.idempotency {
                    idempotency::remember(tx, record)?;
                }
                let fields = IndexFields::of(report);
                let mut values = indexed_values(report, &fields)?;
                values.extend(planned_values(&new.agenda));
                values.extend([
                    Value::Text(id.to_string()),
                    Value::Text(report.tracking_id().as_str().to_string()),
                    new.access_code_hash
                        .as_ref()
                        .map_or(Value::Null, |h| Value::Text(h.clone())),
                ]);
                let sql = format!(
                    "INSERT INTO reports ({INDEXED}, {PLANNED}, id, tracking_id, access_code_hash) \
                     VALUES ({}, {}, ?, ?, ?)",
                    placeholders(INDEXED),
                    placeholders(PLANNED)
                );
                execute(tx, &sql, params_from_iter(values))?;
                lists::index(tx, report.id(), &fields)?;
                attachments::claim(tx, &new.attachments, report.id())?;
                append(tx, report.id(), &new.entries)?;
                outbox::queue(tx, &new.outbox)
            })
            .await
    }

    async fn load(&self, key: &ReportKey) -> Result<Option<Stored>, StoreError> {
        let key = key.clone();
        self.db
            .read(move |conn| {
                let doc = match &key {
                    ReportKey::Id(id) => {
                        text(conn, "SELECT doc FROM reports WHERE id = ?1", [id.as_str()])?
                    }
                    ReportKey::Tracking(t) => {
                        let sql = "SELECT doc FROM reports WHERE tracking_id = ?1";
                        text(conn, sql, [t.as_str()])?
                    }
                };
                let Some(doc) = doc else {
                    return Ok(None);
                };
                let report: Report = from_doc(&doc)?;
                let sql = "SELECT doc FROM timeline WHERE report_id = ?1 ORDER BY seq";
                let entries = from_docs(&texts(conn, sql, [report.id().as_str()])?)?;
                Ok(Some(Stored { report, entries }))
            })
            .await
    }

    async fn apply(&self, change: Change) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let report = &change.report;
                let fields = IndexFields::of(report);
                let mut values = indexed_values(report, &fields)?;
                values.extend(planned_values(&change.agenda));
                values.extend([
                    Value::Text(report.id().as_str().to_string()),
                    Value::Integer(to_i64(change.before.version())),
                ]);
                let sql = format!(
                    "UPDATE reports SET ({INDEXED}, {PLANNED}) = ({}, {}) \
                     WHERE id = ? AND version = ?",
                    placeholders(INDEXED),
                    placeholders(PLANNED)
                );
                if execute(tx, &sql, params_from_iter(values))? == 0 {
                    return Err(StoreError::Conflict(ConflictKind::Version));
                }
                lists::index(tx, report.id(), &fields)?;
                if let Some((agency, stars)) = rating::added(&change.before, report) {
                    ratings::add(tx, agency, stars)?;
                }
                attachments::claim(tx, &change.attachments, report.id())?;
                append(tx, report.id(), &change.entries)?;
                outbox::queue(tx, &change.outbox)
            })
            .await
    }
}

/// Appends timeline entries after the last one.
fn append(tx: &Transaction, report_id: &ReportId, entries: &[Entry]) -> Result<(), StoreError> {
    let last: i64 = tx
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM timeline WHERE report_id = ?1")
        .and_then(|mut s| s.query_row([report_id.as_str()], |r| r.get(0)))
        .map_err(unavailable)?;
    for (seq, entry) in (last + 1..).zip(entries) {
        let sql = "INSERT INTO timeline (report_id, seq, doc) VALUES (?1, ?2, ?3)";
        execute(tx, sql, params![report_id.as_str(), seq, to_doc(entry)?])?;
    }
    Ok(())
}

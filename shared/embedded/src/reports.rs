//! Reports, their timelines, outbox and idempotency records.

use async_trait::async_trait;
use lapor_app::index::IndexFields;
use lapor_app::{
    Change, ConflictKind, DueWork, FeedQuery, IdempotencyRecord, InboxCounts, InboxQuery,
    NewReport, OutboxMessage, Page, ReportKey, ReportStore, Scope, StoreError, Stored,
};
use lapor_domain::jobs::{Agenda, Job};
use lapor_domain::{Entry, Report, ReportId, TrackingId};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};
use time::OffsetDateTime;

use crate::Embedded;
use crate::codec::{from_doc, from_docs, nanos, to_doc};
use crate::db::{execute, exists, text, texts, unavailable};
use crate::{agenda, attachments, lists};

#[async_trait]
impl ReportStore for Embedded {
    async fn create(&self, new: NewReport) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let report = &new.report;
                if exists(
                    tx,
                    "SELECT 1 FROM reports WHERE id = ?1",
                    [report.id.as_str()],
                )? {
                    return Err(StoreError::Conflict(ConflictKind::Duplicate));
                }
                let tracking = [report.tracking_id.as_str()];
                if exists(tx, "SELECT 1 FROM reports WHERE tracking_id = ?1", tracking)? {
                    return Err(StoreError::Conflict(ConflictKind::TrackingId));
                }
                if let Some(record) = &new.idempotency {
                    remember(tx, record)?;
                }
                insert_report(tx, report, &new.agenda, new.access_code_hash.as_deref())?;
                attachments::claim(tx, &new.attachments, &report.id)?;
                write_links(tx, report)?;
                append(tx, &report.id, &new.entries, &new.outbox)
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
                let entries = from_docs(&texts(conn, sql, [report.id.as_str()])?)?;
                Ok(Some(Stored { report, entries }))
            })
            .await
    }

    async fn apply(&self, change: Change) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let report = &change.report;
                let mut values = indexed_values(report)?;
                values.extend(planned_values(&change.agenda));
                values.extend([
                    Value::Text(report.id.as_str().to_string()),
                    Value::Integer(to_i64(change.before.version)),
                ]);
                let sql = format!(
                    "UPDATE reports SET ({INDEXED}, {PLANNED}) = ({}, {}) \
                     WHERE id = ? AND version = ?",
                    placeholders(INDEXED),
                    placeholders(PLANNED)
                );
                let updated = execute(tx, &sql, params_from_iter(values))?;
                if updated == 0 {
                    return Err(StoreError::Conflict(ConflictKind::Version));
                }
                attachments::claim(tx, &change.attachments, &report.id)?;
                write_links(tx, report)?;
                append(tx, &report.id, &change.entries, &change.outbox)
            })
            .await
    }

    async fn access_code_hash(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(ReportId, String)>, StoreError> {
        let tracking = tracking_id.as_str().to_string();
        self.db
            .read(move |conn| {
                let row: Option<(String, Option<String>)> = conn
                    .prepare_cached(
                        "SELECT id, access_code_hash FROM reports WHERE tracking_id = ?1",
                    )
                    .and_then(|mut s| {
                        s.query_row([&tracking], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()
                    })
                    .map_err(unavailable)?;
                let Some((id, Some(hash))) = row else {
                    return Ok(None);
                };
                let id = ReportId::parse(&id).map_err(|_| {
                    StoreError::Unavailable("a stored report id is unreadable".into())
                })?;
                Ok(Some((id, hash)))
            })
            .await
    }

    async fn idempotency(&self, scope: &str) -> Result<Option<IdempotencyRecord>, StoreError> {
        let scope = scope.to_string();
        self.db
            .read(move |conn| {
                text(
                    conn,
                    "SELECT doc FROM idempotency WHERE scope = ?1",
                    [&scope],
                )?
                .map(|doc| from_doc(&doc))
                .transpose()
            })
            .await
    }

    async fn feed(&self, query: &FeedQuery) -> Result<Page<Report>, StoreError> {
        let query = query.clone();
        self.db.read(move |conn| lists::feed(conn, &query)).await
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Page<Report>, StoreError> {
        let query = query.clone();
        self.db.read(move |conn| lists::inbox(conn, &query)).await
    }

    async fn inbox_counts(
        &self,
        scope: &Scope,
        now: OffsetDateTime,
    ) -> Result<InboxCounts, StoreError> {
        let scope = scope.clone();
        self.db
            .read(move |conn| lists::inbox_counts(conn, &scope, now))
            .await
    }

    async fn mark_sent(&self, message: &OutboxMessage) -> Result<(), StoreError> {
        let (id, now) = (message.id.clone(), nanos(OffsetDateTime::now_utc()));
        self.db
            .write(move |tx| {
                let sql = "UPDATE outbox SET sent_at = ?1 WHERE id = ?2 AND sent_at IS NULL";
                execute(tx, sql, params![now, id]).map(drop)
            })
            .await
    }

    async fn outbox_pending(&self, limit: usize) -> Result<Vec<OutboxMessage>, StoreError> {
        self.db
            .read(move |conn| {
                let sql = "SELECT doc FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?1";
                from_docs(&texts(conn, sql, [to_i64(limit as u64)])?)
            })
            .await
    }

    async fn due_work(
        &self,
        job: Job,
        until: OffsetDateTime,
        after: Option<&DueWork>,
        limit: usize,
    ) -> Result<Vec<DueWork>, StoreError> {
        let after = after.map(|w| (nanos(w.at), w.id.as_str().to_string()));
        self.db
            .read(move |conn| agenda::due(conn, job, until, after, limit))
            .await
    }

    async fn replan(&self, report: &Report, agenda: &Agenda) -> Result<(), StoreError> {
        let mut values = planned_values(agenda);
        values.extend([
            Value::Text(report.id.as_str().to_string()),
            Value::Integer(to_i64(report.version)),
        ]);
        self.db
            .write(move |tx| {
                let sql = format!(
                    "UPDATE reports SET ({PLANNED}) = ({}) WHERE id = ? AND version = ?",
                    placeholders(PLANNED)
                );
                match execute(tx, &sql, params_from_iter(values))? {
                    0 => Err(StoreError::Conflict(ConflictKind::Version)),
                    _ => Ok(()),
                }
            })
            .await
    }
}

/// The columns of the jobs' agenda, in the order of [`planned_values`].
const PLANNED: &str = "deadline_check_at, auto_close_at";

fn planned_values(agenda: &Agenda) -> Vec<Value> {
    Job::ALL
        .into_iter()
        .map(|job| {
            agenda
                .at(job)
                .map_or(Value::Null, |at| Value::Integer(nanos(at)))
        })
        .collect()
}

/// The columns written from the report itself on every write, in the order of
/// [`indexed_values`].
const INDEXED: &str = "version, status, holder, target, public, category, search_text, \
                       updated_at, due_at, overdue_marked, doc";

fn indexed_values(report: &Report) -> Result<Vec<Value>, StoreError> {
    let fields = IndexFields::of(report);
    let text = |s: &str| Value::Text(s.to_string());
    let optional = |v: Option<Value>| v.unwrap_or(Value::Null);
    Ok(vec![
        Value::Integer(to_i64(report.version)),
        text(fields.status.as_str()),
        optional(fields.holder.as_ref().map(|a| text(a.as_str()))),
        optional(fields.target.as_ref().map(|a| text(a.as_str()))),
        Value::Integer(fields.public.into()),
        Value::Text(fields.category),
        Value::Text(fields.search_text),
        Value::Integer(nanos(fields.updated_at)),
        optional(fields.due_at.map(|at| Value::Integer(nanos(at)))),
        Value::Integer(fields.overdue_marked.into()),
        Value::Text(to_doc(report)?),
    ])
}

/// `?, ?, ...`, one per column.
fn placeholders(columns: &str) -> String {
    vec!["?"; columns.split(',').count()].join(", ")
}

/// Keeps an idempotency record, unless its key is still honoured for an earlier request.
/// Records past their time (this key's among them) are removed on the way.
fn remember(tx: &Transaction, record: &IdempotencyRecord) -> Result<(), StoreError> {
    let now = nanos(record.created_at);
    let sql = "SELECT 1 FROM idempotency WHERE scope = ?1 AND expires > ?2";
    if exists(tx, sql, params![record.scope, now])? {
        return Err(StoreError::Conflict(ConflictKind::IdempotencyKey));
    }
    execute(tx, "DELETE FROM idempotency WHERE expires <= ?1", [now])?;
    let sql = "INSERT INTO idempotency (scope, expires, doc) VALUES (?1, ?2, ?3)";
    let values = params![record.scope, nanos(record.expires_at()), to_doc(record)?];
    execute(tx, sql, values).map(drop)
}

fn insert_report(
    tx: &Transaction,
    report: &Report,
    agenda: &Agenda,
    access_code_hash: Option<&str>,
) -> Result<(), StoreError> {
    let mut values = indexed_values(report)?;
    values.extend(planned_values(agenda));
    values.extend([
        Value::Text(report.id.as_str().to_string()),
        Value::Text(report.tracking_id.as_str().to_string()),
        access_code_hash.map_or(Value::Null, |h| Value::Text(h.to_string())),
    ]);
    let sql = format!(
        "INSERT INTO reports ({INDEXED}, {PLANNED}, id, tracking_id, access_code_hash) \
         VALUES ({}, {}, ?, ?, ?)",
        placeholders(INDEXED),
        placeholders(PLANNED)
    );
    execute(tx, &sql, params_from_iter(values))?;
    Ok(())
}

/// Rewrites the report's copies and request parties.
fn write_links(tx: &Transaction, report: &Report) -> Result<(), StoreError> {
    let fields = IndexFields::of(report);
    let id = report.id.as_str();
    execute(tx, "DELETE FROM report_links WHERE report_id = ?1", [id])?;
    let copies = fields.copies.iter().map(|a| ("copy", a.as_str()));
    let parties = fields.request_parties.iter().map(|p| {
        (
            "request",
            p.as_ref().map_or(lists::NATIONAL, |a| a.as_str()),
        )
    });
    for (kind, agency) in copies.chain(parties) {
        let sql =
            "INSERT OR IGNORE INTO report_links (report_id, kind, agency) VALUES (?1, ?2, ?3)";
        execute(tx, sql, params![id, kind, agency])?;
    }
    Ok(())
}

/// Appends timeline entries after the last one, and queues their outbox messages.
fn append(
    tx: &Transaction,
    report_id: &ReportId,
    entries: &[Entry],
    outbox: &[OutboxMessage],
) -> Result<(), StoreError> {
    let last: i64 = tx
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM timeline WHERE report_id = ?1")
        .and_then(|mut s| s.query_row([report_id.as_str()], |r| r.get(0)))
        .map_err(unavailable)?;
    for (seq, entry) in (last + 1..).zip(entries) {
        let sql = "INSERT INTO timeline (report_id, seq, doc) VALUES (?1, ?2, ?3)";
        execute(tx, sql, params![report_id.as_str(), seq, to_doc(entry)?])?;
    }
    for message in outbox {
        let sql = "INSERT INTO outbox (id, doc) VALUES (?1, ?2)";
        execute(tx, sql, params![message.id, to_doc(message)?])?;
    }
    Ok(())
}

/// SQLite integers are signed; versions and limits never come near the top.
pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_saturate() {
        assert_eq!(to_i64(u64::MAX), i64::MAX);
        assert_eq!(to_i64(7), 7);
    }

    #[test]
    fn expired_idempotency_records_are_purged_as_new_ones_come() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let t0 = time::macros::datetime!(2025-06-02 03:00 UTC);
        let record = |scope: &str, created_at| IdempotencyRecord {
            scope: scope.to_string(),
            request_hash: "h".to_string(),
            response: serde_json::Value::Null,
            created_at,
        };
        let tx = conn.transaction().unwrap();
        remember(&tx, &record("old", t0)).unwrap();
        remember(&tx, &record("recent", t0 + time::Duration::days(20))).unwrap();
        remember(&tx, &record("new", t0 + IdempotencyRecord::KEPT)).unwrap();
        let kept = texts(&tx, "SELECT scope FROM idempotency ORDER BY scope", []).unwrap();
        assert_eq!(kept, ["new", "recent"]);
    }
}

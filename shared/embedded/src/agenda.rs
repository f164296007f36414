//! The jobs' agenda: a column per job holding when it next has work on a report, written with
//! every report write and read from the partial index of the job's column, earliest first, paged
//! by (time, id).

use async_trait::async_trait;
use lapor_app::{AgendaIndex, ConflictKind, DueWork, StoreError};
use lapor_domain::jobs::{Agenda, Job};
use lapor_domain::{Report, ReportId, TrackingId};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};
use time::OffsetDateTime;

use crate::Embedded;
use crate::codec::{nanos, to_i64};
use crate::sql::{execute, placeholders, unavailable};

/// The agenda's columns, in the order of [`planned_values`] (that of [`Job::ALL`]).
pub(crate) const PLANNED: &str = "deadline_check_at, auto_close_at";

/// The agenda as the values of [`PLANNED`].
pub(crate) fn planned_values(agenda: &Agenda) -> Vec<Value> {
    Job::ALL
        .into_iter()
        .map(|job| {
            agenda
                .at(job)
                .map_or(Value::Null, |at| Value::Integer(nanos(at)))
        })
        .collect()
}

/// The column holding a job's next moment.
fn column(job: Job) -> &'static str {
    match job {
        Job::DeadlineCheck => "deadline_check_at",
        Job::AutoClose => "auto_close_at",
    }
}

#[async_trait]
impl AgendaIndex for Embedded {
    async fn due_work(
        &self,
        job: Job,
        until: OffsetDateTime,
        after: Option<&DueWork>,
        limit: usize,
    ) -> Result<Vec<DueWork>, StoreError> {
        // Before any position when there is no cursor: the smallest moment, and an id below all.
        let (after_at, after_id) = after.map_or((i64::MIN, String::new()), |w| {
            (nanos(w.at), w.id.as_str().to_string())
        });
        let at = column(job);
        let sql = format!(
            "SELECT {at}, id, tracking_id FROM reports
             WHERE {at} IS NOT NULL AND {at} <= ?1 AND ({at} > ?2 OR ({at} = ?2 AND id > ?3))
             ORDER BY {at}, id LIMIT ?4"
        );
        let (until, limit) = (nanos(until), to_i64(limit as u64));
        let rows = self
            .db
            .read(move |conn| {
                conn.prepare_cached(&sql)
                    .and_then(|mut s| {
                        s.query_map(params![until, after_at, after_id, limit], |r| {
                            Ok((
                                r.get::<_, i64>(0)?,
                                r.get::<_, String>(1)?,
                                r.get::<_, String>(2)?,
                            ))
                        })
                        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                    })
                    .map_err(unavailable)
            })
            .await?;
        rows.into_iter()
            .map(|(at, id, tracking)| {
                let unreadable =
                    || StoreError::Unavailable("a stored report key is unreadable".into());
                Ok(DueWork {
                    at: OffsetDateTime::from_unix_timestamp_nanos(at.into())
                        .map_err(|_| unreadable())?,
                    id: ReportId::parse(&id).map_err(|_| unreadable())?,
                    tracking_id: TrackingId::parse(&tracking).map_err(|_| unreadable())?,
                })
            })
            .collect()
    }

    async fn replan(&self, report: &Report, agenda: &Agenda) -> Result<(), StoreError> {
        let mut values = planned_values(agenda);
        values.extend([
            Value::Text(report.id().as_str().to_string()),
            Value::Integer(to_i64(report.version())),
        ]);
        let sql = format!(
            "UPDATE reports SET ({PLANNED}) = ({}) WHERE id = ? AND version = ?",
            placeholders(PLANNED)
        );
        self.db
            .write(
                move |tx| match execute(tx, &sql, params_from_iter(values))? {
                    0 => Err(StoreError::Conflict(ConflictKind::Version)),
                    _ => Ok(()),
                },
            )
            .await
    }
}

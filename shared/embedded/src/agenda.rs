//! The jobs' agenda: the reports a job has work on by a moment, read from the partial index of
//! the job's column, earliest first, paged by (time, id).

use lapor_app::{DueWork, StoreError};
use lapor_domain::jobs::Job;
use lapor_domain::{ReportId, TrackingId};
use rusqlite::{Connection, params};
use time::OffsetDateTime;

use crate::codec::nanos;
use crate::db::unavailable;
use crate::reports::to_i64;

/// The column holding a job's next moment.
fn column(job: Job) -> &'static str {
    match job {
        Job::DeadlineCheck => "deadline_check_at",
        Job::AutoClose => "auto_close_at",
    }
}

pub(crate) fn due(
    conn: &Connection,
    job: Job,
    until: OffsetDateTime,
    after: Option<(i64, String)>,
    limit: usize,
) -> Result<Vec<DueWork>, StoreError> {
    let at = column(job);
    // Before any position when there is no cursor: the smallest moment, and an id below all.
    let (after_at, after_id) = after.unwrap_or((i64::MIN, String::new()));
    let sql = format!(
        "SELECT {at}, id, tracking_id FROM reports
         WHERE {at} IS NOT NULL AND {at} <= ?1 AND ({at} > ?2 OR ({at} = ?2 AND id > ?3))
         ORDER BY {at}, id LIMIT ?4"
    );
    let rows = conn
        .prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(
                params![nanos(until), after_at, after_id, to_i64(limit as u64)],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        })
        .map_err(unavailable)?;
    rows.into_iter()
        .map(|(at, id, tracking)| {
            let unreadable = || StoreError::Unavailable("a stored report key is unreadable".into());
            Ok(DueWork {
                at: OffsetDateTime::from_unix_timestamp_nanos(at.into())
                    .map_err(|_| unreadable())?,
                id: ReportId::parse(&id).map_err(|_| unreadable())?,
                tracking_id: TrackingId::parse(&tracking).map_err(|_| unreadable())?,
            })
        })
        .collect()
}

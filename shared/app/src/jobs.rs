//! The scheduled jobs as a use case: one pass of a job as if it were a given moment.
//!
//! A pass reads the reports with work due from the store's agenda index (by time, a page at a
//! time, never every report), and for each one loads it, asks the domain which commands are due
//! ([`lapor_domain::jobs::due_commands`]), and records them like any action: one atomic write of
//! the new state, its timeline entries, their outbox messages and its next agenda, guarded by
//! the version read. A person acting on the same report meanwhile makes that write fail; the
//! pass then reads the report again and decides anew, so the job never overwrites a person and
//! never acts on a state it did not see. Whatever it recorded is no longer due, so a second pass
//! at the same moment finds nothing to do.

use lapor_domain::actions::Context;
use lapor_domain::draft::Draft;
use lapor_domain::jobs::{self, Agenda, Job};
use lapor_domain::{Actor, EventKind, TrackingId};
use serde::Serialize;
use time::OffsetDateTime;

use crate::App;
use crate::error::AppError;
use crate::ports::{ConflictKind, DueWork, ReportKey, StoreError, Stored};

/// Reports read from the agenda index per request.
const PAGE: usize = 100;

/// How often a report changed by someone else meanwhile is read again before it is left to the
/// next pass.
const ATTEMPTS: usize = 3;

/// What one pass did.
#[derive(Clone, Debug, Serialize)]
pub struct JobRun {
    pub job: Job,
    /// The moment it ran as.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The reports it changed, and how.
    pub changed: Vec<Changed>,
    /// Reports found with nothing to do, whose agenda was brought up to date.
    pub replanned: usize,
    /// Reports it left for the next pass, and why.
    pub skipped: Vec<Skipped>,
}

/// A report a pass changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// The report.
    pub tracking_id: TrackingId,
    /// The timeline entries it recorded (`overdue`, `auto_closed`...).
    pub entries: Vec<EventKind>,
}

/// A report a pass left alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The report.
    pub tracking_id: TrackingId,
    /// Why.
    pub reason: String,
}

/// What happened to one report.
enum Outcome {
    Changed(Vec<EventKind>),
    Replanned,
    Refused(String),
}

impl App {
    /// Runs one pass of `job` as if it were `now`.
    pub async fn run_job(&self, job: Job, now: OffsetDateTime) -> Result<JobRun, AppError> {
        let mut run = JobRun {
            job,
            at: now,
            changed: Vec::new(),
            replanned: 0,
            skipped: Vec::new(),
        };
        let mut after: Option<DueWork> = None;
        loop {
            let page = self.agenda.due_work(job, now, after.as_ref(), PAGE).await?;
            for work in &page {
                self.work_on(job, now, work, &mut run).await?;
            }
            // Paging by position, not by re-reading from the start: a report left for the next
            // pass is not met again in this one.
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(last.clone()),
                _ => break,
            }
        }
        // A pass with nothing to do is the common case on a timer: not worth a line at INFO.
        let (changed, replanned, skipped) = (run.changed.len(), run.replanned, run.skipped.len());
        if changed + replanned + skipped > 0 {
            tracing::info!(job = job.as_str(), at = %now, changed, replanned, skipped, "job pass done");
        } else {
            tracing::debug!(job = job.as_str(), at = %now, "job pass done: nothing due");
        }
        Ok(run)
    }

    /// Does the job's work on one report, reading it again after a concurrent change.
    async fn work_on(
        &self,
        job: Job,
        now: OffsetDateTime,
        work: &DueWork,
        run: &mut JobRun,
    ) -> Result<(), AppError> {
        let skip = |reason: String| Skipped {
            tracking_id: work.tracking_id.clone(),
            reason,
        };
        for _ in 0..ATTEMPTS {
            let key = ReportKey::Tracking(work.tracking_id.clone());
            let Some(Stored { report, .. }) = self.reports.load(&key).await? else {
                run.skipped.push(skip("not found".to_string()));
                return Ok(());
            };
            match self.pass_on(job, now, report).await {
                Ok(Outcome::Changed(entries)) => {
                    tracing::info!(job = job.as_str(), tracking_id = %work.tracking_id, ?entries, "report changed");
                    run.changed.push(Changed {
                        tracking_id: work.tracking_id.clone(),
                        entries,
                    });
                    return Ok(());
                }
                Ok(Outcome::Replanned) => {
                    run.replanned += 1;
                    return Ok(());
                }
                Ok(Outcome::Refused(reason)) => {
                    tracing::warn!(job = job.as_str(), tracking_id = %work.tracking_id, reason, "report skipped");
                    run.skipped.push(skip(reason));
                    return Ok(());
                }
                Err(StoreError::Conflict(ConflictKind::Version)) => {
                    tracing::info!(job = job.as_str(), tracking_id = %work.tracking_id, "changed meanwhile: reading it again");
                }
                Err(e) => return Err(e.into()),
            }
        }
        run.skipped.push(skip(
            "changed by someone else on every attempt; left for the next pass".to_string(),
        ));
        Ok(())
    }

    /// Decides and records the due commands on the report as read.
    async fn pass_on(
        &self,
        job: Job,
        now: OffsetDateTime,
        before: lapor_domain::Report,
    ) -> Result<Outcome, StoreError> {
        let commands = jobs::due_commands(&before, job, now, &self.calendar);
        if commands.is_empty() {
            // Found, yet nothing is due: the stored agenda is older than the report's rules
            // (another calendar, a file from an earlier release). Store the right one.
            let agenda = Agenda::of(&before, &self.calendar);
            self.agenda.replan(&before, &agenda).await?;
            return Ok(Outcome::Replanned);
        }
        let ctx = Context {
            now,
            calendar: &self.calendar,
        };
        let mut draft = Draft::new(before);
        for command in commands {
            if let Err(violation) =
                draft.take(&Actor::System, command, &ctx, &mut || self.entry_id())
            {
                return Ok(Outcome::Refused(violation.to_string()));
            }
        }
        let (_, entries) = self.commit(draft.finish(), Vec::new()).await?;
        let kinds = entries.iter().map(|e| e.event.kind()).collect();
        Ok(Outcome::Changed(kinds))
    }
}

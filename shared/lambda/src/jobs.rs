//! A scheduled job as a Lambda function: each invocation is one pass of the job as if it were
//! the moment in the event's `time`.
//!
//! Two event shapes carry that moment: EventBridge's classic `Scheduled Event` (its `time` is
//! the scheduled time) and the input lapor's EventBridge Scheduler schedules send (the SAM
//! template sets it to `{"time": "<aws.scheduler.scheduled-time>", ...}`, since Scheduler
//! sends no time of its own). A retried invocation carries the same time, and a pass that finds
//! its work done changes nothing: retries are safe.

use lambda_http::lambda_runtime::{self, LambdaEvent, service_fn};
use lapor_app::App;
use lapor_app::jobs::JobRun;
use lapor_domain::jobs::Job;
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Error;

/// Why an invocation did not run the job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The event has no `time`.
    #[error("the event has no `time` (an EventBridge schedule's moment, RFC 3339)")]
    MissingTime,
    /// The `time` is not an RFC 3339 moment.
    #[error("the event's `time` {0:?} is not an RFC 3339 moment")]
    BadTime(String),
    /// The pass failed (the store could not be reached); the invocation is retried.
    #[error("the {job} pass failed: {cause}")]
    Failed {
        job: &'static str,
        /// What failed.
        cause: lapor_app::AppError,
    },
}

/// What an invocation answers: the pass in numbers (each report changed is in the logs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub job: Job,
    /// The moment it ran as.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Reports changed.
    pub changed: usize,
    /// Reports whose agenda was brought up to date.
    pub replanned: usize,
    /// Reports left for the next pass.
    pub skipped: usize,
}

impl From<&JobRun> for Summary {
    fn from(run: &JobRun) -> Self {
        Self {
            job: run.job,
            at: run.at,
            changed: run.changed.len(),
            replanned: run.replanned,
            skipped: run.skipped.len(),
        }
    }
}

/// The moment a schedule event stands for.
pub fn scheduled_time(event: &Value) -> Result<OffsetDateTime, JobError> {
    let raw = event
        .get("time")
        .and_then(Value::as_str)
        .ok_or(JobError::MissingTime)?;
    OffsetDateTime::parse(raw, &Rfc3339).map_err(|_| JobError::BadTime(raw.to_string()))
}

/// Runs one pass of `job` for a schedule event.
pub async fn handle(app: &App, job: Job, event: &Value) -> Result<Summary, JobError> {
    let at = scheduled_time(event)?;
    let run = app
        .run_job(job, at)
        .await
        .map_err(|cause| JobError::Failed {
            job: job.as_str(),
            cause,
        })?;
    Ok(Summary::from(&run))
}

/// Runs `job` on every schedule event until the Lambda runtime stops the container. The
/// configuration and the stores are built once, before the first event; no token secret is
/// read, since a job signs nothing.
pub async fn run_job(job: Job) -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let config = lapor_setup::Config::from_env()?;
    let app = lapor_setup::build_app(&config).await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let app = app.clone();
        async move {
            handle(&app, job, &event.payload).await.map_err(|e| {
                tracing::error!(job = job.as_str(), error = %e, "the job did not run");
                Error::from(e)
            })
        }
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    #[test]
    fn the_time_comes_from_a_classic_event_or_the_schedulers_input() {
        let classic = json!({
            "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": "2026-03-25T17:00:00Z",
            "region": "ap-southeast-3", "resources": [], "detail": {}
        });
        assert_eq!(
            scheduled_time(&classic).unwrap(),
            datetime!(2026-03-26 00:00 +7)
        );
        let scheduler = json!({"time": "2026-03-26T00:05:00+07:00", "source": "aws.scheduler"});
        assert_eq!(
            scheduled_time(&scheduler).unwrap(),
            datetime!(2026-03-26 00:05 +7)
        );
    }

    #[test]
    fn a_missing_or_unreadable_time_is_an_error() {
        assert!(matches!(
            scheduled_time(&json!({"detail-type": "Scheduled Event"})),
            Err(JobError::MissingTime)
        ));
        assert!(matches!(
            scheduled_time(&json!({"time": "<aws.scheduler.scheduled-time>"})),
            Err(JobError::BadTime(_))
        ));
        assert!(matches!(
            scheduled_time(&json!({"time": 1774483200})),
            Err(JobError::MissingTime)
        ));
    }
}

//! The scheduled jobs in `lapor-local`: on a timer in the serving process, and one pass on
//! demand from the command line (`lapor-local job deadline-check --at <RFC 3339>`).

use std::io::Write;
use std::time::Duration;

use lapor_app::App;
use lapor_app::jobs::JobRun;
use lapor_domain::jobs::Job;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Runs one pass of `job` as if it were `at`, against the configured store, and prints what it
/// did to `out`: a line per report changed or skipped, then a summary.
pub async fn run_once(
    config: &lapor_setup::Config,
    job: Job,
    at: OffsetDateTime,
    out: &mut impl Write,
) -> anyhow::Result<JobRun> {
    let app = lapor_setup::build_app(config).await?;
    let run = app.run_job(job, at).await?;
    print_run(&run, out)?;
    Ok(run)
}

/// Prints a pass for an operator.
pub fn print_run(run: &JobRun, out: &mut impl Write) -> std::io::Result<()> {
    for changed in &run.changed {
        writeln!(
            out,
            "#{}  {}",
            changed.tracking_id,
            changed
                .entries
                .iter()
                .map(|kind| kind.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    for skipped in &run.skipped {
        writeln!(out, "#{}  skipped: {}", skipped.tracking_id, skipped.reason)?;
    }
    let at = run
        .at
        .format(&Rfc3339)
        .unwrap_or_else(|_| run.at.to_string());
    writeln!(
        out,
        "{} at {at}: {} report(s) changed, {} skipped, {} replanned",
        run.job.as_str(),
        run.changed.len(),
        run.skipped.len(),
        run.replanned
    )
}

/// Runs both jobs every `every`, as of the app's clock, until the task is aborted. A failed pass
/// is logged and tried again at the next tick; the work it left is still due then.
pub fn spawn_timer(app: App, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            for job in Job::ALL {
                if let Err(e) = app.run_job(job, app.clock.now()).await {
                    tracing::error!(job = job.as_str(), error = %e, "the job pass failed");
                }
            }
        }
    })
}

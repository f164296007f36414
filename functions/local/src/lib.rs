//! `lapor-local`: the whole API and the scheduled jobs on the embedded backend (one SQLite file
//! and a folder), for local development and single-machine deployments; or on the AWS backend
//! (`LAPOR_BACKEND=aws`), against DynamoDB or an emulator of it.

pub mod jobs;
mod server;

use std::future::Future;
use std::path::PathBuf;

use anyhow::Context as _;
use axum::Router;
use clap::{Parser, Subcommand, ValueEnum};
use lapor_app::App;
use lapor_domain::jobs::Job;
use lapor_http::AppState;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::net::TcpListener;
use tracing::Instrument as _;

pub use lapor_setup::{Assembly, Backend, Config, ConnectionLimits, assemble, build, build_on};

/// Everything `lapor-local` serves: the API under `/v1`, the web pages beside it.
pub fn router(state: AppState) -> Router {
    lapor_web::with_api(state.clone(), lapor_http::full_router(state))
}

/// Serves the whole API and the web pages on `listener` within `limits` until `shutdown` completes, then
/// finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = state.app.clone();
    serve_router(listener, &app, router(state), limits, shutdown).await
}

/// Serves `router` on `listener` with `app`'s outbox relay beside it (notifications delivered
/// in-process: the worker drains the outbox, woken by each write and by a timer for what
/// failed), until `shutdown` completes. The worker runs in the caller's span.
pub async fn serve_router(
    listener: TcpListener,
    app: &App,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let worker = {
        let app = app.clone();
        tokio::spawn(async move { app.relay_forever().await }.in_current_span())
    };
    let served = server::serve(listener, router, limits, shutdown).await;
    worker.abort();
    served
}

/// `lapor-local`'s command line. Without a command it serves; the configuration comes from the
/// environment (README.md, "Configuration").
#[derive(Debug, Parser)]
#[command(
    name = "lapor-local",
    version,
    about = "lapor on one machine: the API and its jobs"
)]
pub struct Cli {
    /// What to do; nothing: serve the API (and run the jobs on their timer).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A command of `lapor-local`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one pass of a scheduled job against the data directory, and print what it did.
    Job {
        /// Which job.
        job: JobName,
        /// The moment to run it as (RFC 3339, such as 2026-03-26T00:00:00+07:00); default: now.
        #[arg(long, value_parser = parse_moment)]
        at: Option<OffsetDateTime>,
    },
    /// Print the lifecycle table (Markdown), as the domain enforces it.
    Lifecycle,
    /// Write a backup of the data directory (the embedded backend) to a new file, while the
    /// server may run: the database as one consistent snapshot, the attachments and secrets
    /// beside it.
    Backup {
        /// The archive to write (a tar file; it must not exist).
        file: PathBuf,
    },
    /// Restore a backup into the data directory, which must be missing or empty; then start
    /// the server on it.
    Restore {
        /// The archive `lapor-local backup` wrote.
        file: PathBuf,
    },
}

/// The jobs by their command-line names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JobName {
    /// Warn of deadlines one working day ahead, mark passed ones overdue, escalate at 3x.
    DeadlineCheck,
    /// Close in-progress reports left quiet for 10 working days after their last follow-up.
    AutoClose,
}

impl From<JobName> for Job {
    fn from(name: JobName) -> Self {
        match name {
            JobName::DeadlineCheck => Job::DeadlineCheck,
            JobName::AutoClose => Job::AutoClose,
        }
    }
}

fn parse_moment(raw: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(raw, &Rfc3339)
        .map_err(|e| format!("not an RFC 3339 moment such as 2026-03-26T00:00:00+07:00: {e}"))
}

/// Runs the command line: serves, runs a job once, or prints the lifecycle table.
pub async fn cli() -> anyhow::Result<()> {
    match Cli::parse().command {
        None => run().await,
        Some(Command::Lifecycle) => {
            print!("{}", lapor_domain::lifecycle::markdown());
            Ok(())
        }
        Some(Command::Backup { file }) => {
            let config = Config::from_env()?;
            let files = lapor_embedded::backup::backup(&config.data_dir, &file)
                .with_context(|| format!("cannot back up {}", config.data_dir.display()))?;
            println!(
                "{}: {files} files of {}",
                file.display(),
                config.data_dir.display()
            );
            Ok(())
        }
        Some(Command::Restore { file }) => {
            let config = Config::from_env()?;
            let files = lapor_embedded::backup::restore(&file, &config.data_dir)
                .with_context(|| format!("cannot restore {}", file.display()))?;
            println!(
                "{}: {files} files restored from {}",
                config.data_dir.display(),
                file.display()
            );
            Ok(())
        }
        Some(Command::Job { job, at }) => {
            // Logs to stderr: stdout is the report of the pass.
            init_logs(std::io::stderr);
            let config = Config::from_env()?;
            let at = at.unwrap_or_else(OffsetDateTime::now_utc);
            jobs::run_once(&config, job.into(), at, &mut std::io::stdout().lock()).await?;
            Ok(())
        }
    }
}

fn init_logs<W>(writer: W)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(writer)
        .init();
}

/// Reads the configuration from the environment, then serves (running the jobs on their timer)
/// until Ctrl-C or SIGTERM.
pub async fn run() -> anyhow::Result<()> {
    init_logs(std::io::stdout);
    let config = Config::from_env()?;
    let state = build(&config).await?;
    let timer = config.jobs_interval.map(|every| {
        tracing::info!(every_seconds = every.as_secs(), "the jobs run on a timer");
        jobs::spawn_timer(state.app.clone(), every)
    });
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    tracing::info!(
        addr = %listener.local_addr()?,
        data_dir = %config.data_dir.display(),
        "lapor-local is serving"
    );
    serve(listener, state, config.connections, shutdown_signal()).await?;
    if let Some(timer) = timer {
        timer.abort();
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

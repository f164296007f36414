//! Serves groups of lapor's routes as an AWS Lambda function behind API Gateway's HTTP API
//! (payload format 2.0), runs the scheduled jobs on EventBridge schedules ([`jobs`]) and the
//! notifier on its queue ([`notifier`]). A
//! function's `main` names its groups or its job; the configuration, the stores and their SDK
//! clients are built here once per container, before the first event, and reused by every
//! invocation it serves.

pub mod jobs;
pub mod notifier;

use lapor_http::RouteGroup;

pub use jobs::run_job;
pub use lambda_http::Error;
pub use lapor_domain::jobs::Job;
pub use notifier::run_notifier;

/// Serves `groups` until the Lambda runtime stops the container. Logs go to stdout, as JSON
/// when the function's log format is JSON, each line with the invocation's request id.
pub async fn serve(groups: &[RouteGroup]) -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    let config = lapor_setup::Config::from_env()?;
    let state = lapor_setup::build(&config).await?;
    lambda_http::run(lapor_http::router(state, groups)).await
}

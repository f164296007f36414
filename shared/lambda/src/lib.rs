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
    lambda_http::run(router(state, groups)).await
}

/// The routes of `groups` as a function serves them: each request carries the address API
/// Gateway saw it come from (`sourceIp`), as the client's.
pub fn router(state: lapor_http::AppState, groups: &[RouteGroup]) -> axum::Router {
    lapor_http::router(state, groups).layer(axum::middleware::map_request(with_source_ip))
}

async fn with_source_ip(mut request: axum::extract::Request) -> axum::extract::Request {
    use lambda_http::RequestExt as _;
    let source = match request.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(context)) => context
            .http
            .source_ip
            .as_deref()
            .and_then(|ip| ip.parse().ok()),
        _ => None,
    };
    if let Some(ip) = source {
        request
            .extensions_mut()
            .insert(lapor_http::client::Peer(ip));
    }
    request
}

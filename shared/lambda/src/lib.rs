//! Serves groups of lapor's routes as an AWS Lambda function behind API Gateway's HTTP API
//! (payload format 2.0), runs the scheduled jobs on EventBridge schedules ([`jobs`]) and the
//! notifier on its queue ([`notifier`]). A
//! function's `main` names its groups or its job; the configuration, the stores and their SDK
//! clients are built here once per container, before the first event, and reused by every
//! invocation it serves.

pub mod jobs;
pub mod notifier;

use std::time::Duration;

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

/// Serves the web pages (lapor-web) until the Lambda runtime stops the container: the `web`
/// function, behind every path of the HTTP API outside `/v1`.
pub async fn serve_web() -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    let config = lapor_setup::Config::from_env()?;
    let state = lapor_setup::build(&config).await?;
    lambda_http::run(web_router(state)).await
}

/// The web pages as the `web` function serves them. A path under `/v1` reaches it only when no
/// API route has it: it answers as the API does, problem+json 404.
pub fn web_router(state: lapor_http::AppState) -> axum::Router {
    let no_api =
        axum::Router::new().fallback(|| async { lapor_http::problem::Problem::not_found() });
    on_lambda(lapor_web::with_api(state, no_api))
}

/// The longest a request may take: under the functions' 10-second timeout
/// (infra/template.yaml, `Globals`), so that a request held up by a slow store (several SDK
/// calls, each within `lapor_aws::timeouts`) still answers 503 with `Retry-After`, not API
/// Gateway's bare error when the function is killed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(8);

/// The routes of `groups` as a function serves them: each request carries the address API
/// Gateway saw it come from (`sourceIp`), as the client's, and ends within
/// [`REQUEST_TIMEOUT`].
pub fn router(state: lapor_http::AppState, groups: &[RouteGroup]) -> axum::Router {
    on_lambda(lapor_http::router(state, groups))
}

/// A router as a function serves it: with the client's address from API Gateway, within
/// [`REQUEST_TIMEOUT`].
fn on_lambda(router: axum::Router) -> axum::Router {
    within(router, REQUEST_TIMEOUT).layer(axum::middleware::map_request(with_source_ip))
}

/// `router`, answering 503 to a request not answered within `limit`.
fn within(router: axum::Router, limit: Duration) -> axum::Router {
    router.layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| async move {
            match tokio::time::timeout(limit, next.run(request)).await {
                Ok(response) => response,
                Err(_) => {
                    tracing::error!(?limit, "a request took too long");
                    axum::response::IntoResponse::into_response(
                        lapor_http::problem::Problem::unavailable(),
                    )
                }
            }
        },
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt as _;

    #[tokio::test]
    async fn a_request_held_up_past_the_limit_answers_503() {
        let slow = axum::Router::new().route(
            "/",
            axum::routing::get(|| async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                "late"
            }),
        );
        let request = axum::extract::Request::new(axum::body::Body::empty());
        let limit = Duration::from_millis(50);
        let response = within(slow, limit).oneshot(request).await.unwrap();
        assert_eq!(response.status(), 503);
        assert!(response.headers().contains_key("retry-after"));
    }
}

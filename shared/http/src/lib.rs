//! The HTTP API of lapor (API.md), on axum. One route table, split in groups so that each
//! Lambda function serves its own part and `lapor-local` serves all of it; the OpenAPI document
//! (`GET /v1/openapi.json`, [`openapi`]) is made from the same table.

pub mod auth;
pub mod client;
pub mod cors;
pub mod cursor;
pub mod input;
mod location;
pub mod openapi;
pub mod problem;
pub mod request_head;
pub mod routes;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use lapor_app::App;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use auth::Tokens;
pub use routes::RouteGroup;

/// The largest request body accepted: a report body is at most 10,000 characters.
pub const BODY_LIMIT: usize = 256 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
    /// Signs and checks tokens and cursors.
    pub tokens: Arc<Tokens>,
    /// Where clients reach this API, for the blob URLs it serves itself; `None`: from each
    /// request's `Host` when that is a loopback address (see [`routes::attachments`]).
    pub public_url: Option<String>,
    /// The origins whose browsers may call the API ([`cors`]); none: no CORS headers at all.
    pub cors_origins: Vec<String>,
    /// The proxies whose `X-Forwarded-For` tells a client's address ([`client`]).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// The router serving the given route groups.
pub fn router(state: AppState, groups: &[RouteGroup]) -> Router {
    let mut router = Router::new();
    for group in groups {
        router = router.merge(routes::group(*group));
    }
    let cors = cors::layer(&state.cors_origins);
    let router = router
        .fallback(problem::not_found_route)
        .method_not_allowed_fallback(problem::method_not_allowed)
        .layer(axum::middleware::from_fn(request_head::within_limits))
        // Outside the limits, so that a preflight of an allowed origin is answered whatever it
        // asks, and a refusal of the limits still carries the origin's headers.
        .layer(tower::util::option_layer(cors))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        // No page of another site may frame an answer (clickjacking), and no link followed from
        // one tells where it came from (a report's URL names it).
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(axum::middleware::map_response(strict_transport_security))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            problem::panic_response,
        ))
        .layer(access_log());
    router.with_state(state)
}

/// How long a browser that reached the API over https keeps to https: a year.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Behind https (API Gateway always; `lapor-local` behind a proxy that terminates TLS), the
/// answer tells browsers to use nothing else: the proxy in front says so with
/// `X-Forwarded-Proto`. Over plain http a browser ignores the header (RFC 6797 §8.1), so a
/// client claiming https changes nothing.
pub async fn strict_transport_security(
    request_parts: axum::http::request::Parts,
    mut response: axum::response::Response,
) -> axum::response::Response {
    let https = request_parts
        .headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"));
    if https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// One line per request at INFO (method, path, status, latency), inside the span of the request;
/// on Lambda, inside the invocation's span too, so each line carries its request id.
fn access_log() -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>> {
    TraceLayer::new_for_http()
        .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
        .on_response(DefaultOnResponse::new().level(Level::INFO))
}

/// The router serving every route.
pub fn full_router(state: AppState) -> Router {
    router(state, &RouteGroup::ALL)
}

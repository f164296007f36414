//! Cross-origin access for the browser front ends an operator names, and no other site: a
//! script on any page could otherwise drive the API from a citizen's browser with the token it
//! holds. The same rules as the deployment template's `CorsConfiguration` (API Gateway answers
//! CORS itself on AWS, and ignores these headers from the functions).

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may keep a preflight's answer.
const MAX_AGE: Duration = Duration::from_secs(600);

/// CORS for `origins` (each such as `https://lapor.example.go.id`); `None` when none is named,
/// so that no answer carries CORS headers at all.
pub fn layer(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                HeaderName::from_static("idempotency-key"),
                header::IF_MATCH,
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(MAX_AGE),
    )
}

//! The headers of every page and asset: a strict Content-Security-Policy (only this origin's
//! scripts and styles, none inline; no frame, no other site), no sniffing, no caching of pages
//! (they show personal data), and HSTS behind https.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;

/// The Content-Security-Policy of every page: scripts, styles, images and the manifest from this
/// origin only; the script may send to this origin and to `upload_origin` (where upload URLs
/// point, S3 on AWS), nowhere else; forms post only here; no page may frame these.
pub(crate) fn content_security_policy(upload_origin: Option<&str>) -> HeaderValue {
    let connect = match upload_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_string(),
    };
    let policy = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src {connect}; manifest-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    // An origin is a URL's scheme, host and port: nothing a header cannot carry.
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
}

pub(crate) async fn secure(
    State(policy): State<HeaderValue>,
    request: axum::http::request::Parts,
    mut response: Response,
) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        // A report's address names it: no page tells it to where a link leads.
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    lapor_http::strict_transport_security(request, response).await
}

//! The headers of every page and asset: a strict Content-Security-Policy (only this origin's
//! scripts and styles, none inline; no frame, no other site), no sniffing, no caching of pages
//! (they show personal data), and HSTS behind https.

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// Scripts, styles, images and the manifest from this origin only; forms post only here; no
/// page may frame these.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; manifest-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

pub(crate) async fn secure(
    request: axum::http::request::Parts,
    mut response: Response,
) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
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

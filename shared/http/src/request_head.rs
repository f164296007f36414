//! Limits on a request's target and headers, answered as problems (414, 431) like every other
//! refusal. No client of the API needs more: the longest query is a search, the largest header
//! a token of a few hundred bytes.
//!
//! `lapor-local`'s HTTP server has limits of its own above these (a target of 64 KiB, a head of
//! about 400 KiB), where it answers with an empty body before any route sees the request; API
//! Gateway's are below them (10 KiB of headers), so on Lambda these never fire.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;

/// The longest request target (path and query) served, in bytes.
pub const MAX_TARGET: usize = 8 * 1024;
/// The most header bytes served (names, values, and 4 for each line's `: ` and CRLF).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The most header lines served.
pub const MAX_HEADERS: usize = 64;

/// Refuses a request whose target or headers are over the limits, before any route reads it.
pub async fn within_limits(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if target > MAX_TARGET {
        return target_too_long().into_response();
    }
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return headers_too_large().into_response();
    }
    next.run(request).await
}

/// 414: a path and query over [`MAX_TARGET`].
pub fn target_too_long() -> Problem {
    Problem::new(
        StatusCode::URI_TOO_LONG,
        "uri-too-long",
        "Request target too long",
        format!("the path and query must be at most {MAX_TARGET} bytes"),
    )
}

/// 431: more headers than [`MAX_HEADERS`], or more bytes of them than [`MAX_HEADER_BYTES`].
pub fn headers_too_large() -> Problem {
    Problem::new(
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "headers-too-large",
        "Request headers too large",
        format!("send at most {MAX_HEADERS} headers of at most {MAX_HEADER_BYTES} bytes in all"),
    )
}

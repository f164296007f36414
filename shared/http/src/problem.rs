//! Errors as RFC 9457 problem details (`application/problem+json`), field by field.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_app::AppError;
use lapor_domain::attachment::MAX_BYTES;
use lapor_domain::{FieldError, Violation};
use serde::Serialize;

/// Seconds a client waits before retrying a request the store could not serve.
pub const UNAVAILABLE_RETRY_AFTER: u64 = 5;

/// A problem the API answers with (RFC 9457), as `application/problem+json`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:lapor:problem:{slug}`.
    #[serde(rename = "type")]
    #[schema(example = "urn:lapor:problem:invalid-fields")]
    pub kind: String,
    /// A short summary of the kind.
    #[schema(example = "Invalid fields")]
    pub title: &'static str,
    /// The HTTP status.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong this time.
    #[schema(example = "title: must be at least 5 characters long")]
    pub detail: String,
    /// The invalid fields, each with what to change (422, and a 413 or 415 about an
    /// attachment's declared size or type).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip)]
    retry_after: Option<u64>,
}

impl Problem {
    /// A problem of a status with a slug naming its kind.
    pub fn new(
        status: StatusCode,
        slug: &str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind: format!("urn:lapor:problem:{slug}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 400: the request cannot be read.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Malformed request",
            detail,
        )
    }

    /// 401.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        )
    }

    /// 403: the caller may not do this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden", detail)
    }

    /// 409: the current state does not allow it.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
    }

    /// 413: a body over [`crate::BODY_LIMIT`].
    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "Request too large",
            format!("the body must be at most {} bytes", crate::BODY_LIMIT),
        )
    }

    /// 413: a file over the attachments' limit.
    pub fn file_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "File too large",
            format!("attachments are at most {MAX_BYTES} bytes (2 MiB)"),
        )
    }

    /// 415, with what to send instead.
    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            detail,
        )
    }

    /// 415: a body that is not JSON.
    pub fn not_json() -> Self {
        Self::unsupported_media_type("send the body as application/json")
    }

    /// The same problem, naming the fields at fault.
    pub fn with_errors(mut self, errors: impl IntoIterator<Item = FieldError>) -> Self {
        self.errors.extend(errors);
        self
    }

    /// 503: the store cannot be reached, is full or failed; nothing was changed. Clients retry
    /// after [`UNAVAILABLE_RETRY_AFTER`] seconds (an SDK's retries have already been spent).
    pub fn unavailable() -> Self {
        let mut problem = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
            "the service cannot store or read data right now; try again shortly",
        );
        problem.retry_after = Some(UNAVAILABLE_RETRY_AFTER);
        problem
    }

    /// 500: a bug.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "something went wrong on our side",
        )
    }

    /// 405: the path does not take that method.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            "this path does not accept that method",
        )
    }

    /// 404.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "no such resource",
        )
    }

    /// 422 with field errors.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        let mut p = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-fields",
            "Invalid fields",
            detail,
        );
        p.errors = errors;
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after;
        let mut response = (status, Json(self)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Rule(Violation::NotFound) => Self::not_found(),
            AppError::Rule(Violation::Forbidden(detail)) => Self::forbidden(detail),
            AppError::Rule(Violation::Conflict(detail)) => Self::conflict(detail),
            AppError::Rule(Violation::Invalid(errors)) => Self::invalid(errors),
            AppError::Unauthenticated => Self::unauthorized("sign in or send a valid token"),
            AppError::WrongCredentials => Self::new(
                StatusCode::UNAUTHORIZED,
                "wrong-credentials",
                "Wrong credentials",
                "the login, password or access code is wrong",
            ),
            AppError::Throttled { retry_after } => {
                let mut p = Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "throttled",
                    "Too many attempts",
                    format!("too many failed attempts; try again in {retry_after} seconds"),
                );
                p.retry_after = Some(retry_after);
                p
            }
            AppError::Busy { retry_after } => {
                let mut p = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "Busy",
                    format!("too many password checks at once; try again in {retry_after} seconds"),
                );
                p.retry_after = Some(retry_after);
                p
            }
            AppError::IdempotencyMismatch => {
                let mut p = Self::invalid(vec![FieldError::new(
                    "Idempotency-Key",
                    "was already used with a different request body",
                )]);
                p.detail = "this Idempotency-Key was already used with a different request".into();
                p
            }
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "storage unavailable");
                Self::unavailable()
            }
        }
    }
}

/// The answer to a path no route serves.
pub async fn not_found_route() -> Problem {
    Problem::not_found()
}

/// The answer to a method a route does not serve.
pub async fn method_not_allowed() -> Problem {
    Problem::method_not_allowed()
}

/// A panic becomes a plain 500 problem; the panic itself goes to the log, never to the client.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    Problem::internal().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unavailable_store_answers_503_with_retry_after() {
        let response = Problem::from(AppError::Unavailable("disk full".into())).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
    }

    #[test]
    fn a_busy_app_answers_503_with_retry_after() {
        let response = Problem::from(AppError::Busy { retry_after: 1 }).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
    }
}

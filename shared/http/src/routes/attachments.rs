//! `/v1/attachments`: upload URLs and downloads; and `/v1/blobs`, the upload and download URLs
//! this API serves itself when blobs are kept in a folder (the embedded backend).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_app::BlobRefusal;
use lapor_app::attachments::UploadRequest;
use lapor_domain::attachment::{self, ContentType, FileName, MAX_BYTES, SizeError};
use lapor_domain::{AttachmentId, FieldError};
use serde_json::Value;

use crate::AppState;
use crate::auth::Caller;
use crate::input::{Fields, JsonBody, PathSegment};
use crate::problem::Problem;

/// The largest body `PUT /v1/blobs/...` reads: the largest attachment.
pub const BLOB_BODY_LIMIT: usize = MAX_BYTES as usize;

/// `POST /v1/attachments`: 413 for a size over the limit, 415 for a type not accepted, 422 for
/// anything else invalid.
pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let mut f = Fields::new(&body.object);
    let filename = f.text("filename", true, FileName::parse);
    let mut unsupported = None;
    let content_type = f.text("content_type", true, |raw| {
        ContentType::parse(raw).inspect_err(|message| {
            unsupported = Some(FieldError::new("content_type", message));
        })
    });
    let mut too_large = None;
    let size = f.integer("size", true, |n| {
        let size = u64::try_from(n).map_err(|_| SizeError::Empty.message())?;
        attachment::check_size(size).map_err(|e| {
            if e == SizeError::TooLarge {
                too_large = Some(FieldError::new("size", e.message()));
            }
            e.message()
        })
    });
    let request = (|| {
        Some(UploadRequest {
            filename: filename?,
            content_type: content_type?,
            size: size?,
        })
    })();
    // A file too large (413) or of a type not accepted (415) is answered as such when nothing
    // else is wrong; with other errors, everything is a 422.
    let special = usize::from(too_large.is_some()) + usize::from(unsupported.is_some());
    if special > 0 && f.error_count() == special {
        let mut problem = if too_large.is_some() {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "File too large",
                format!("attachments are at most {MAX_BYTES} bytes (2 MiB)"),
            )
        } else {
            Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                "this type of file is not accepted",
            )
        };
        problem
            .errors
            .extend(too_large.into_iter().chain(unsupported));
        return Err(problem);
    }
    let request = f.finish(request)?;
    let mut ticket = state.app.request_upload(&actor, request).await?;
    ticket.upload.target.url = absolute(&state, &headers, ticket.upload.target.url);
    Ok((StatusCode::CREATED, Json(serde_json::json!(ticket))))
}

/// `GET /v1/attachments/{id}`: 302 to a short-lived download URL.
pub async fn download(
    State(state): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    PathSegment(raw): PathSegment,
) -> Result<Response, Problem> {
    let id = AttachmentId::parse(&raw).map_err(|_| Problem::not_found())?;
    let url = absolute(&state, &headers, state.app.download_url(&actor, &id).await?);
    let location = HeaderValue::from_str(&url)
        .map_err(|_| lapor_app::AppError::Unavailable("an unusable download URL".into()))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// Makes a URL this API serves itself (a path) absolute: on the configured public address, or
/// on the address the client used.
fn absolute(state: &AppState, headers: &HeaderMap, url: String) -> String {
    if !url.starts_with('/') {
        return url;
    }
    if let Some(base) = &state.public_url {
        return format!("{base}{url}");
    }
    match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => format!("http://{host}{url}"),
        None => url,
    }
}

/// `PUT /v1/blobs/{key}`: an upload to a URL this API signed.
pub async fn put_blob(
    State(state): State<AppState>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, Problem> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "File too large",
                format!("attachments are at most {MAX_BYTES} bytes (2 MiB)"),
            )
        } else {
            Problem::bad_request("the body could not be read")
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    state
        .app
        .receive_blob(&key, query.as_deref().unwrap_or(""), content_type, &body)
        .await
        .map_err(refusal)?;
    Ok(StatusCode::OK)
}

/// `GET /v1/blobs/{key}`: a download from a URL this API signed. The file is sent as an
/// attachment in a sandbox, so a browser never runs it in the API's origin.
pub async fn get_blob(
    State(state): State<AppState>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let blob = state
        .app
        .send_blob(&key, query.as_deref().unwrap_or(""))
        .await
        .map_err(refusal)?;
    let header_value = |v: &str| HeaderValue::from_str(v).map_err(|_| Problem::not_found());
    let mut response = blob.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, header_value(&blob.content_type)?);
    headers.insert(
        header::CONTENT_DISPOSITION,
        header_value(&blob.disposition)?,
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

fn refusal(refused: BlobRefusal) -> Problem {
    let detail = refused.to_string();
    match refused {
        BlobRefusal::Signature | BlobRefusal::Expired => {
            Problem::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden", detail)
        }
        BlobRefusal::Length { .. } => Problem::bad_request(detail),
        BlobRefusal::ContentType { .. } => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            detail,
        ),
        BlobRefusal::NotFound => Problem::not_found(),
        BlobRefusal::Unavailable(message) => lapor_app::AppError::Unavailable(message).into(),
    }
}

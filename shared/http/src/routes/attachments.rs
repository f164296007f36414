//! `/v1/attachments`: upload URLs and downloads; and `/v1/blobs`, the upload and download URLs
//! this API serves itself when blobs are kept in a folder (the embedded backend).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_app::BlobRefusal;
use lapor_app::attachments::{UploadRequest, UploadTicket};
use lapor_domain::attachment::{self, ContentType, FileName, MAX_BYTES, SizeError};
use lapor_domain::{AttachmentId, FieldError};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::input::{Fields, JsonBody, PathSegment};
use crate::openapi::{
    BadToken, BlobBadRequest, BlobForbidden, BlobTypeMismatch, FileTooLarge, FileTypeRefused,
    Invalid, MalformedBody, Misdirected, NotFound, ServerErrors, UploadTooLarge,
};
use crate::problem::Problem;

/// The largest body `PUT /v1/blobs/...` reads: the largest attachment.
pub const BLOB_BODY_LIMIT: usize = MAX_BYTES as usize;

/// `POST /v1/attachments`: the file to upload.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct UploadBody {
    filename: FileName,
    content_type: ContentType,
    /// Its exact size in bytes: the upload must be this long.
    #[schema(minimum = 1, maximum = 2097152, example = 20480)]
    size: u64,
}

/// Ask for an upload URL
///
/// Anyone may upload (signed in, with a report's access token, or neither: then the id, 128
/// random bits, is the proof the upload is theirs). The answer says where to `PUT` the bytes,
/// with which headers, for 15 minutes; a message then names the id in `attachment_ids`. A
/// `size` over 2 MiB answers 413 and a `content_type` not accepted 415 when nothing else is
/// wrong; with other errors, everything is a 422.
#[utoipa::path(
    post,
    path = "/v1/attachments",
    operation_id = "createUpload",
    tag = "Attachments",
    request_body(content = UploadBody, example = json!({
        "filename": "foto.png", "content_type": "image/png", "size": 20480
    })),
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "Where to upload the file.", body = UploadTicket),
        (status = 400, response = MalformedBody),
        (status = 401, response = BadToken),
        (status = 413, response = UploadTooLarge),
        (status = 415, response = FileTypeRefused),
        (status = 421, response = Misdirected),
        (status = 422, response = Invalid),
        ServerErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<(StatusCode, Json<UploadTicket>), Problem> {
    let request = read_upload(&body)?;
    let base = own_url_base(&state, &headers)?;
    let mut ticket = state.app.request_upload(&actor, request).await?;
    ticket.upload.target.url = absolute(base.as_deref(), ticket.upload.target.url);
    Ok((StatusCode::CREATED, Json(ticket)))
}

/// Reads and checks the body of `POST /v1/attachments`: everything but the store. A file too
/// large answers 413 and a type not accepted 415 when nothing else is wrong; with other errors,
/// everything is a 422. Public so that it can be fuzzed on its own.
pub fn read_upload(body: &JsonBody) -> Result<UploadRequest, Problem> {
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
        let problem = if too_large.is_some() {
            Problem::file_too_large()
        } else {
            Problem::unsupported_media_type("this type of file is not accepted")
        };
        return Err(problem.with_errors(too_large.into_iter().chain(unsupported)));
    }
    f.finish(request)
}

/// Download an attachment
///
/// For whoever may see the timeline entry the file came with (no token for a public report's
/// files, a user's token, or a report's access token): 302 to a URL valid 5 minutes, which
/// answers the file as an attachment (`Content-Disposition: attachment`). To anyone else, or for
/// an id never attached, 404.
#[utoipa::path(
    get,
    path = "/v1/attachments/{id}",
    operation_id = "downloadAttachment",
    tag = "Attachments",
    params(("id" = String, Path, description = "The attachment's id.",
        example = "01JDF5M00000000000000002R1")),
    security((), ("bearer" = [])),
    responses(
        (status = 302, description = "The file is at `Location` for 5 minutes.",
            headers(("Location" = String, description = "A short-lived download URL."))),
        (status = 401, response = BadToken),
        (status = 404, response = NotFound),
        (status = 421, response = Misdirected),
        ServerErrors,
    )
)]
pub async fn download(
    State(state): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    PathSegment(raw): PathSegment,
) -> Result<Response, Problem> {
    let id = AttachmentId::parse(&raw).map_err(|_| Problem::not_found())?;
    let base = own_url_base(&state, &headers)?;
    let url = absolute(base.as_deref(), state.app.download_url(&actor, &id).await?);
    let location = HeaderValue::from_str(&url)
        .map_err(|_| lapor_app::AppError::Unavailable("an unusable download URL".into()))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// Where the blob URLs this API serves itself are (`None` when the blob store hands out its
/// own): on the configured public address, else on the address the client used, if that is a
/// loopback one. Any other `Host` is refused (421) before anything is done: a page of another
/// site resolving its name to this machine (DNS rebinding), or a forged header behind a proxy,
/// would otherwise be handed links to itself carrying signed upload and download URLs.
fn own_url_base(state: &AppState, headers: &HeaderMap) -> Result<Option<String>, Problem> {
    if !state.app.serves_blobs() {
        return Ok(None);
    }
    if let Some(base) = &state.public_url {
        return Ok(Some(base.clone()));
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match host {
        Some(host) if is_loopback(host) => Ok(Some(format!("http://{host}"))),
        _ => Err(misdirected()),
    }
}

/// 421: a `Host` this server hands out no URLs on.
pub fn misdirected() -> Problem {
    Problem::new(
        StatusCode::MISDIRECTED_REQUEST,
        "misdirected",
        "Misdirected request",
        "this server answers for its loopback address only; its operator sets \
         LAPOR_PUBLIC_URL to serve others",
    )
}

/// Whether a `Host` names this machine: `localhost`, or a loopback IP, with any port.
fn is_loopback(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        // `[::1]:3000`, `127.0.0.1:3000`, `localhost:3000`; a bare `::1` is not a valid Host.
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A URL this API serves itself (a path) made absolute on `base`.
fn absolute(base: Option<&str>, url: String) -> String {
    match base {
        Some(base) if url.starts_with('/') => format!("{base}{url}"),
        _ => url,
    }
}

/// The signed query of a blob URL, as the URL was handed out.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "parameters: the blob store checks the raw query as signed"
)]
pub struct BlobQuery {
    /// Until when the URL works (Unix seconds).
    expires: u64,
    /// The length an upload must have (uploads only).
    length: Option<u64>,
    /// The file's type, which an upload must send as `Content-Type`.
    #[param(example = "image/png")]
    r#type: String,
    /// The `Content-Disposition` a download answers with (downloads only).
    disposition: Option<String>,
    /// The signature over the method, key and the other parameters.
    sig: String,
}

/// Upload a file to a signed URL (lapor-local only)
///
/// Served by `lapor-local` only, for the folder of its embedded backend: the `upload.url` of
/// `POST /v1/attachments`, with its `upload.headers` (on AWS that URL is S3's). The body must
/// be exactly the length and the type the URL was signed for.
#[utoipa::path(
    put,
    path = "/v1/blobs/{*key}",
    operation_id = "putBlob",
    tag = "Blobs (lapor-local only)",
    params(
        ("key" = String, Path, description = "Where the file goes, as in the URL handed out \
            (it contains `/`).", example = "attachments/pending/3f2a9c"),
        BlobQuery,
    ),
    request_body(description = "The file's bytes, of an accepted type.", content(
        ("image/jpeg"), ("image/png"), ("image/webp"), ("application/pdf"), ("video/mp4"),
    )),
    responses(
        (status = 200, description = "Stored."),
        (status = 400, response = BlobBadRequest),
        (status = 403, response = BlobForbidden),
        (status = 404, response = NotFound),
        (status = 413, response = FileTooLarge),
        (status = 415, response = BlobTypeMismatch),
        ServerErrors,
    )
)]
pub async fn put_blob(
    State(state): State<AppState>,
    PathSegment(key): PathSegment,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, Problem> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::file_too_large()
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

/// Download a file from a signed URL (lapor-local only)
///
/// Served by `lapor-local` only, for the folder of its embedded backend: where
/// `GET /v1/attachments/{id}` redirects (on AWS, to S3 instead). The file is sent as an
/// attachment in a sandbox (`Content-Security-Policy: default-src 'none'; sandbox`), so a
/// browser never runs it in the API's origin.
#[utoipa::path(
    get,
    path = "/v1/blobs/{*key}",
    operation_id = "getBlob",
    tag = "Blobs (lapor-local only)",
    params(
        ("key" = String, Path, description = "Where the file is, as in the URL handed out \
            (it contains `/`).", example = "attachments/kept/3f2a9c"),
        BlobQuery,
    ),
    responses(
        (status = 200, description = "The file.",
            content(("image/jpeg"), ("image/png"), ("image/webp"), ("application/pdf"),
                ("video/mp4")),
            headers(
                ("Content-Disposition" = String, description = "`attachment`, with its name."),
                ("Content-Security-Policy" = String, description = "`default-src 'none'; sandbox`."),
            )),
        (status = 403, response = BlobForbidden),
        (status = 404, response = NotFound),
        ServerErrors,
    )
)]
pub async fn get_blob(
    State(state): State<AppState>,
    PathSegment(key): PathSegment,
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

/// The answer to a refused upload or download.
pub fn refusal(refused: BlobRefusal) -> Problem {
    let detail = refused.to_string();
    match refused {
        BlobRefusal::Signature | BlobRefusal::Expired => Problem::forbidden(detail),
        BlobRefusal::Length { .. } => Problem::bad_request(detail),
        BlobRefusal::ContentType { .. } => Problem::unsupported_media_type(detail),
        BlobRefusal::NotFound => Problem::not_found(),
        BlobRefusal::Unavailable(message) => lapor_app::AppError::Unavailable(message).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_are_this_machine() {
        for host in [
            "localhost",
            "LOCALHOST:3000",
            "127.0.0.1",
            "127.0.0.2:80",
            "[::1]:3000",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "lapor.go.id",
            "localhost.evil.id",
            "10.0.0.1:3000",
            "[::2]",
            "::1",
            "",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}

//! The OpenAPI 3.1 document of the API, served at `GET /v1/openapi.json`.
//!
//! It is made from the route table, not written beside it: the table of [`crate::routes`] lists
//! each handler once, the router serves it at the path and methods of its `#[utoipa::path]`, and
//! the document takes its operation from the same attribute (utoipa-axum's `routes!`), so a route
//! cannot be served without being documented, nor documented without being served. The bodies' schemas come from
//! the serde types they are (the domain's and the app's, with their `openapi` feature) or, for
//! the request bodies read field by field, from schema types beside each handler, built on the
//! domain's parsed types so their bounds are the parsers'. Here: what the operations share (the
//! problem answers, the list parameters, the bearer scheme) and the assembly of the parts.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use lapor_app::{AppError, BlobRefusal};
use lapor_domain::FieldError;
use lapor_domain::attachment::SizeError;
use lapor_domain::fields::{ReportBody, Title};
use serde_json::{Value, json};
use utoipa::openapi::content::{Content, ContentBuilder};
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::info::{InfoBuilder, LicenseBuilder};
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{Components, OpenApi, OpenApiBuilder, Ref, RefOr, Required};
use utoipa::{IntoParams, IntoResponses, PartialSchema, ToResponse, ToSchema};

use crate::RouteGroup;
use crate::problem::Problem;
use crate::routes;

/// The security scheme of every token: `Authorization: Bearer <JWT>`.
pub const BEARER: &str = "bearer";

/// The media type of every error.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The extension naming the Lambda function that serves an operation on AWS.
pub const X_FUNCTION: &str = "x-lapor-function";

/// The extension marking an operation only `lapor-local` serves (the embedded backend's blobs).
pub const X_LOCAL_ONLY: &str = "x-lapor-local-only";

/// The tag of the operations only `lapor-local` serves.
pub const LOCAL_ONLY_TAG: &str = "Blobs (lapor-local only)";

/// The document as served: built once, on first use.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    // Serialising a document of our own making cannot fail.
    document()
        .to_json()
        .expect("the OpenAPI document serialises")
});

/// The OpenAPI document
///
/// This document: every `/v1` operation of `lapor-local`, each with the Lambda function that
/// serves it on AWS (`x-lapor-function`). `/health` and the pages outside `/v1` are not in it.
#[utoipa::path(
    get,
    path = "/v1/openapi.json",
    operation_id = "openApiDocument",
    tag = "Document",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document.", body = Object,
            content_type = "application/json"),
        (status = 500, response = Internal),
    )
)]
pub async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

/// The document of every route group, as `lapor-local` serves them all.
pub fn document() -> OpenApi {
    let mut api = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("lapor API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(DESCRIPTION))
                .license(Some(
                    LicenseBuilder::new()
                        .name("Apache-2.0")
                        .identifier(Some("Apache-2.0"))
                        .build(),
                ))
                .build(),
        )
        .tags(Some(TAGS.iter().map(|(name, description)| {
            TagBuilder::new()
                .name(*name)
                .description(Some(*description))
                .build()
        })))
        .components(Some(components()))
        .build();
    for group in RouteGroup::ALL {
        let mut part = routes::documented(group);
        for item in part.paths.paths.values_mut() {
            for operation in operations_mut(item) {
                mark(operation, group);
                optional_body(operation);
                empty_query_values(operation);
                head_limits(operation);
            }
        }
        api.merge(part);
    }
    let paths = std::mem::take(&mut api.paths.paths);
    api.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (openapi_path(&path), item))
        .collect();
    api
}

/// A route's path as OpenAPI writes it: axum's wildcard `{*key}` is the parameter `{key}`.
pub fn openapi_path(axum_path: &str) -> String {
    axum_path.replace("{*", "{")
}

/// Every operation of a path item.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
        &mut item.head,
        &mut item.options,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// Says where an operation is served: by its group's Lambda function, or by `lapor-local` only.
fn mark(operation: &mut Operation, group: RouteGroup) {
    let extensions = operation.extensions.get_or_insert_with(Default::default);
    match group.function() {
        Some(function) => extensions.insert(X_FUNCTION.into(), json!(function)),
        None => extensions.insert(X_LOCAL_ONLY.into(), json!(true)),
    };
}

/// A query parameter sent empty (`?status=`, as a form's "any" choice sends it) is read as left
/// out (`input::QueryMap::get`): OpenAPI's `allowEmptyValue`, which utoipa has no field for, so it
/// goes in beside the parameter's other keywords.
fn empty_query_values(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(parameter) = parameter
            && parameter.parameter_in == ParameterIn::Query
        {
            parameter
                .extensions
                .get_or_insert_with(Default::default)
                .insert("allowEmptyValue".into(), json!(true));
        }
    }
}

/// Every request's target and headers are held to [`crate::request_head`]'s limits, before any
/// route: every operation may answer 414 and 431.
fn head_limits(operation: &mut Operation) {
    operation.responses.responses.extend(refs(&[
        (414, TargetTooLong::response().0),
        (431, HeadersTooLarge::response().0),
    ]));
}

/// A body an operation may go without (`Option<T>` in its `request_body`) is still a JSON
/// object when sent, never `null` (which the handlers refuse with 400): its schema is `T`'s
/// alone, the body not `required`.
fn optional_body(operation: &mut Operation) {
    let Some(RefOr::T(body)) = &mut operation.request_body else {
        return;
    };
    if body.required == Some(Required::True) {
        return;
    }
    for content in body.content.values_mut() {
        let RefOr::T(Content {
            schema: Some(schema),
            ..
        }) = content
        else {
            continue;
        };
        if let RefOr::T(Schema::OneOf(one_of)) = schema {
            let is_null = |s: &RefOr<Schema>| matches!(s, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null));
            if let [only] = one_of
                .items
                .iter()
                .filter(|s| !is_null(s))
                .collect::<Vec<_>>()
                .as_slice()
            {
                *schema = (*only).clone();
            }
        }
    }
}

const DESCRIPTION: &str = "\
The HTTP API of lapor, an open-source rebuild of SP4N-LAPOR!, Indonesia's public-service \
complaint system. JSON in and out, UTF-8; times in RFC 3339 with an offset, dates `YYYY-MM-DD`.

- **Tokens**: `Authorization: Bearer <token>`, issued by this API: a user's from \
`POST /v1/auth/login`, or a report's access token from `POST /v1/reports/{tracking_id}/access` \
(acting as that report's reporter). A missing or bad token where one is needed: 401; a valid one \
without the right: 403, or 404 for a report the caller may not see at all.
- **Errors** are `application/problem+json` (RFC 9457): `{type, title, status, detail, errors?}`, \
`errors` listing each invalid field with what to change. Never a 500 for bad input.
- **Lists** take `limit` (default 20, at most 100) and the opaque `cursor` of the previous page, \
and answer `{items, next_cursor}`.
- **Retries**: `Idempotency-Key` on `POST /v1/reports` answers a retry within 24 hours as the \
first time; actions take `If-Match: <version>` to refuse a change to a report that moved on since \
it was read (409); without it, follow-ups, comments and replies sent at once all land.
- Wrong passwords and access codes are throttled (429 with `Retry-After`); a busy or unreachable \
store answers 503.
- Every answer carries `Cache-Control: no-store`, `X-Content-Type-Options: nosniff`, \
`Referrer-Policy: no-referrer` and `Content-Security-Policy: frame-ancestors 'none'`; behind https, \
`Strict-Transport-Security`. A body declared over its limit is refused (413) before it is read.

Each operation names the Lambda function serving it on AWS (`x-lapor-function`); `lapor-local` \
serves them all, and the blob URLs of its embedded backend besides (`x-lapor-local-only`).";

/// The tags, in the order a reader meets them.
const TAGS: [(&str, &str); 11] = [
    (
        "Reports",
        "Submitting a report, opening it with its access code, reading it, the public feed.",
    ),
    (
        "Actions",
        "Everything done to a report; each answers with the report as the caller now sees it.",
    ),
    ("Work list", "The agency's inbox."),
    (
        "Agencies",
        "The tree of agencies and their public profiles.",
    ),
    (
        "Categories",
        "The tree of categories reports are filed under.",
    ),
    (
        "Regions",
        "Indonesia's official regions (Kemendagri codes), for `location.codes`.",
    ),
    (
        "Accounts",
        "Registration, sign-in, staff accounts and the caller.",
    ),
    (
        "Attachments",
        "Upload URLs, and downloads for whoever sees the entry a file came with.",
    ),
    ("Notifications", "What the caller was told, and read marks."),
    (
        LOCAL_ONLY_TAG,
        "The upload and download URLs of the embedded backend's folder, served by `lapor-local` \
         only: on AWS, attachment URLs point at S3.",
    ),
    ("Document", "This document."),
];

/// The shared parts: the bearer scheme, the problem answers and the problem schema.
fn components() -> Components {
    let mut components = Components::new();
    components.security_schemes.insert(
        BEARER.into(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "A JWT (HS256) from `POST /v1/auth/login` (a user, 8 hours) or \
                     `POST /v1/reports/{tracking_id}/access` (a report's access token, 24 hours).",
                ))
                .build(),
        )
        .into(),
    );
    for (name, response) in problem_responses() {
        components.responses.insert(name.into(), response);
    }
    let mut schemas = vec![(Problem::name().into_owned(), Problem::schema())];
    Problem::schemas(&mut schemas);
    components.schemas.extend(schemas);
    components
}

/// A problem answer: `application/problem+json` with the Problem schema, examples made by the
/// constructors the handlers use, and its headers.
fn problem_response(
    description: &str,
    examples: Vec<(&str, Problem)>,
    headers: &[(&str, &str, Type)],
) -> Response {
    let description = description
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(Problem::name())))
        .examples_from_iter(examples.into_iter().map(|(name, problem)| {
            (
                name,
                ExampleBuilder::new()
                    .summary(problem.detail.clone())
                    .value(serde_json::to_value(&problem).ok())
                    .build(),
            )
        }))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description.trim())
        .content(PROBLEM_JSON, content);
    for (name, meaning, kind) in headers {
        response = response.header(
            *name,
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(kind.clone())))
                .description(Some(*meaning))
                .build(),
        );
    }
    response.build()
}

const RETRY_AFTER: (&str, &str, Type) = ("Retry-After", "Seconds to wait.", Type::Integer);
const WWW_AUTHENTICATE: (&str, &str, Type) = ("WWW-Authenticate", "`Bearer`.", Type::String);

/// Declares the reusable problem answers: each a type for `response = ...` in an operation, its
/// doc comment the answer's description, with its examples and headers.
macro_rules! problem_responses {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident: [$($example:literal => $problem:expr),+ $(,)?] $([$($header:expr),+])?;
    )+) => {
        $(
            $(#[doc = $doc])+
            pub struct $name;

            impl<'r> ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<Response>) {
                    let examples = vec![$(($example, $problem)),+];
                    let headers = [$($($header),+)?];
                    (
                        stringify!($name),
                        problem_response(concat!($($doc, "\n"),+), examples, &headers).into(),
                    )
                }
            }
        )+

        /// Every reusable problem answer, for the document's components.
        fn problem_responses() -> Vec<(&'static str, RefOr<Response>)> {
            vec![$($name::response()),+]
        }
    };
}

problem_responses! {
    /// Malformed request: the body is not valid JSON, is not a JSON object, or could not be
    /// read.
    MalformedBody: ["not-an-object" => Problem::bad_request("the body must be a JSON object")];
    /// Malformed request: the `cursor` is not one this list issued (to this caller, with these
    /// filters); start again without it.
    BadCursor: ["cursor" => crate::cursor::invalid()];
    /// Malformed upload: the body is not the length the URL was signed for, or could not be
    /// read.
    BlobBadRequest: [
        "length" => crate::routes::blob_refusal(BlobRefusal::Length { expected: 2048, got: 12 })
    ];
    /// A token was sent but is not `Bearer <token>`, not one of this API's, or expired. Without
    /// a token the request is served as the public.
    BadToken: [
        "expired" => Problem::unauthorized(crate::auth::BAD_TOKEN),
        "not-bearer" => Problem::unauthorized(crate::auth::NOT_BEARER),
    ] [WWW_AUTHENTICATE];
    /// A token is needed (a user's, or where the operation says so a report's access token), and
    /// none was sent, or it is not one of this API's, or has expired.
    TokenRequired: [
        "no-token" => Problem::unauthorized(crate::auth::NO_TOKEN),
        "expired" => Problem::unauthorized(crate::auth::BAD_TOKEN),
    ] [WWW_AUTHENTICATE];
    /// The login and password, or the access code, are wrong.
    WrongCredentials: ["wrong" => Problem::from(AppError::WrongCredentials)] [WWW_AUTHENTICATE];
    /// The caller may see it, but may not do this.
    Forbidden: ["forbidden" => Problem::forbidden("only admins create accounts")];
    /// The URL's signature does not match it, or the URL has expired.
    BlobForbidden: [
        "signature" => crate::routes::blob_refusal(BlobRefusal::Signature),
        "expired" => crate::routes::blob_refusal(BlobRefusal::Expired),
    ];
    /// No such resource, or one the caller may not see: a confidential report is answered
    /// exactly as a missing one.
    NotFound: ["not-found" => Problem::not_found()];
    /// The current state does not allow it: the report's status forbids this action, it changed
    /// since the `If-Match` version, or the resource is taken or being changed by others.
    Conflict: [
        "status" => Problem::conflict("the report is not in a status that allows this"),
    ];
    /// The body is larger than 256 KiB.
    TooLarge: ["body" => Problem::too_large()];
    /// The file is larger than an attachment may be (2 MiB).
    FileTooLarge: ["file" => Problem::file_too_large()];
    /// The body is larger than 256 KiB, or (when nothing else is wrong) the declared `size` is
    /// over 2 MiB: then `errors` names `size`.
    UploadTooLarge: [
        "size" => Problem::file_too_large()
            .with_errors([FieldError::new("size", SizeError::TooLarge.message())]),
        "body" => Problem::too_large(),
    ];
    /// A body was sent with a `Content-Type` other than `application/json` (or `…+json`).
    NotJson: ["not-json" => Problem::not_json()];
    /// A body was sent as something else than JSON, or (when nothing else is wrong) the
    /// `content_type` is not an accepted type of file: then `errors` names `content_type`.
    FileTypeRefused: [
        "content-type" => Problem::unsupported_media_type("this type of file is not accepted")
            .with_errors([FieldError::new(
                "content_type",
                lapor_domain::attachment::ContentType::parse("text/html")
                    .err()
                    .unwrap_or_default(),
            )]),
        "not-json" => Problem::not_json(),
    ];
    /// The `Content-Type` is not the one the URL was signed for.
    BlobTypeMismatch: [
        "content-type" => crate::routes::blob_refusal(BlobRefusal::ContentType {
            expected: "image/png".into(),
        })
    ];
    /// Invalid fields, parameters or headers: `errors` lists each, with what to change.
    Invalid: [
        "fields" => Problem::invalid(vec![
            FieldError::new("title", Title::parse("Jln").err().unwrap_or_default()),
            FieldError::new("body", ReportBody::parse("").err().unwrap_or_default()),
            FieldError::new("location.province", "is required"),
        ]),
    ];
    /// Too many wrong attempts (passwords, access codes) in a short time; try again after
    /// `Retry-After` seconds.
    Throttled: ["throttled" => Problem::from(AppError::Throttled { retry_after: 840 })] [
        RETRY_AFTER
    ];
    /// The path and query are longer than 8 KiB.
    TargetTooLong: ["target" => crate::request_head::target_too_long()];
    /// More than 64 headers, or more than 32 KiB of them.
    HeadersTooLarge: ["headers" => crate::request_head::headers_too_large()];
    /// The request names a host this server does not serve signed URLs for: without a
    /// configured public address, `lapor-local` answers for its loopback address only.
    Misdirected: ["host" => crate::routes::misdirected()];
    /// Something went wrong on the server's side (a bug); the request may be retried.
    Internal: ["internal" => Problem::internal()];
    /// The store cannot be reached or is full right now, or too many password checks run at
    /// once; try again after `Retry-After` seconds. Nothing was changed.
    Unavailable: [
        "unavailable" => Problem::unavailable(),
        "busy" => Problem::from(AppError::Busy { retry_after: 1 }),
    ] [RETRY_AFTER];
}

/// References to reusable answers, by status.
fn refs(answers: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    answers
        .iter()
        .map(|(status, name)| (status.to_string(), Ref::from_response_name(*name).into()))
        .collect()
}

/// What reading a JSON body may answer: 400, 413, 415, 422.
pub struct BodyErrors;

impl IntoResponses for BodyErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        refs(&[
            (400, MalformedBody::response().0),
            (413, TooLarge::response().0),
            (415, NotJson::response().0),
            (422, Invalid::response().0),
        ])
    }
}

/// What every action on a report may answer beside its success: a body's errors, 401 (a token
/// is needed), 403, 404, 409.
pub struct ActionErrors;

impl IntoResponses for ActionErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut responses = BodyErrors::responses();
        responses.extend(refs(&[
            (401, TokenRequired::response().0),
            (403, Forbidden::response().0),
            (404, NotFound::response().0),
            (409, Conflict::response().0),
        ]));
        responses
    }
}

/// What a list may answer beside its page: 400 (a cursor it did not issue), 422 (`limit`, a
/// filter).
pub struct ListErrors;

impl IntoResponses for ListErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        refs(&[(400, BadCursor::response().0), (422, Invalid::response().0)])
    }
}

/// What every operation that reads or writes the store may answer: 500 (a bug), 503.
pub struct ServerErrors;

impl IntoResponses for ServerErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        refs(&[
            (500, Internal::response().0),
            (503, Unavailable::response().0),
        ])
    }
}

/// A page of a list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items, 1 or more: 20 by default; more than 100 is read as 100.
    #[param(minimum = 1, default = 20, example = 20)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page; the first page without it.
    pub cursor: Option<String>,
}

/// A search of agencies by name.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgencySearch {
    /// Words the name holds, in any letter case (`dinas bina marga`): the matches by name, at
    /// most `limit`, on one page (no `next_cursor`).
    #[param(example = "bina marga")]
    pub q: Option<String>,
}

/// A report named in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReportPath {
    /// The report's tracking id (`12345678`; `%2312345678` for `#12345678`) or internal id.
    #[param(example = "12345678")]
    pub tracking_id: String,
}

/// An agency named in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AgencyPath {
    /// The agency's id.
    #[param(example = "01JDF5M00000000000000002R1")]
    pub id: String,
}

/// A category named in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CategoryPath {
    /// The category's code.
    #[param(example = "kemaritiman")]
    pub code: String,
}

/// A region named in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RegionPath {
    /// The region's code (Kemendagri).
    #[param(example = "32.73")]
    pub code: String,
}

/// An account named in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UserPath {
    /// The account's id.
    #[param(example = "01JDF5M00000000000000002R1")]
    pub id: String,
}

/// The version an action expects the report to be at.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatch {
    /// The report's `version` as last read (`3` or `"3"`): if it changed since, the action is
    /// refused with 409 and changes nothing. Without it the action applies to the report as it
    /// is: a follow-up, comment or reply that meets another change on its way is taken again on
    /// the changed report (colleagues writing at once all land); any other action that meets
    /// one is refused with 409.
    #[param(
        rename = "If-Match",
        required = false,
        pattern = r#"^(W/)?"?[0-9]+"?$"#,
        example = "3"
    )]
    pub if_match: String,
}

/// A JSON value of no fixed shape, for this document itself.
pub type Object = Value;

/// The schema of a list of ids of something, for bodies naming several.
pub fn ulid_list(max: usize, doc: &str) -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(lapor_domain::schema::ulid(doc))
        .max_items(Some(max))
        .build()
}

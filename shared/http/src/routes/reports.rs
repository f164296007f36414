//! `/v1/reports`: submission, reading, the public feed, access codes and completion.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use lapor_app::attachments::caller_key;
use lapor_app::index::search_words;
use lapor_app::ports::{Cursor, FeedQuery, ReportKey};
use lapor_app::reports::{Idempotency, Submitted};
use lapor_app::secrets::sha256_hex;
use lapor_domain::actions::Command;
use lapor_domain::attachment::MAX_PER_MESSAGE;
use lapor_domain::fields::*;
use lapor_domain::report::{Channel, Submission};
use lapor_domain::view::{ReportSummary, ReportView};
use lapor_domain::{AgencyId, AttachmentId, FieldError, ReportId, Status, TrackingId};
use serde::Serialize;
use serde_json::json;
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::{Caller, SignedInCaller};
use crate::client::ClientAddress;
use crate::cursor;
use crate::input::{Fields, JsonBody, PathSegment, QueryMap};
use crate::openapi::{
    ActionErrors, BadToken, BodyErrors, Conflict, ListErrors, NotFound, PageParams, ReportPath,
    ServerErrors, Throttled, WrongCredentials,
};
use crate::problem::Problem;

/// The fields of a report, as `POST /v1/reports` and `PUT /v1/reports/{tracking_id}` read them
/// (`read_submission`).
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handlers read the body field by field"
)]
pub struct SubmissionBody {
    classification: Classification,
    /// Judul.
    title: Title,
    /// Isi: what happened, in order.
    body: ReportBody,
    /// The topic, such as `infrastruktur.jalan`.
    category: Category,
    incident_date: IncidentDate,
    location: Location,
    /// The agency the reporter addresses (instansi tujuan), which then verifies it itself.
    target_agency_id: Option<AgencyId>,
    /// Hide the reporter's identity from agencies and the public.
    anonymous: bool,
    /// Show the report only to its reporter, the national admins and the agencies it reaches.
    confidential: bool,
    /// How to reach a reporter without an account.
    contact: Option<Contact>,
    /// Uploads (`POST /v1/attachments`) that go with it, each one checked: stored, of the
    /// declared size and type, the caller's, not attached elsewhere.
    #[schema(schema_with = attachment_ids)]
    attachment_ids: Option<Vec<AttachmentId>>,
}

/// The schema of `attachment_ids`: at most [`MAX_PER_MESSAGE`].
pub fn attachment_ids() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{SchemaType, Type};
    let mut ids = crate::openapi::ulid_list(MAX_PER_MESSAGE, "An upload's id.");
    // Optional: `null` reads as left out, as for every optional field.
    ids.schema_type = SchemaType::from_iter([Type::Array, Type::Null]);
    ids
}

/// A submission's example, as the README's walk sends it.
fn submission_example() -> serde_json::Value {
    json!({
        "classification": "complaint",
        "title": "Jalan berlubang di depan pasar",
        "body": "Jalan di depan Pasar Baru berlubang besar sejak sebulan dan membahayakan pengendara.",
        "category": "infrastruktur",
        "incident_date": "2025-01-02",
        "location": {"province": "Jawa Barat", "regency": "Kota Bandung", "lat": -6.9175, "lon": 107.6191},
        "anonymous": true,
        "confidential": false,
        "contact": {"email": "warga@contoh.id"}
    })
}

/// The key of an `Idempotency-Key` header: 1 to 255 printable ASCII characters, those of the
/// structured-field string (RFC 8941) the header is drafted as. HTTP lets a header value hold
/// tabs and bytes beyond ASCII too; neither is taken, as a tab makes two keys that look alike
/// differ, and a control character has no place in a key a person may have to read back.
fn idempotency_key(value: &[u8]) -> Option<&str> {
    let printable = value.iter().all(|b| (b' '..=b'~').contains(b));
    let key = std::str::from_utf8(value).ok()?;
    (printable && (1..=255).contains(&key.len())).then_some(key)
}

/// A submission's `Idempotency-Key`.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[expect(dead_code, reason = "a parameter: the handler reads the header itself")]
pub struct IdempotencyKey {
    /// A key of the caller's choosing, 1 to 255 printable ASCII characters (no tabs or other
    /// control characters): a retry with the same key and body within 24 hours answers as the
    /// first time and creates nothing new; the same key with another body is refused (422).
    #[param(
        rename = "Idempotency-Key",
        required = false,
        min_length = 1,
        max_length = 255,
        pattern = "^[\\x20-\\x7E]{1,255}$",
        example = "7f1c2d"
    )]
    key: String,
}

/// `{access_code}`: the code a reporter without an account received.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct AccessBody {
    /// The code shown once when the report was submitted (case and dashes do not matter).
    #[schema(min_length = 1, max_length = 64, example = "K7QX-93MF-TR2A-P4ZD")]
    access_code: String,
}

/// A report's access token.
#[derive(Serialize, ToSchema)]
pub struct AccessGranted {
    /// A token acting as the report's reporter, for this report only.
    access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    token_type: &'static str,
    /// Seconds until it expires.
    #[schema(example = 86400)]
    expires_in: i64,
    /// The report's internal id.
    report_id: ReportId,
}

/// A page of the public feed.
#[derive(Serialize, ToSchema)]
pub struct FeedPage {
    /// Published, non-confidential reports, newest change first.
    items: Vec<ReportSummary>,
    /// The cursor of the next page; `null` on the last.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// The feed's filters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "parameters: the handler reads the query string name by name"
)]
pub struct FeedParams {
    #[param(schema_with = published_status)]
    status: Option<String>,
    /// Only reports of this category, exactly.
    category: Option<String>,
    /// Only reports held by this agency.
    #[param(inline)]
    agency_id: Option<AgencyId>,
    /// Words that must all appear in the title or body.
    #[param(example = "jalan berlubang")]
    q: Option<String>,
}

/// The statuses the feed shows.
fn published_status() -> utoipa::openapi::schema::Object {
    let published: Vec<&str> = Status::ALL
        .into_iter()
        .filter(|s| s.is_published())
        .map(Status::as_str)
        .collect();
    let description = format!("Only reports in this status: {}.", published.join(", "));
    lapor_domain::schema::words(&published, &description)
}

/// A report named in a path: its tracking id (`12345678`, `#12345678`) or internal id.
pub fn report_key(raw: &str) -> Result<ReportKey, Problem> {
    TrackingId::parse(raw)
        .map(ReportKey::Tracking)
        .or_else(|_| ReportId::parse(raw).map(ReportKey::Id))
        .map_err(|_| Problem::not_found())
}

/// Reads the attachment ids of a submission, follow-up or reply; the app checks the uploads.
pub fn read_attachments(f: &mut Fields) -> Vec<AttachmentId> {
    f.list("attachment_ids", MAX_PER_MESSAGE, AttachmentId::parse)
}

/// What a submission's body says, read field by field ([`read_submission_fields`]).
#[derive(Debug)]
pub struct SubmissionFields {
    /// The submission, when every field of it is valid; without its target agency, which only
    /// the store can name.
    pub submission: Option<Submission>,
    /// The agency the reporter addresses, to be looked up.
    pub target_agency_id: Option<AgencyId>,
    /// The uploads that go with it, to be checked by the app.
    pub attachment_ids: Vec<AttachmentId>,
}

/// Reads the fields of a submission into `f` (which collects every error), with `today` the
/// latest incident date allowed: everything `POST /v1/reports` and `PUT /v1/reports/{id}` check
/// without the store. Public so that it can be fuzzed on its own.
pub fn read_submission_fields(f: &mut Fields, today: Date) -> SubmissionFields {
    let classification = f.text("classification", true, Classification::parse);
    let title = f.text("title", true, Title::parse);
    let report_body = f.text("body", true, ReportBody::parse);
    let category = f.text("category", true, Category::parse);
    let incident_date = f.text("incident_date", true, |raw| IncidentDate::parse(raw, today));
    let location = f.object("location", true, crate::location::read_location);
    let target_agency_id = f.text("target_agency_id", false, AgencyId::parse);
    let anonymous = f.boolean("anonymous", None);
    let confidential = f.boolean("confidential", None);
    let contact = f
        .object("contact", false, |c| {
            Some(Contact {
                name: c.text("name", false, PersonName::parse),
                email: c.text("email", false, Email::parse),
                phone: c.text("phone", false, Phone::parse),
            })
        })
        .unwrap_or_default();
    let attachment_ids = read_attachments(f);
    let submission = (|| {
        Some(Submission {
            classification: classification?,
            title: title?,
            body: report_body?,
            category: category?,
            incident_date: incident_date?,
            location: location?,
            target: None,
            anonymous: anonymous?,
            confidential: confidential?,
            contact,
            attachments: Vec::new(),
        })
    })();
    SubmissionFields {
        submission,
        target_agency_id,
        attachment_ids,
    }
}

/// Reads the submission fields of `POST /v1/reports` and `PUT /v1/reports/{id}`, and the
/// attachment ids that go with them.
async fn read_submission(
    state: &AppState,
    body: &JsonBody,
) -> Result<(Submission, Vec<AttachmentId>), Problem> {
    read_submission_object(state, &body.object).await
}

/// Reads a submission's fields from the object of a body (the API's JSON, or a web form's
/// fields put in its shape), with its target agency looked up.
pub async fn read_submission_object(
    state: &AppState,
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<(Submission, Vec<AttachmentId>), Problem> {
    let today = lapor_domain::Zone::Wit.date_of(state.app.clock.now());
    let mut f = Fields::new(object);
    let SubmissionFields {
        mut submission,
        target_agency_id,
        attachment_ids,
    } = read_submission_fields(&mut f, today);
    if let Some(id) = &target_agency_id {
        match state.app.agency_ref(id, "target_agency_id").await {
            Ok(agency) => {
                if let Some(submission) = &mut submission {
                    submission.target = Some(agency);
                }
            }
            Err(_) => f.error("target_agency_id", "no agency has this id"),
        }
    }
    f.finish(submission).map(|s| (s, attachment_ids))
}

/// Submit a report
///
/// Anyone may report, signed in or not. Without an account (no token, or a report's access
/// token), the answer holds the report's `access_code`, a secret shown once: with it,
/// `POST /v1/reports/{tracking_id}/access` gives a token to follow the report. Sent by staff, the
/// report comes in by the `manual` channel. A retry with the same `Idempotency-Key` and body
/// within 24 hours answers as the first time and creates nothing (409 while that first request
/// is still answered elsewhere).
#[utoipa::path(
    post,
    path = "/v1/reports",
    operation_id = "submitReport",
    tag = "Reports",
    params(IdempotencyKey),
    request_body(content = SubmissionBody, example = submission_example),
    security((), ("bearer" = [])),
    responses(
        (status = 201, description = "Submitted.", body = Submitted),
        (status = 401, response = BadToken),
        (status = 409, response = Conflict),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<(StatusCode, Json<Submitted>), Problem> {
    let idempotency = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = idempotency_key(value.as_bytes()).ok_or_else(|| {
                Problem::invalid(vec![FieldError::new(
                    "Idempotency-Key",
                    "must be 1 to 255 printable ASCII characters (letters, digits, \
                     punctuation, spaces), without tabs or other control characters",
                )])
            })?;
            Some(Idempotency {
                caller: caller_key(&actor),
                key: state.tokens.idempotency_secret(key),
                request_hash: sha256_hex(&body.raw),
            })
        }
    };
    let (submission, attachment_ids) = read_submission(&state, &body).await?;
    let channel = if actor.is_staff() {
        Channel::Manual
    } else {
        Channel::Web
    };
    let submitted = state
        .app
        .submit(&actor, submission, &attachment_ids, channel, idempotency)
        .await?;
    Ok((StatusCode::CREATED, Json(submitted)))
}

/// Open a report with its access code
///
/// Exchanges the `access_code` a reporter without an account received for a token acting as
/// that report's reporter. A wrong code, or an unknown tracking id, answers 401; repeated wrong
/// codes for one report are throttled (429). No token is read.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/access",
    operation_id = "openReport",
    tag = "Reports",
    params(ReportPath),
    request_body(content = AccessBody, example = json!({"access_code": "K7QX-93MF-TR2A-P4ZD"})),
    responses(
        (status = 200, description = "A token for this report.", body = AccessGranted),
        (status = 401, response = WrongCredentials),
        (status = 429, response = Throttled),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn access(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    PathSegment(tracking): PathSegment,
    body: JsonBody,
) -> Result<Json<AccessGranted>, Problem> {
    let mut f = Fields::new(&body.object);
    let code = f.text("access_code", true, |raw| {
        if (1..=64).contains(&raw.len()) {
            Ok(raw.to_string())
        } else {
            Err("must be the code you received when you submitted".to_string())
        }
    });
    let code = f.finish(code)?;
    // An unknown or malformed tracking id answers exactly as a wrong code does.
    let tracking = TrackingId::parse(&tracking).unwrap_or_else(|_| TrackingId::from_number(0));
    let report_id = state
        .app
        .open_with_access_code(&tracking, &code, client)
        .await?;
    let token = state.tokens.report_token(&report_id, state.app.clock.now());
    Ok(Json(AccessGranted {
        access_token: token,
        token_type: "Bearer",
        expires_in: crate::auth::REPORT_TOKEN_TTL.whole_seconds(),
        report_id,
    }))
}

/// Read a report
///
/// The report as the caller may see it: the public sees a published, non-confidential one
/// without its hidden parts (an anonymous reporter, internal comments, notes); its reporter
/// (with a user's token or the report's access token), the agencies it reached and the admins
/// see more. A report the caller may not see at all is 404, exactly as a missing one.
#[utoipa::path(
    get,
    path = "/v1/reports/{tracking_id}",
    operation_id = "getReport",
    tag = "Reports",
    params(ReportPath),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller may see it.", body = ReportView),
        (status = 401, response = BadToken),
        (status = 404, response = NotFound),
        ServerErrors,
    )
)]
pub async fn get_report(
    State(state): State<AppState>,
    Caller(actor): Caller,
    PathSegment(raw): PathSegment,
) -> Result<Json<ReportView>, Problem> {
    let view = state.app.view(&report_key(&raw)?, &actor).await?;
    Ok(Json(view))
}

/// Complete a returned report
///
/// Its reporter (a user's token or the report's access token) sends the submission again,
/// completed, while the report is `returned`; it goes back to `submitted`. The files of the
/// submission it replaces may be named again.
#[utoipa::path(
    put,
    path = "/v1/reports/{tracking_id}",
    operation_id = "completeReport",
    tag = "Actions",
    params(ReportPath),
    request_body(content = SubmissionBody, example = submission_example),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn complete(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    PathSegment(raw): PathSegment,
    body: JsonBody,
) -> Result<Json<ReportView>, Problem> {
    let key = report_key(&raw)?;
    let (submission, attachment_ids) = read_submission(&state, &body).await?;
    let complete = |attachments| {
        let mut submission = submission.clone();
        submission.attachments = attachments;
        Command::Complete(Box::new(submission))
    };
    let view = state
        .app
        .act_attaching(&key, &actor, &attachment_ids, complete, None)
        .await?;
    Ok(Json(view))
}

/// The public feed
///
/// Published (`disposed`, `in_progress`, `closed`), non-confidential reports, newest change
/// first, as the public sees them. No token is read.
#[utoipa::path(
    get,
    path = "/v1/reports",
    operation_id = "listReports",
    tag = "Reports",
    params(FeedParams, PageParams),
    responses(
        (status = 200, description = "A page of the feed.", body = FeedPage),
        ListErrors,
        ServerErrors,
    )
)]
pub async fn feed(
    State(state): State<AppState>,
    query: QueryMap,
) -> Result<Json<FeedPage>, Problem> {
    let mut errors = Vec::new();
    let status = match query.get("status").map(Status::parse) {
        Some(Ok(s)) if s.is_published() => Some(s),
        Some(Ok(_)) => {
            errors.push(FieldError::new(
                "status",
                "the feed shows disposed, in_progress and closed reports",
            ));
            None
        }
        Some(Err(m)) => {
            errors.push(FieldError::new("status", m));
            None
        }
        None => None,
    };
    let agency_id = match query.get("agency_id").map(AgencyId::parse) {
        Some(Ok(id)) => Some(id),
        Some(Err(m)) => {
            errors.push(FieldError::new("agency_id", m));
            None
        }
        None => None,
    };
    let limit = query.limit()?;
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    let category = query.get("category").map(str::to_string);
    let words = query.get("q").map(search_words).unwrap_or_default();
    // The cursor is bound to the filters, so it cannot be replayed against another list.
    let list = format!("feed:{status:?}:{category:?}:{agency_id:?}:{words:?}");
    let after: Option<Cursor> = query
        .get("cursor")
        .map(|c| cursor::decode(&state.tokens, &list, c))
        .transpose()?;
    let page = state
        .app
        .feed(&FeedQuery {
            status,
            category,
            agency_id,
            words,
            limit,
            after,
        })
        .await?;
    Ok(Json(FeedPage {
        items: page.items,
        next_cursor: page.next.map(|c| cursor::encode(&state.tokens, &list, &c)),
    }))
}

#[cfg(test)]
mod tests {
    use super::idempotency_key;

    #[test]
    fn an_idempotency_key_is_printable_ascii() {
        assert_eq!(idempotency_key(b"7f1c2d"), Some("7f1c2d"));
        assert_eq!(idempotency_key(b"kunci satu: #1"), Some("kunci satu: #1"));
        assert_eq!(idempotency_key(&[b'k'; 255]).map(str::len), Some(255));
        for bad in [
            &b""[..],
            b"kunci\tdua",
            b"\tkunci",
            b"kunci\x01",
            b"kunci\x7f",
            b"kunci\x1b[31m",
            "kunci\u{e9}".as_bytes(),
            &[b'k'; 256],
        ] {
            assert_eq!(idempotency_key(bad), None, "{bad:?}");
        }
    }
}

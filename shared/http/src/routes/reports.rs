//! `/v1/reports`: submission, reading, the public feed, access codes and completion.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use lapor_app::attachments::caller_key;
use lapor_app::index::search_words;
use lapor_app::ports::{Cursor, FeedQuery, ReportKey};
use lapor_app::reports::Idempotency;
use lapor_app::secrets::sha256_hex;
use lapor_domain::actions::Command;
use lapor_domain::attachment::MAX_PER_MESSAGE;
use lapor_domain::fields::*;
use lapor_domain::report::{Channel, Submission};
use lapor_domain::{AgencyId, AttachmentId, FieldError, ReportId, Status, TrackingId};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{Caller, SignedInCaller};
use crate::cursor;
use crate::input::{Fields, JsonBody, PathSegment, QueryMap};
use crate::problem::Problem;

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

/// Reads the submission fields of `POST /v1/reports` and `PUT /v1/reports/{id}`, and the
/// attachment ids that go with them.
async fn read_submission(
    state: &AppState,
    body: &JsonBody,
) -> Result<(Submission, Vec<AttachmentId>), Problem> {
    let today = lapor_domain::Zone::Wit.date_of(state.app.clock.now());
    let mut f = Fields::new(&body.object);
    let classification = f.text("classification", true, Classification::parse);
    let title = f.text("title", true, Title::parse);
    let report_body = f.text("body", true, ReportBody::parse);
    let category = f.text("category", true, Category::parse);
    let incident_date = f.text("incident_date", true, |raw| IncidentDate::parse(raw, today));
    let location = f.object("location", true, |l| {
        let province = l.text("province", true, PlaceName::parse);
        let regency = l.text("regency", true, PlaceName::parse);
        let district = l.text("district", false, PlaceName::parse);
        let village = l.text("village", false, PlaceName::parse);
        let address = l.text("address", false, Address::parse);
        let lat = l.number("lat", false, parse_lat);
        let lon = l.number("lon", false, parse_lon);
        if lat.is_some() != lon.is_some() && l.is_valid() {
            l.error("lat", "lat and lon go together");
        }
        Some(Location {
            province: province?,
            regency: regency?,
            district,
            village,
            address,
            lat,
            lon,
        })
    });
    let target_id = f.text("target_agency_id", false, AgencyId::parse);
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
    let attachment_ids = read_attachments(&mut f);
    let mut target = None;
    if let Some(id) = &target_id {
        match state.app.agency_ref(id, "target_agency_id").await {
            Ok(agency) => target = Some(agency),
            Err(_) => f.error("target_agency_id", "no agency has this id"),
        }
    }
    let submission = (|| {
        Some(Submission {
            classification: classification?,
            title: title?,
            body: report_body?,
            category: category?,
            incident_date: incident_date?,
            location: location?,
            target,
            anonymous: anonymous?,
            confidential: confidential?,
            contact,
            attachments: Vec::new(),
        })
    })();
    f.finish(submission).map(|s| (s, attachment_ids))
}

/// `POST /v1/reports`.
pub async fn submit(
    State(state): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let idempotency = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = value
                .to_str()
                .ok()
                .filter(|k| (1..=255).contains(&k.len()))
                .ok_or_else(|| {
                    Problem::invalid(vec![FieldError::new(
                        "Idempotency-Key",
                        "must be 1 to 255 visible characters",
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
    Ok((StatusCode::CREATED, Json(json!(submitted))))
}

/// `POST /v1/reports/{tracking_id}/access`.
pub async fn access(
    State(state): State<AppState>,
    PathSegment(tracking): PathSegment,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
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
    let report_id = state.app.open_with_access_code(&tracking, &code).await?;
    let token = state.tokens.report_token(&report_id, state.app.clock.now());
    Ok(Json(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": crate::auth::REPORT_TOKEN_TTL.whole_seconds(),
        "report_id": report_id,
    })))
}

/// `GET /v1/reports/{tracking_id}`.
pub async fn get_report(
    State(state): State<AppState>,
    Caller(actor): Caller,
    PathSegment(raw): PathSegment,
) -> Result<Json<Value>, Problem> {
    let view = state.app.view(&report_key(&raw)?, &actor).await?;
    Ok(Json(json!(view)))
}

/// `PUT /v1/reports/{tracking_id}`: the reporter completes a returned report.
pub async fn complete(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    PathSegment(raw): PathSegment,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
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
    Ok(Json(json!(view)))
}

/// `GET /v1/reports`: the public feed.
pub async fn feed(State(state): State<AppState>, query: QueryMap) -> Result<Json<Value>, Problem> {
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
    Ok(Json(json!({
        "items": page.items,
        "next_cursor": page.next.map(|c| cursor::encode(&state.tokens, &list, &c)),
    })))
}

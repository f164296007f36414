//! `POST /v1/reports/{tracking_id}/...`: every action on a report. Each reads its body into a
//! domain command and answers with the report as the caller now sees it. An `If-Match: <version>`
//! header makes the action fail with 409 if the report changed since the caller read it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use lapor_domain::actions::{Command, Verification};
use lapor_domain::fields::{Category, Message, Note, RatingComment, Reason, Stars, Title};
use lapor_domain::{AgencyId, FieldError, RequestId};
use serde_json::{Value, json};

use super::reports::{read_attachments, report_key};
use crate::AppState;
use crate::auth::SignedInCaller;
use crate::input::{Fields, JsonBody};
use crate::problem::Problem;

/// The version in an `If-Match` header (`3` or `"3"`), if any.
fn if_match(headers: &HeaderMap) -> Result<Option<u64>, Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| {
            Problem::invalid(vec![FieldError::new(
                "If-Match",
                "must be the report's version",
            )])
        })
}

/// Runs a command and answers with the report.
async fn run(
    state: &AppState,
    actor: &lapor_domain::Actor,
    raw: &str,
    headers: &HeaderMap,
    command: Command,
) -> Result<Json<Value>, Problem> {
    let key = report_key(raw)?;
    let view = state
        .app
        .act(&key, actor, command, if_match(headers)?)
        .await?;
    Ok(Json(json!(view)))
}

/// Reads an agency id field and looks the agency up.
async fn agency(
    state: &AppState,
    f: &mut Fields<'_>,
    name: &str,
    required: bool,
) -> Option<lapor_domain::AgencyRef> {
    let id = f.text(name, required, AgencyId::parse)?;
    match state.app.agency_ref(&id, name).await {
        Ok(agency) => Some(agency),
        Err(_) => {
            f.error(name, "no agency has this id");
            None
        }
    }
}

/// `verification`.
pub async fn verification(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let decision = f.text("decision", true, |d| match d {
        "verify" | "return" | "archive" => Ok(d.to_string()),
        _ => Err("must be one of verify, return, archive".to_string()),
    });
    let reason_required = matches!(decision.as_deref(), Some("return" | "archive"));
    let reason = f.text("reason", reason_required, Reason::parse);
    let command = match decision.as_deref() {
        Some("return") => reason.map(|reason| Verification::Return { reason }),
        Some("archive") => reason.map(|reason| Verification::Archive { reason }),
        Some(_) => Some(Verification::Verify {
            dispose_to: agency(&state, &mut f, "dispose_to", false).await,
            title: f.text("title", false, Title::parse),
            category: f.text("category", false, Category::parse),
            anonymous: f.optional_boolean("anonymous"),
            confidential: f.optional_boolean("confidential"),
        }),
        None => None,
    };
    let command = f.finish(command)?;
    run(
        &state,
        &actor,
        &raw,
        &headers,
        Command::Verification(command),
    )
    .await
}

/// `dispositions`.
pub async fn dispose(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let to = agency(&state, &mut f, "agency_id", true).await;
    let note = f.text("note", false, Note::parse);
    let to = f.finish(to)?;
    run(
        &state,
        &actor,
        &raw,
        &headers,
        Command::Dispose { to, note },
    )
    .await
}

/// `forward`.
pub async fn forward(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let to = agency(&state, &mut f, "agency_id", true).await;
    let note = f.text("note", false, Note::parse);
    let to = f.finish(to)?;
    run(
        &state,
        &actor,
        &raw,
        &headers,
        Command::Forward { to, note },
    )
    .await
}

/// `copies`.
pub async fn copy(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let to = agency(&state, &mut f, "agency_id", true).await;
    let to = f.finish(to)?;
    run(&state, &actor, &raw, &headers, Command::Copy { to }).await
}

/// Reads `body` (and attachments) of a follow-up or reply.
fn message_with_attachments(body: &JsonBody) -> Result<Message, Problem> {
    let mut f = Fields::new(&body.object);
    let message = f.text("body", true, Message::parse);
    read_attachments(&mut f);
    f.finish(message)
}

/// `follow-ups`.
pub async fn follow_up(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let body = message_with_attachments(&body)?;
    run(&state, &actor, &raw, &headers, Command::FollowUp { body }).await
}

/// `replies`.
pub async fn reply(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let body = message_with_attachments(&body)?;
    run(&state, &actor, &raw, &headers, Command::Reply { body }).await
}

/// `comments`.
pub async fn comment(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let message = f.text("body", true, Message::parse);
    let internal = f.boolean("internal", Some(false));
    let (body, internal) = f.finish(message.zip(internal))?;
    run(
        &state,
        &actor,
        &raw,
        &headers,
        Command::Comment { body, internal },
    )
    .await
}

/// `not-authority-requests`: answers 201 with the request id beside the report.
pub async fn request_not_authority(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let mut f = Fields::new(&body.object);
    let reason = f.text("reason", true, Reason::parse);
    let reason = f.finish(reason)?;
    let request_id = RequestId::from_ulid(state.app.ids.ulid());
    let command = Command::RequestNotAuthority {
        request_id: request_id.clone(),
        reason,
    };
    let Json(mut view) = run(&state, &actor, &raw, &headers, command).await?;
    if let Value::Object(map) = &mut view {
        map.insert("request_id".into(), json!(request_id));
    }
    Ok((StatusCode::CREATED, Json(view)))
}

/// `not-authority-requests/{request_id}/decision`.
pub async fn decide_not_authority(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path((raw, request)): Path<(String, String)>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let request_id = RequestId::parse(&request).map_err(|_| Problem::not_found())?;
    let mut f = Fields::new(&body.object);
    let accept = f.text("decision", true, |d| match d {
        "accept" => Ok(true),
        "reject" => Ok(false),
        _ => Err("must be accept or reject".to_string()),
    });
    let reason = f.text("reason", false, Reason::parse);
    let dispose_to = agency(&state, &mut f, "dispose_to", false).await;
    let accept = f.finish(accept)?;
    let command = Command::DecideNotAuthority {
        request_id,
        accept,
        reason,
        dispose_to,
    };
    run(&state, &actor, &raw, &headers, command).await
}

/// `close`.
pub async fn close(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let note = f.text("note", false, Note::parse);
    f.finish(Some(()))?;
    run(&state, &actor, &raw, &headers, Command::Close { note }).await
}

/// `reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let reason = f.text("reason", true, Reason::parse);
    let reason = f.finish(reason)?;
    run(&state, &actor, &raw, &headers, Command::Reopen { reason }).await
}

/// `rating`.
pub async fn rate(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let stars = f.integer("stars", true, Stars::parse);
    let comment = f.text("comment", false, RatingComment::parse);
    let stars = f.finish(stars)?;
    run(
        &state,
        &actor,
        &raw,
        &headers,
        Command::Rate { stars, comment },
    )
    .await
}

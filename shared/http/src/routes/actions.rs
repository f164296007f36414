//! `POST /v1/reports/{tracking_id}/...`: every action on a report. Each reads its body into a
//! domain command and answers with the report as the caller now sees it. An `If-Match: <version>`
//! header makes the action fail with 409 if the report changed since the caller read it.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{HeaderMap, StatusCode, header};
use lapor_domain::actions::{Command, Verification};
use lapor_domain::attachment::Attachment;
use lapor_domain::fields::{Category, Message, Note, RatingComment, Reason, Stars, Title};
use lapor_domain::{Actor, AgencyId, AgencyRef, AttachmentId, FieldError, RequestId};
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

/// An action's request: who asks, on which report, with what body. Read in this order so a
/// caller without a token gets 401 before any complaint about the body.
pub struct ActionRequest {
    state: AppState,
    actor: Actor,
    path: HashMap<String, String>,
    if_match: Option<u64>,
    body: JsonBody,
}

impl FromRequest<AppState> for ActionRequest {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Problem> {
        let (mut parts, body) = req.into_parts();
        let SignedInCaller(actor) = SignedInCaller::from_request_parts(&mut parts, state).await?;
        let Path(path) = Path::<HashMap<String, String>>::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| Problem::not_found())?;
        let if_match = if_match(&parts.headers)?;
        let body = JsonBody::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Self {
            state: state.clone(),
            actor,
            path,
            if_match,
            body,
        })
    }
}

impl ActionRequest {
    /// The body's fields.
    fn fields(&self) -> Fields<'_> {
        Fields::new(&self.body.object)
    }

    /// A path parameter (always present: the routes name them).
    fn param(&self, name: &str) -> &str {
        self.path.get(name).map_or("", String::as_str)
    }

    /// Runs the command and answers with the report.
    async fn run(&self, command: Command) -> Result<Json<Value>, Problem> {
        self.run_attaching(&[], |_| command.clone()).await
    }

    /// Runs the command made from the checked uploads named by `attachment_ids`.
    async fn run_attaching(
        &self,
        attachment_ids: &[AttachmentId],
        command: impl Fn(Vec<Attachment>) -> Command,
    ) -> Result<Json<Value>, Problem> {
        let key = report_key(self.param("tracking_id"))?;
        let view = self
            .state
            .app
            .act_attaching(&key, &self.actor, attachment_ids, command, self.if_match)
            .await?;
        Ok(Json(json!(view)))
    }

    /// Reads an agency id field and looks the agency up.
    async fn agency(&self, f: &mut Fields<'_>, name: &str, required: bool) -> Option<AgencyRef> {
        let id = f.text(name, required, AgencyId::parse)?;
        match self.state.app.agency_ref(&id, name).await {
            Ok(agency) => Some(agency),
            Err(_) => {
                f.error(name, "no agency has this id");
                None
            }
        }
    }

    /// Reads `agency_id` and `note` (disposition and forward).
    async fn agency_and_note(&self) -> Result<(AgencyRef, Option<Note>), Problem> {
        let mut f = self.fields();
        let to = self.agency(&mut f, "agency_id", true).await;
        let note = f.text("note", false, Note::parse);
        f.finish(to.map(|to| (to, note)))
    }

    /// Reads `body` and `attachment_ids` (follow-up and reply).
    fn message_with_attachments(&self) -> Result<(Message, Vec<AttachmentId>), Problem> {
        let mut f = self.fields();
        let message = f.text("body", true, Message::parse);
        let attachment_ids = read_attachments(&mut f);
        f.finish(message).map(|m| (m, attachment_ids))
    }
}

pub async fn verification(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let mut f = req.fields();
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
            dispose_to: req.agency(&mut f, "dispose_to", false).await,
            title: f.text("title", false, Title::parse),
            category: f.text("category", false, Category::parse),
            anonymous: f.optional_boolean("anonymous"),
            confidential: f.optional_boolean("confidential"),
        }),
        None => None,
    };
    let command = f.finish(command)?;
    req.run(Command::Verification(command)).await
}

/// `dispositions`.
pub async fn dispose(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let (to, note) = req.agency_and_note().await?;
    req.run(Command::Dispose { to, note }).await
}

pub async fn forward(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let (to, note) = req.agency_and_note().await?;
    req.run(Command::Forward { to, note }).await
}

/// `copies`.
pub async fn copy(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let mut f = req.fields();
    let to = req.agency(&mut f, "agency_id", true).await;
    let to = f.finish(to)?;
    req.run(Command::Copy { to }).await
}

pub async fn follow_up(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let (body, ids) = req.message_with_attachments()?;
    req.run_attaching(&ids, |attachments| Command::FollowUp {
        body: body.clone(),
        attachments,
    })
    .await
}

/// `replies`.
pub async fn reply(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let (body, ids) = req.message_with_attachments()?;
    req.run_attaching(&ids, |attachments| Command::Reply {
        body: body.clone(),
        attachments,
    })
    .await
}

pub async fn comment(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let mut f = req.fields();
    let message = f.text("body", true, Message::parse);
    let internal = f.boolean("internal", Some(false));
    let (body, internal) = f.finish(message.zip(internal))?;
    req.run(Command::Comment { body, internal }).await
}

/// `not-authority-requests`: answers 201 with the request id beside the report.
pub async fn request_not_authority(
    req: ActionRequest,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let mut f = req.fields();
    let reason = f.text("reason", true, Reason::parse);
    let reason = f.finish(reason)?;
    let request_id = RequestId::from_ulid(req.state.app.ids.ulid());
    let command = Command::RequestNotAuthority {
        request_id: request_id.clone(),
        reason,
    };
    let Json(mut view) = req.run(command).await?;
    if let Value::Object(map) = &mut view {
        map.insert("request_id".into(), json!(request_id));
    }
    Ok((StatusCode::CREATED, Json(view)))
}

/// `not-authority-requests/{request_id}/decision`.
pub async fn decide_not_authority(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let request_id = RequestId::parse(req.param("request_id")).map_err(|_| Problem::not_found())?;
    let mut f = req.fields();
    let accept = f.text("decision", true, |d| match d {
        "accept" => Ok(true),
        "reject" => Ok(false),
        _ => Err("must be accept or reject".to_string()),
    });
    let reason = f.text("reason", false, Reason::parse);
    let dispose_to = req.agency(&mut f, "dispose_to", false).await;
    let accept = f.finish(accept)?;
    req.run(Command::DecideNotAuthority {
        request_id,
        accept,
        reason,
        dispose_to,
    })
    .await
}

pub async fn close(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let mut f = req.fields();
    let note = f.text("note", false, Note::parse);
    f.finish(Some(()))?;
    req.run(Command::Close { note }).await
}

pub async fn reopen(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let mut f = req.fields();
    let reason = f.text("reason", true, Reason::parse);
    let reason = f.finish(reason)?;
    req.run(Command::Reopen { reason }).await
}

/// `rating`.
pub async fn rate(req: ActionRequest) -> Result<Json<Value>, Problem> {
    let mut f = req.fields();
    let stars = f.integer("stars", true, Stars::parse);
    let comment = f.text("comment", false, RatingComment::parse);
    let stars = f.finish(stars)?;
    req.run(Command::Rate { stars, comment }).await
}

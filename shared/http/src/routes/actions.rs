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
use lapor_domain::view::ReportView;
use lapor_domain::{Actor, AgencyId, AgencyRef, AttachmentId, FieldError, RequestId};
use serde::Serialize;
use utoipa::ToSchema;

use super::reports::{attachment_ids, read_attachments, report_key};
use crate::AppState;
use crate::auth::SignedInCaller;
use crate::input::{Fields, JsonBody};
use crate::openapi::{ActionErrors, IfMatch, ReportPath, ServerErrors};
use crate::problem::Problem;

/// What verification may decide.
const VERIFICATION_DECISIONS: [&str; 3] = ["verify", "return", "archive"];
/// What the disposer may decide on a "not our authority" request.
const REQUEST_DECISIONS: [&str; 2] = ["accept", "reject"];

fn verification_decisions() -> utoipa::openapi::schema::Object {
    lapor_domain::schema::words(
        &VERIFICATION_DECISIONS,
        "`verify` (and with `dispose_to`, dispose); `return` to the reporter to complete; \
         `archive`.",
    )
}

fn request_decisions() -> utoipa::openapi::schema::Object {
    lapor_domain::schema::words(
        &REQUEST_DECISIONS,
        "`accept`: the report goes back to the disposer; `reject`: it stays.",
    )
}

/// `verification`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct VerificationBody {
    #[schema(schema_with = verification_decisions)]
    decision: String,
    /// Why: required to return or archive.
    reason: Option<Reason>,
    /// On `verify`: dispose it to this agency at once.
    dispose_to: Option<AgencyId>,
    /// On `verify`: a clearer title.
    title: Option<Title>,
    /// On `verify`: the right category.
    category: Option<Category>,
    /// On `verify`: hide the reporter's identity (a flag is only ever raised).
    anonymous: Option<bool>,
    /// On `verify`: restrict the report to those it reaches (a flag is only ever raised).
    confidential: Option<bool>,
}

/// `dispositions` and `forward`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct AgencyNoteBody {
    /// The agency that gets the report.
    agency_id: AgencyId,
    /// For the staff.
    note: Option<Note>,
}

/// `copies`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct CopyBody {
    /// The agency that gets a read-only copy.
    agency_id: AgencyId,
}

/// `follow-ups` and `replies`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct MessageBody {
    body: Message,
    /// Uploads that go with it (`POST /v1/attachments`), each one checked.
    #[schema(schema_with = attachment_ids)]
    attachment_ids: Option<Vec<AttachmentId>>,
}

/// `comments`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct CommentBody {
    body: Message,
    /// For agency staff and admins only; `false` when absent.
    #[schema(default = false)]
    internal: Option<bool>,
}

/// `not-authority-requests` and `reopen`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct ReasonBody {
    reason: Reason,
}

/// `not-authority-requests/{request_id}/decision`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct RequestDecisionBody {
    #[schema(schema_with = request_decisions)]
    decision: String,
    reason: Option<Reason>,
    /// On `accept`: dispose the report on to this agency.
    dispose_to: Option<AgencyId>,
}

/// `close`: all optional, so no body at all will do.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct CloseBody {
    /// How it was resolved.
    note: Option<Note>,
}

/// `rating`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct RatingBody {
    stars: Stars,
    comment: Option<RatingComment>,
}

/// The report, and the "not our authority" request just made.
#[derive(Serialize, ToSchema)]
pub struct NotAuthorityRequested {
    /// The report as the caller now sees it.
    #[serde(flatten)]
    report: ReportView,
    /// The request's id, for its decision.
    request_id: RequestId,
}

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
    async fn run(&self, command: Command) -> Result<Json<ReportView>, Problem> {
        self.run_attaching(&[], |_| command.clone()).await
    }

    /// Runs the command made from the checked uploads named by `attachment_ids`.
    async fn run_attaching(
        &self,
        attachment_ids: &[AttachmentId],
        command: impl Fn(Vec<Attachment>) -> Command,
    ) -> Result<Json<ReportView>, Problem> {
        let key = report_key(self.param("tracking_id"))?;
        let view = self
            .state
            .app
            .act_attaching(&key, &self.actor, attachment_ids, command, self.if_match)
            .await?;
        Ok(Json(view))
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

/// Verify, return or archive a new report
///
/// National admins; for a report addressed to an agency (`target_agency_id`), that agency's
/// admins too. Only while `submitted`: `verify` (with `dispose_to`, disposes it too; may correct
/// the title and category and raise the flags), `return` it to the reporter to complete, or
/// `archive` it; both with a `reason`.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/verification",
    operation_id = "verifyReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = VerificationBody, example = json!({"decision": "verify", "dispose_to": "01JDF5M00000000000000002R1", "category": "infrastruktur.jalan"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn verification(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let mut f = req.fields();
    let decision = f.text("decision", true, |d| {
        VERIFICATION_DECISIONS
            .contains(&d)
            .then(|| d.to_string())
            .ok_or_else(|| "must be one of verify, return, archive".to_string())
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

/// Dispose a report to an agency
///
/// An admin of the agency that holds the report (the national admins for a verified,
/// unassigned one) assigns it to an agency below their own: status `disposed`, and the agency's
/// response deadline starts.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/dispositions",
    operation_id = "disposeReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = AgencyNoteBody, example = json!({"agency_id": "01JDF5M00000000000000002R1", "note": "Mohon ditindaklanjuti."})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn dispose(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let (to, note) = req.agency_and_note().await?;
    req.run(Command::Dispose { to, note }).await
}

/// Forward a report (Teruskan)
///
/// The officers of the agency that holds it hand it to another unit of the same parent
/// agency.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/forward",
    operation_id = "forwardReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = AgencyNoteBody, example = json!({"agency_id": "01JDF5M00000000000000002R1", "note": "Wewenang dinas sebelah."})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn forward(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let (to, note) = req.agency_and_note().await?;
    req.run(Command::Forward { to, note }).await
}

/// Copy a report to an agency (Salinan)
///
/// Admins of the agency that holds it, or above, give another agency a read-only copy.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/copies",
    operation_id = "copyReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = CopyBody, example = json!({"agency_id": "01JDF5M00000000000000002R1"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn copy(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let mut f = req.fields();
    let to = req.agency(&mut f, "agency_id", true).await;
    let to = f.finish(to)?;
    req.run(Command::Copy { to }).await
}

/// Follow a report up (Tindak Lanjut)
///
/// The officers and admins of the agency that holds it answer, for the reporter to see: status
/// `in_progress`, and the report closes itself 10 working days after the last follow-up when
/// its reporter stays silent.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/follow-ups",
    operation_id = "followUpReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = MessageBody, example = json!({"body": "Tim sudah menambal jalan pada 10 Januari."})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn follow_up(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let (body, ids) = req.message_with_attachments()?;
    req.run_attaching(&ids, |attachments| Command::FollowUp {
        body: body.clone(),
        attachments,
    })
    .await
}

/// Reply as the reporter
///
/// The reporter (a user's token or the report's access token) answers a follow-up; the report's
/// closing by itself waits again.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/replies",
    operation_id = "replyToReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = MessageBody, example = json!({"body": "Terima kasih, sudah rata."})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn reply(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let (body, ids) = req.message_with_attachments()?;
    req.run_attaching(&ids, |attachments| Command::Reply {
        body: body.clone(),
        attachments,
    })
    .await
}

/// Comment on a report
///
/// Its reporter (a user's token or the report's access token), the agency that holds it and the
/// admins above; an `internal` comment, for staff only, is never shown to the reporter or the
/// public.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/comments",
    operation_id = "commentOnReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = CommentBody, example = json!({"body": "Sudah dijadwalkan minggu depan.", "internal": true})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn comment(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let mut f = req.fields();
    let message = f.text("body", true, Message::parse);
    let internal = f.boolean("internal", Some(false));
    let (body, internal) = f.finish(message.zip(internal))?;
    req.run(Command::Comment { body, internal }).await
}

/// Ask to hand a report back (Bukan Wewenang)
///
/// The officers of the agency that holds it ask whoever disposed it to take it back, saying
/// why: answers 201 with the request's id beside the report.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/not-authority-requests",
    operation_id = "requestNotAuthority",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = ReasonBody,
        example = json!({"reason": "Jalan provinsi, bukan wewenang kota."})),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The request, and the report as the caller now sees it.",
            body = NotAuthorityRequested),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn request_not_authority(
    req: ActionRequest,
) -> Result<(StatusCode, Json<NotAuthorityRequested>), Problem> {
    let mut f = req.fields();
    let reason = f.text("reason", true, Reason::parse);
    let reason = f.finish(reason)?;
    let request_id = RequestId::from_ulid(req.state.app.ids.ulid());
    let command = Command::RequestNotAuthority {
        request_id: request_id.clone(),
        reason,
    };
    let Json(report) = req.run(command).await?;
    Ok((
        StatusCode::CREATED,
        Json(NotAuthorityRequested { report, request_id }),
    ))
}

/// Decide a "not our authority" request
///
/// Admins of the agency that disposed the report (the national admins, for one they disposed):
/// `accept`, and the report comes back to the disposer (and goes on to `dispose_to` if given);
/// or `reject`, and it stays.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/not-authority-requests/{request_id}/decision",
    operation_id = "decideNotAuthority",
    tag = "Actions",
    params(ReportPath, (
        "request_id" = String, Path, description = "The request's id (`request_id`).",
        example = "01JDF5M00000000000000002R1"
    ), IfMatch),
    request_body(content = RequestDecisionBody, example = json!({"decision": "accept", "dispose_to": "01JDF5M00000000000000002R1"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn decide_not_authority(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let request_id = RequestId::parse(req.param("request_id")).map_err(|_| Problem::not_found())?;
    let mut f = req.fields();
    let accept = f.text("decision", true, |d| {
        if !REQUEST_DECISIONS.contains(&d) {
            return Err("must be accept or reject".to_string());
        }
        Ok(d == "accept")
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

/// Close a report
///
/// The officers and admins of the agency that holds it close it once it has had a follow-up:
/// status `closed`. The body may be left out.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/close",
    operation_id = "closeReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = Option<CloseBody>, example = json!({"note": "Selesai diperbaiki."})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn close(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let mut f = req.fields();
    let note = f.text("note", false, Note::parse);
    f.finish(Some(()))?;
    req.run(Command::Close { note }).await
}

/// Reopen a closed report
///
/// The officers of the agency that held it, or the admins above: status back to
/// `in_progress`.
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/reopen",
    operation_id = "reopenReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = ReasonBody, example = json!({"reason": "Tambal ulang."})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn reopen(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let mut f = req.fields();
    let reason = f.text("reason", true, Reason::parse);
    let reason = f.finish(reason)?;
    req.run(Command::Reopen { reason }).await
}

/// Rate the answer
///
/// The reporter (a user's token or the report's access token), once the report has had a
/// follow-up, rates the agency's answer from one to five stars, once per closing: a second
/// rating answers 409 until the report is reopened (and its new answer may be rated).
#[utoipa::path(
    post,
    path = "/v1/reports/{tracking_id}/rating",
    operation_id = "rateReport",
    tag = "Actions",
    params(ReportPath, IfMatch),
    request_body(content = RatingBody, example = json!({"stars": 5, "comment": "Cepat dan rapi."})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report as the caller now sees it.", body = ReportView),
        ActionErrors,
        ServerErrors,
    )
)]
pub async fn rate(req: ActionRequest) -> Result<Json<ReportView>, Problem> {
    let mut f = req.fields();
    let stars = f.integer("stars", true, Stars::parse);
    let comment = f.text("comment", false, RatingComment::parse);
    let stars = f.finish(stars)?;
    req.run(Command::Rate { stars, comment }).await
}

//! One report as the viewer may see it (`/pengaduan/{tracking_id}`, the URL shape of
//! lapor.go.id), with its reporter's forms: a reply while it is open, a rating after a
//! follow-up. A report the viewer may not see is the 404 page, as the API answers 404.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::{AppError, ReportKey};
use lapor_domain::actions::Command;
use lapor_domain::fields::{Message, RatingComment, Stars};
use lapor_domain::lifecycle::Action;
use lapor_domain::view::ReportView;
use lapor_domain::{TrackingId, Violation};
use lapor_http::AppState;

use super::files::{self, FormFiles};
use super::report_text::ReportText;
use super::{Failure, Layout, see_other};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct ReportPage {
    layout: Layout,
    report: ReportView,
    actions: Vec<Action>,
    sent: Sent,
    problems: Problems,
    /// The name of its category.
    category: String,
    /// Files came with the form it is shown again for: they must be chosen again.
    files_posted: bool,
}

impl ReportText for ReportPage {
    fn shown(&self) -> &ReportView {
        &self.report
    }
}

impl ReportPage {
    /// The files the script uploaded for the reply, sent again with it.
    fn uploaded(&self) -> Vec<&str> {
        files::uploaded(&self.sent, &self.problems, &[])
    }

    fn files_dropped(&self) -> bool {
        self.files_posted
    }

    fn may(&self, action: &str) -> bool {
        self.actions.iter().any(|a| a.as_str() == action)
    }
}

/// The report a path names; a malformed tracking id is as absent as an unknown one.
pub(crate) fn key(tracking_id: &str) -> Result<ReportKey, Failure> {
    TrackingId::parse(tracking_id)
        .map(ReportKey::Tracking)
        .map_err(|_| Failure::NotFound)
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    key: &ReportKey,
    sent: Sent,
    problems: Problems,
) -> Result<ReportPage, Failure> {
    let (report, actions) = state.app.view_with_actions(key, &visitor.actor).await?;
    let title = format!("Laporan #{}", report.tracking_id);
    let category = state
        .app
        .categories()
        .await?
        .name_of(&report.category)
        .to_string();
    Ok(ReportPage {
        category,
        files_posted: false,
        layout: Layout::new(title, visitor).failed(&problems),
        report,
        actions,
        sent,
        problems,
    })
}

/// `GET /pengaduan/{tracking_id}`.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tracking_id): Path<String>,
) -> Result<ReportPage, Failure> {
    let key = key(&tracking_id)?;
    page(&state, &visitor, &key, Sent::default(), Problems::default()).await
}

/// Takes the reporter's action `command`, then shows the report again; a form with problems
/// is shown again with what was typed.
async fn act(
    state: &AppState,
    visitor: &Visitor,
    tracking_id: &str,
    sent: Sent,
    command: Result<Command, Problems>,
) -> Result<Response, Failure> {
    let key = key(tracking_id)?;
    match command {
        Ok(command) => {
            state.app.act(&key, &visitor.actor, command, None).await?;
            Ok(see_other(&format!("/pengaduan/{tracking_id}")))
        }
        Err(problems) => again(state, visitor, &key, sent, problems).await,
    }
}

/// The report page again with a form's problems (422).
async fn again(
    state: &AppState,
    visitor: &Visitor,
    key: &ReportKey,
    sent: Sent,
    problems: Problems,
) -> Result<Response, Failure> {
    let page = page(state, visitor, key, sent, problems).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /pengaduan/{tracking_id}/balasan`: the reporter's reply, with its files.
pub async fn reply(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tracking_id): Path<String>,
    posted: Posted,
) -> Result<Response, Failure> {
    let sent = posted.sent.clone();
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let key = key(&tracking_id)?;
    let mut problems = Problems::default();
    let body = match sent.get("balasan").map(Message::parse) {
        Some(Ok(body)) => Some(body),
        _ => {
            problems.add(
                "balasan",
                "Tulis balasan Anda (paling banyak 10.000 karakter).",
            );
            None
        }
    };
    let files = FormFiles::read(&posted, &mut problems);
    let Some(body) = body.filter(|_| problems.is_empty()) else {
        let mut page = page(&state, &visitor, &key, sent, problems).await?;
        page.files_posted = !posted.files.is_empty();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let ids = files.store(&state, &visitor.actor).await?;
    let replied = state
        .app
        .act_attaching(
            &key,
            &visitor.actor,
            &ids,
            |attachments| Command::Reply {
                body: body.clone(),
                attachments,
            },
            None,
        )
        .await;
    match replied {
        Ok(_) => Ok(see_other(&format!("/pengaduan/{tracking_id}"))),
        Err(AppError::Rule(Violation::Invalid(errors))) => {
            let problems = Problems::from_api(&errors, "balasan", files::describe);
            again(&state, &visitor, &key, sent, problems).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /pengaduan/{tracking_id}/penilaian`: the reporter rates the answer.
pub async fn rate(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tracking_id): Path<String>,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let mut problems = Problems::default();
    let stars = sent
        .get("nilai")
        .and_then(|raw| raw.parse::<i64>().ok())
        .and_then(|n| Stars::parse(n).ok());
    if stars.is_none() {
        problems.add("nilai-1", "Pilih nilai 1 sampai 5.");
    }
    let comment = match sent.get("komentar").map(RatingComment::parse) {
        None => None,
        Some(Ok(comment)) => Some(comment),
        Some(Err(_)) => {
            problems.add("komentar", "Komentar paling banyak 2.000 karakter.");
            None
        }
    };
    let command = match stars {
        Some(stars) if problems.is_empty() => Ok(Command::Rate { stars, comment }),
        _ => Err(problems),
    };
    act(&state, &visitor, &tracking_id, sent, command).await
}

/// `GET /lampiran/{id}`: a file of a report the viewer may see, by a short-lived signed URL.
pub async fn attachment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let id = lapor_domain::AttachmentId::parse(&id).map_err(|_| Failure::NotFound)?;
    let url = state.app.download_url(&visitor.actor, &id).await?;
    Ok(axum::response::Redirect::temporary(&url).into_response())
}

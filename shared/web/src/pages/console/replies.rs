//! `/admin/templat`: the standard replies (Templat jawaban) of the staff member's agency,
//! which the follow-up form offers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::AppError;
use lapor_domain::agency::{MAX_STANDARD_REPLIES, StandardReply};
use lapor_domain::fields::{Message, TemplateName};
use lapor_domain::{Actor, Violation};
use lapor_http::AppState;

use super::Staff;
use crate::form::{self, Posted, Problems, Sent};
use crate::pages::{Failure, Layout, see_other};
use crate::session::CSRF_FIELD;

#[derive(Template, WebTemplate)]
#[template(path = "admin/replies.html")]
pub struct RepliesPage {
    layout: Layout,
    replies: Vec<StandardReply>,
    max: usize,
    sent: Sent,
    problems: Problems,
}

/// Standard replies are an agency's: the national admins, who answer no report, have none.
fn agency_staff(staff: &Staff) -> Result<(), Failure> {
    match staff.visitor.actor {
        Actor::AgencyAdmin(..) | Actor::LiaisonOfficer(..) => Ok(()),
        _ => Err(Failure::NotFound),
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    sent: Sent,
    problems: Problems,
) -> Result<RepliesPage, Failure> {
    Ok(RepliesPage {
        layout: staff
            .layout(state, "Templat jawaban")
            .await?
            .failed(&problems),
        replies: state.app.standard_replies(&staff.visitor.actor).await?,
        max: MAX_STANDARD_REPLIES,
        sent,
        problems,
    })
}

/// `GET /admin/templat`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<RepliesPage, Failure> {
    agency_staff(&staff)?;
    page(&state, &staff, Sent::default(), Problems::default()).await
}

/// `POST /admin/templat`: adds one.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    agency_staff(&staff)?;
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let mut problems = Problems::default();
    let name_rule = format!("Beri nama, paling banyak {} karakter.", TemplateName::MAX);
    let name = form::field(
        &sent,
        &mut problems,
        "nama-templat",
        true,
        TemplateName::parse,
        &name_rule,
    );
    let body = form::field(
        &sent,
        &mut problems,
        "isi-templat",
        true,
        Message::parse,
        "Tulis isi tindak lanjutnya (paling banyak 10.000 karakter).",
    );
    let refused = |problems: Problems| async {
        let page = page(&state, &staff, sent.clone(), problems).await?;
        Ok::<_, Failure>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let (Some(name), Some(body)) = (name, body) else {
        return refused(problems).await;
    };
    match state
        .app
        .add_standard_reply(&staff.visitor.actor, name, body)
        .await
    {
        Ok(_) => Ok(see_other("/admin/templat")),
        Err(AppError::Rule(Violation::Invalid(_))) => {
            let mut problems = Problems::default();
            problems.add(
                "nama-templat",
                format!("Paling banyak {MAX_STANDARD_REPLIES} templat: hapus satu dulu."),
            );
            refused(problems).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/templat/{number}/hapus`.
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Path(number): Path<u32>,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    agency_staff(&staff)?;
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    state
        .app
        .remove_standard_reply(&staff.visitor.actor, number)
        .await?;
    Ok(see_other("/admin/templat"))
}

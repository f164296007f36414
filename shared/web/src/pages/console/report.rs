//! `/admin/laporan/{tracking_id}`: the whole report as staff may see it (an anonymous
//! reporter's identity only for those the rules allow, internal comments marked), its deadline,
//! and a form for each action the viewer may take, and only those.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::ReportKey;
use lapor_app::reports::StaffView;
use lapor_domain::AgencyRef;
use lapor_domain::agency::StandardReply;
use lapor_domain::lifecycle::Action;
use lapor_domain::report::DeadlineKind;
use lapor_domain::view::{ReportView, RequestView};
use lapor_http::AppState;

use super::Staff;
use crate::form::{Problems, Sent};
use crate::pages::files;
pub(super) use crate::pages::report::key;
use crate::pages::report_text::ReportText;
use crate::pages::{Failure, Layout};
use crate::text;

#[derive(Template, WebTemplate)]
#[template(path = "admin/report.html")]
pub struct StaffReportPage {
    layout: Layout,
    view: StaffView,
    /// The name of its category.
    category: String,
    /// What was sent, when a form is shown again.
    sent: Sent,
    problems: Problems,
    /// The report changed since the form was loaded: shown as it is now, what was typed kept.
    conflict: Option<String>,
    /// Files came with the form it is shown again for: they must be chosen again.
    files_posted: bool,
    /// The agency's standard replies, for the follow-up form.
    replies: Vec<StandardReply>,
    /// The standard reply the follow-up was filled with.
    chosen_reply: Option<u32>,
}

impl ReportText for StaffReportPage {
    fn shown(&self) -> &ReportView {
        &self.view.report
    }
}

impl StaffReportPage {
    fn may(&self, action: &str) -> bool {
        self.view.actions.iter().any(|a| a.as_str() == action)
    }

    /// The agencies the select of `action` offers.
    fn destinations(&self, action: &str) -> &[AgencyRef] {
        self.view
            .actions
            .iter()
            .find(|a| a.as_str() == action)
            .map_or(&[], |&a| self.view.destinations_of(a))
    }

    /// The running deadline in words: which, and when.
    fn due(&self) -> Option<String> {
        let due = self.view.report.due.as_ref()?;
        let kind = match due.kind {
            DeadlineKind::Verification => "Verifikasi dan disposisi",
            DeadlineKind::Response => "Tanggapan",
            DeadlineKind::Resolution => "Penyelesaian",
        };
        Some(format!("{kind}: {}", text::moment(due.at)))
    }

    fn overdue(&self) -> bool {
        self.view.report.due.as_ref().is_some_and(|d| d.overdue)
    }

    /// The "not our authority" request waiting for a decision.
    fn pending_request(&self) -> Option<&RequestView> {
        self.view
            .report
            .requests
            .iter()
            .flatten()
            .find(|r| r.status == "pending")
    }

    fn requests(&self) -> &[RequestView] {
        self.view.report.requests.as_deref().unwrap_or_default()
    }

    fn request_status(&self, request: &RequestView) -> &'static str {
        match request.status {
            "pending" => "Menunggu keputusan",
            "accepted" => "Diterima",
            _ => "Ditolak",
        }
    }

    fn request_when(&self, request: &RequestView) -> String {
        text::moment(request.at)
    }

    /// The files the script uploaded for the follow-up, sent again with it.
    fn uploaded(&self) -> Vec<&str> {
        files::uploaded(&self.sent, &self.problems, &[])
    }

    fn files_dropped(&self) -> bool {
        self.files_posted
    }

    fn is_chosen(&self, reply: &StandardReply) -> bool {
        self.chosen_reply == Some(reply.number)
    }
}

/// The page of the report at `key` for `staff`, with what a form sent and its problems.
pub(super) async fn page(
    state: &AppState,
    staff: &Staff,
    key: &ReportKey,
    sent: Sent,
    problems: Problems,
) -> Result<StaffReportPage, Failure> {
    let actor = &staff.visitor.actor;
    let view = state.app.view_for_staff(key, actor).await?;
    let report = &view.report;
    let category = state
        .app
        .categories()
        .await?
        .name_of(&report.category)
        .to_string();
    let replies = match view.actions.contains(&Action::FollowUp) {
        true => state.app.standard_replies(actor).await?,
        false => Vec::new(),
    };
    let title = format!("Laporan #{}", report.tracking_id);
    Ok(StaffReportPage {
        layout: staff.layout(state, title).await?.failed(&problems),
        view,
        category,
        sent,
        problems,
        conflict: None,
        files_posted: false,
        replies,
        chosen_reply: None,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportParams {
    /// A standard reply to fill the follow-up with (`Pakai templat`, without the script).
    templat: Option<u32>,
}

/// `GET /admin/laporan/{tracking_id}`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(tracking_id): Path<String>,
    Query(params): Query<ReportParams>,
) -> Result<StaffReportPage, Failure> {
    let key = key(&tracking_id)?;
    let mut page = page(&state, &staff, &key, Sent::default(), Problems::default()).await?;
    let chosen = params
        .templat
        .and_then(|n| page.replies.iter().find(|r| r.number == n));
    if let Some(reply) = chosen {
        page.chosen_reply = Some(reply.number);
        page.sent = Sent::new(vec![(
            "tindak-lanjut".to_string(),
            reply.body.as_str().to_string(),
        )]);
    }
    Ok(page)
}

/// The page again for a form that was refused: its problems (422) or a conflict (409).
pub(super) async fn again(
    state: &AppState,
    staff: &Staff,
    key: &ReportKey,
    sent: Sent,
    problems: Problems,
    conflict: Option<String>,
    files_posted: bool,
) -> Result<Response, Failure> {
    let mut page = page(state, staff, key, sent, problems).await?;
    let status = match conflict {
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    if conflict.is_some() {
        page.layout.title = format!("Kesalahan: {}", page.layout.title);
    }
    page.conflict = conflict;
    page.files_posted = files_posted;
    Ok((status, page).into_response())
}

/// True for the actions whose form carries the version it was loaded at: a decision about
/// the report's state, refused when someone else changed it first. Appends carry none.
pub(super) fn guarded(action: Action) -> bool {
    !action.is_append()
}

//! The route table, in groups: each Lambda function serves one group, `lapor-local` all.

mod accounts;
mod actions;
mod agencies;
mod attachments;
mod inbox;
mod notifications;
mod reports;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// A group of routes deployed together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteGroup {
    /// Submitting reports and opening them with an access code.
    Submission,
    Verification,
    /// Dispositions, forwards, copies, "not our authority" requests and their decisions.
    Disposition,
    /// Follow-ups, comments, replies, close, reopen, rating and completion.
    FollowUp,
    /// Reading: reports, the feed, the work list, agencies, the caller, notifications,
    /// attachment downloads.
    Queries,
    /// Sign-up, sign-in, staff accounts, agency writes and notification read marks.
    Accounts,
    /// The upload and download URLs of blobs kept in a folder (`lapor-local`; on AWS, S3
    /// serves them).
    Blobs,
}

impl RouteGroup {
    /// Every group.
    pub const ALL: [RouteGroup; 7] = [
        Self::Submission,
        Self::Verification,
        Self::Disposition,
        Self::FollowUp,
        Self::Queries,
        Self::Accounts,
        Self::Blobs,
    ];
}

const REPORT: &str = "/v1/reports/{tracking_id}";

/// The routes of one group.
pub fn group(group: RouteGroup) -> Router<AppState> {
    let r = Router::new();
    match group {
        RouteGroup::Submission => r
            .route("/v1/reports", post(reports::submit))
            .route(&format!("{REPORT}/access"), post(reports::access))
            .route("/v1/attachments", post(attachments::create)),
        RouteGroup::Verification => r.route(
            &format!("{REPORT}/verification"),
            post(actions::verification),
        ),
        RouteGroup::Disposition => r
            .route(&format!("{REPORT}/dispositions"), post(actions::dispose))
            .route(&format!("{REPORT}/forward"), post(actions::forward))
            .route(&format!("{REPORT}/copies"), post(actions::copy))
            .route(
                &format!("{REPORT}/not-authority-requests"),
                post(actions::request_not_authority),
            )
            .route(
                &format!("{REPORT}/not-authority-requests/{{request_id}}/decision"),
                post(actions::decide_not_authority),
            ),
        RouteGroup::FollowUp => r
            .route(&format!("{REPORT}/follow-ups"), post(actions::follow_up))
            .route(&format!("{REPORT}/comments"), post(actions::comment))
            .route(&format!("{REPORT}/replies"), post(actions::reply))
            .route(&format!("{REPORT}/close"), post(actions::close))
            .route(&format!("{REPORT}/reopen"), post(actions::reopen))
            .route(&format!("{REPORT}/rating"), post(actions::rate))
            .route(REPORT, axum::routing::put(reports::complete)),
        RouteGroup::Queries => r
            .route("/v1/reports", get(reports::feed))
            .route(REPORT, get(reports::get_report))
            .route("/v1/inbox", get(inbox::inbox))
            .route("/v1/agencies", get(agencies::list))
            .route("/v1/agencies/{id}", get(agencies::get_agency))
            .route("/v1/attachments/{id}", get(attachments::download))
            .route("/v1/notifications", get(notifications::list))
            .route("/v1/me", get(accounts::me))
            .route("/health", get(health)),
        RouteGroup::Accounts => r
            .route("/v1/auth/register", post(accounts::register))
            .route("/v1/auth/login", post(accounts::login))
            .route("/v1/users", post(accounts::create_user))
            .route("/v1/agencies", post(agencies::create))
            .route("/v1/agencies/{id}", axum::routing::patch(agencies::patch))
            .route("/v1/notifications/read", post(notifications::mark_read)),
        RouteGroup::Blobs => r.route(
            "/v1/blobs/{*key}",
            axum::routing::put(attachments::put_blob)
                .get(attachments::get_blob)
                .layer(axum::extract::DefaultBodyLimit::max(
                    attachments::BLOB_BODY_LIMIT,
                )),
        ),
    }
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({"status": "ok"}))
}

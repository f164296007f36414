//! `/saya`: a signed-in citizen's own reports, newest change first, and their notifications,
//! marked read once shown.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use lapor_app::Cursor;
use lapor_app::notifications::NotificationView;
use lapor_domain::Actor;
use lapor_http::{AppState, cursor};
use serde::Deserialize;

use super::{Failure, Layout, see_other};
use crate::session::Visitor;
use crate::text::{self, ReportRow};

/// Reports per page.
const PAGE_SIZE: usize = 20;
/// Notifications shown.
const NOTIFICATIONS_SHOWN: usize = 20;

#[derive(Debug, Default, Deserialize)]
pub struct MineParams {
    /// Where this page of reports starts (`Berikutnya`).
    lanjut: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "mine.html")]
pub struct MinePage {
    layout: Layout,
    rows: Vec<ReportRow>,
    next: Option<String>,
    notifications: Vec<NotificationView>,
}

impl MinePage {
    fn when(&self, notification: &NotificationView) -> String {
        text::moment(notification.created_at)
    }
}

/// `GET /saya`; without a session, the sign-in page.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<MineParams>,
) -> Result<Response, Failure> {
    let Some(person) = visitor.actor.person() else {
        return Ok(see_other("/masuk"));
    };
    // The cursor names its list: another account's cannot be replayed here.
    let list = format!("web-mine:{}", person.id);
    let (rows, next) = match &visitor.actor {
        Actor::Citizen(_) => {
            let after: Option<Cursor> = params
                .lanjut
                .as_deref()
                .and_then(|c| cursor::decode(&state.tokens, &list, c).ok());
            let page = state
                .app
                .my_reports(&visitor.actor, PAGE_SIZE, after.as_ref())
                .await?;
            let next = page.next.map(|c| cursor::encode(&state.tokens, &list, &c));
            (page.items.iter().map(ReportRow::of).collect(), next)
        }
        // Staff follow reports in their work lists.
        _ => (Vec::new(), None),
    };
    let notifications = state
        .app
        .notifications_seen(&visitor.actor, NOTIFICATIONS_SHOWN)
        .await?;
    Ok(MinePage {
        layout: Layout::new("Laporan saya", &visitor),
        rows,
        next,
        notifications,
    }
    .into_response())
}

//! An agency's public profile (`/instansi/{id}`): what it does, where and how to reach it, how
//! long it has to answer, and its latest public reports.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use lapor_app::FeedQuery;
use lapor_domain::{Agency, AgencyId};
use lapor_http::AppState;

use super::{Failure, Layout};
use crate::session::Visitor;
use crate::text::ReportRow;

/// Public reports shown.
const REPORTS_SHOWN: usize = 10;

#[derive(Template, WebTemplate)]
#[template(path = "agency.html")]
pub struct AgencyPage {
    layout: Layout,
    agency: Agency,
    /// The agency above it, if any.
    parent: Option<Agency>,
    rows: Vec<ReportRow>,
}

/// `GET /instansi/{id}`.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<AgencyPage, Failure> {
    let id = AgencyId::parse(&id).map_err(|_| Failure::NotFound)?;
    let agency = state.app.agency(&id).await?;
    let parent = match agency.path.parent() {
        Some(parent) => Some(state.app.agency(parent).await?),
        None => None,
    };
    let rows = state
        .app
        .feed(&FeedQuery {
            agency_id: Some(id),
            limit: REPORTS_SHOWN,
            ..FeedQuery::default()
        })
        .await?
        .items
        .iter()
        .map(ReportRow::of)
        .collect();
    Ok(AgencyPage {
        layout: Layout::new(agency.name.as_str().to_string(), &visitor),
        agency,
        parent,
        rows,
    })
}

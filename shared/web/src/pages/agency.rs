//! An agency's public profile (`/instansi/{id}`): what it does, where and how to reach it, how
//! long it has to answer, its reporters' rating of its latest public reports, and those
//! reports.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use lapor_app::FeedQuery;
use lapor_domain::view::ReportSummary;
use lapor_domain::{Agency, AgencyId};
use lapor_http::AppState;

use super::{Failure, Layout};
use crate::session::Visitor;
use crate::text::ReportRow;

/// Public reports shown.
const REPORTS_SHOWN: usize = 10;
/// The latest public reports its rating is the average of (one page of the feed).
const REPORTS_RATED: usize = 100;

#[derive(Template, WebTemplate)]
#[template(path = "agency.html")]
pub struct AgencyPage {
    layout: Layout,
    agency: Agency,
    /// The agency above it, if any.
    parent: Option<Agency>,
    rows: Vec<ReportRow>,
    /// Its reporters' rating: the average stars, and of how many reports.
    rating: Option<(String, usize)>,
}

/// The average of the ratings among `reports`, written as Indonesians write decimals (`4,2`),
/// with how many were rated.
fn average_rating(reports: &[ReportSummary]) -> Option<(String, usize)> {
    let stars: Vec<u32> = reports
        .iter()
        .filter_map(|r| r.rating.as_ref().map(|rating| u32::from(rating.stars)))
        .collect();
    if stars.is_empty() {
        return None;
    }
    let average = f64::from(stars.iter().sum::<u32>()) / stars.len() as f64;
    Some((format!("{average:.1}").replace('.', ","), stars.len()))
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
    let reports = state
        .app
        .feed(&FeedQuery {
            agency_id: Some(id),
            limit: REPORTS_RATED,
            ..FeedQuery::default()
        })
        .await?
        .items;
    let rating = average_rating(&reports);
    let rows = reports
        .iter()
        .take(REPORTS_SHOWN)
        .map(ReportRow::of)
        .collect();
    Ok(AgencyPage {
        layout: Layout::new(agency.name.as_str().to_string(), &visitor),
        agency,
        parent,
        rows,
        rating,
    })
}

//! An agency's public profile (`/instansi/{id}`): what it does, where and how to reach it, how
//! long it has to answer, its reporters' rating, and its latest public reports.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use lapor_app::FeedQuery;
use lapor_domain::rating::{MIN_RATINGS, RatingTally};
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
    /// Its reporters' rating, in words.
    rating: String,
}

/// An agency's rating as its page says it: the average written as Indonesians write decimals
/// (`4,2`), and of how many ratings.
pub(crate) fn rating_in_words(tally: RatingTally) -> String {
    match tally.average() {
        Some(average) => format!(
            "{} dari 5, dari {} penilaian",
            format!("{average:.1}").replace('.', ","),
            tally.count
        ),
        None if tally.count == 0 => "Belum ada penilaian".to_string(),
        None => format!(
            "{} penilaian; rata-rata ditampilkan setelah {MIN_RATINGS} penilaian",
            tally.count
        ),
    }
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
    let latest = FeedQuery {
        agency_id: Some(id.clone()),
        limit: REPORTS_SHOWN,
        ..FeedQuery::default()
    };
    let (reports, rating) =
        tokio::try_join!(state.app.feed(&latest), state.app.agency_rating(&id))?;
    let rows = reports.items.iter().map(ReportRow::of).collect();
    Ok(AgencyPage {
        layout: Layout::new(agency.name.as_str().to_string(), &visitor),
        agency,
        parent,
        rows,
        rating: rating_in_words(rating),
    })
}

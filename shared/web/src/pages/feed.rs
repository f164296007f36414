//! The public feed (`/laporan`): published, non-confidential reports, newest first, with a
//! search by words and paging.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use lapor_app::index::search_words;
use lapor_app::{Cursor, FeedQuery};
use lapor_domain::category::Categories;
use lapor_domain::view::ReportSummary;
use lapor_http::{AppState, cursor};
use serde::Deserialize;

use super::{Failure, Layout};
use crate::session::Visitor;
use crate::text;

/// Reports per page.
const PAGE_SIZE: usize = 20;

#[derive(Debug, Default, Deserialize)]
pub struct FeedParams {
    /// The words searched for (`Cari`).
    #[serde(default)]
    q: String,
    /// Where this page starts (`Berikutnya`).
    lanjut: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "feed.html")]
pub struct FeedPage {
    layout: Layout,
    q: String,
    reports: Vec<ReportSummary>,
    next: Option<String>,
    categories: Categories,
}

impl FeedPage {
    fn status(&self, report: &ReportSummary) -> &'static str {
        text::status(report.status)
    }

    fn category<'a>(&'a self, report: &'a ReportSummary) -> &'a str {
        self.categories.name_of(&report.category)
    }

    fn when(&self, report: &ReportSummary) -> String {
        text::moment(report.updated_at)
    }
}

/// `GET /laporan`.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<FeedParams>,
) -> Result<FeedPage, Failure> {
    let words = search_words(&params.q);
    // The cursor is bound to the words, so it cannot be replayed against another search.
    let list = format!("web-feed:{words:?}");
    // A cursor of another list, or a forged one, starts from the first page.
    let after: Option<Cursor> = params
        .lanjut
        .as_deref()
        .and_then(|c| cursor::decode(&state.tokens, &list, c).ok());
    let page = state
        .app
        .feed(&FeedQuery {
            status: None,
            category: None,
            agency_id: None,
            words,
            limit: PAGE_SIZE,
            after,
        })
        .await?;
    let title = if params.q.trim().is_empty() {
        "Laporan publik".to_string()
    } else {
        format!("Laporan publik: {}", params.q.trim())
    };
    Ok(FeedPage {
        layout: Layout::new(title, &visitor),
        q: params.q,
        reports: page.items,
        next: page.next.map(|c| cursor::encode(&state.tokens, &list, &c)),
        categories: state.app.categories().await?,
    })
}

//! The attributes of a report that lists are queried by, derived in one place so that every
//! backend indexes the same thing.

use lapor_domain::worklist::{self, Listing};
use lapor_domain::{AgencyId, Report, Status};
use time::OffsetDateTime;

/// What lists filter and sort reports by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexFields {
    pub status: Status,
    pub holder: Option<AgencyId>,
    /// The agency the reporter addressed.
    pub target: Option<AgencyId>,
    pub category: String,
    /// Lower-case title and body, for word search.
    pub search_text: String,
    /// Sort key.
    pub updated_at: OffsetDateTime,
    /// The running deadline.
    pub due_at: Option<OffsetDateTime>,
    /// That deadline was marked overdue.
    pub overdue_marked: bool,
    /// The lists it is in.
    pub listings: Vec<Listing>,
}

impl IndexFields {
    /// Derives the index attributes of a report.
    pub fn of(report: &Report) -> Self {
        let s = report.submission();
        let deadline = report.current_deadline().map(|(_, d)| *d);
        Self {
            status: report.status(),
            holder: report.assigned().map(|a| a.id.clone()),
            target: s.target.as_ref().map(|a| a.id.clone()),
            category: s.category.as_str().to_string(),
            search_text: format!("{} {}", s.title.as_str(), s.body.as_str()).to_lowercase(),
            updated_at: report.updated_at(),
            due_at: deadline.map(|d| d.at),
            overdue_marked: deadline.is_some_and(|d| d.marked_overdue),
            listings: worklist::listings(report),
        }
    }
}

/// Splits a search text into lower-case words (at most 8, each at most 50 characters).
pub fn search_words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .take(8)
        .map(|w| w.chars().take(50).collect::<String>().to_lowercase())
        .collect()
}

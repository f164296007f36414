//! The attributes of a report that lists are queried by, derived in one place so that every
//! backend indexes the same thing.

use lapor_domain::{AgencyId, Report, Status};
use time::OffsetDateTime;

use crate::ports::{InboxBox, Scope};

/// A list a report appears in: the public feed, or one box of a work list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Listing {
    /// The public feed.
    Feed,
    /// A box of a work list.
    Box(Scope, InboxBox),
}

/// What lists filter and sort reports by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexFields {
    /// The status.
    pub status: Status,
    /// The holder.
    pub holder: Option<AgencyId>,
    /// The agency the reporter addressed.
    pub target: Option<AgencyId>,
    /// In the public feed: published and not confidential.
    pub public: bool,
    /// The category.
    pub category: String,
    /// Lower-case title and body, for word search.
    pub search_text: String,
    /// Sort key.
    pub updated_at: OffsetDateTime,
    /// The running deadline.
    pub due_at: Option<OffsetDateTime>,
    /// That deadline was marked overdue.
    pub overdue_marked: bool,
    /// Agencies with a copy.
    pub copies: Vec<AgencyId>,
    /// The parties of "not our authority" requests (`None`: the national admins).
    pub request_parties: Vec<Option<AgencyId>>,
}

impl IndexFields {
    /// Derives the index attributes of a report.
    pub fn of(report: &Report) -> Self {
        let s = &report.submission;
        let deadline = report.current_deadline().map(|(_, d)| *d);
        let mut request_parties = Vec::new();
        for r in &report.requests {
            for party in [Some(r.from.id.clone()), r.to.as_ref().map(|a| a.id.clone())] {
                if !request_parties.contains(&party) {
                    request_parties.push(party);
                }
            }
        }
        Self {
            status: report.status,
            holder: report.assigned().map(|a| a.id.clone()),
            target: s.target.as_ref().map(|a| a.id.clone()),
            public: report.status.is_published() && !s.confidential,
            category: s.category.as_str().to_string(),
            search_text: format!("{} {}", s.title.as_str(), s.body.as_str()).to_lowercase(),
            updated_at: report.updated_at,
            due_at: deadline.map(|d| d.at),
            overdue_marked: deadline.is_some_and(|d| d.marked_overdue),
            copies: report.copies.iter().map(|a| a.id.clone()).collect(),
            request_parties,
        }
    }

    /// Every list the report appears in. A backend that keeps one entry per list (DynamoDB)
    /// writes these; one that filters rows (SQLite) must agree with them, and the contract
    /// suite checks that both do.
    pub fn listings(&self) -> Vec<Listing> {
        use InboxBox::*;
        let mut listings = Vec::new();
        if self.public {
            listings.push(Listing::Feed);
        }
        let status_box = match self.status {
            Status::Submitted => Some(Verification),
            Status::Disposed => Some(Pending),
            Status::InProgress => Some(InProgress),
            Status::Closed => Some(Closed),
            Status::Returned | Status::Archived => None,
        };
        if let Some(status_box) = status_box {
            listings.push(Listing::Box(Scope::National, status_box));
            if let (Some(holder), Pending | InProgress | Closed) = (&self.holder, status_box) {
                listings.push(Listing::Box(Scope::Agency(holder.clone()), status_box));
            }
            if let (Some(target), Verification) = (&self.target, status_box) {
                listings.push(Listing::Box(Scope::Agency(target.clone()), Verification));
            }
        }
        if !self.copies.is_empty() {
            listings.push(Listing::Box(Scope::National, Copies));
        }
        for agency in &self.copies {
            listings.push(Listing::Box(Scope::Agency(agency.clone()), Copies));
        }
        for party in &self.request_parties {
            let scope = party.clone().map_or(Scope::National, Scope::Agency);
            listings.push(Listing::Box(scope, Requests));
        }
        listings.dedup();
        listings
    }
}

/// Splits a search text into lower-case words (at most 8, each at most 50 characters).
pub fn search_words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .take(8)
        .map(|w| w.chars().take(50).collect::<String>().to_lowercase())
        .collect()
}

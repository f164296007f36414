//! The work lists of seed 000 ("Kelola Laporan") and the public feed: which lists a report is in.
//! This is the one place the rule lives; every backend indexes exactly these lists, and the
//! store contract checks that both do.

use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, UserId};
use crate::report::{Report, Status};

/// Whose work list.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// The national admins: the whole country.
    National,
    /// One agency.
    Agency(AgencyId),
}

/// The boxes of a work list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InboxBox {
    /// Submitted, waiting for verification (for an agency: those addressed to it).
    Verification,
    /// Disposed, no follow-up yet (Belum Ditindaklanjuti).
    Pending,
    /// Sedang Diproses.
    InProgress,
    /// Selesai.
    Closed,
    /// Salinan: read-only copies.
    Copies,
    /// Riwayat Permintaan: "not our authority" requests made or to decide.
    Requests,
}

impl InboxBox {
    /// The boxes whose reports have a running deadline: those the work list counts.
    pub const COUNTED: [InboxBox; 3] = [Self::Verification, Self::Pending, Self::InProgress];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verification => "verification",
            Self::Pending => "pending",
            Self::InProgress => "in_progress",
            Self::Closed => "closed",
            Self::Copies => "copies",
            Self::Requests => "requests",
        }
    }

    /// Parses the API name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "verification" => Ok(Self::Verification),
            "pending" => Ok(Self::Pending),
            "in_progress" => Ok(Self::InProgress),
            "closed" => Ok(Self::Closed),
            "copies" => Ok(Self::Copies),
            "requests" => Ok(Self::Requests),
            _ => Err(
                "must be one of verification, pending, in_progress, closed, copies, requests"
                    .to_string(),
            ),
        }
    }

    /// The box a report in `status` is sorted into by its status, if any.
    fn of_status(status: Status) -> Option<Self> {
        match status {
            Status::Submitted => Some(Self::Verification),
            Status::Disposed => Some(Self::Pending),
            Status::InProgress => Some(Self::InProgress),
            Status::Closed => Some(Self::Closed),
            Status::Returned | Status::Archived => None,
        }
    }
}

/// A list a report appears in: the public feed, or one box of a work list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Listing {
    /// The public feed: published reports that are not confidential.
    Feed,
    /// A box of a work list.
    Box(Scope, InboxBox),
    /// The reports of one account: what its holder reported, signed in.
    Reporter(UserId),
}

impl Listing {
    /// The listing as one string, for a store's key or column: `feed`, `national/{box}` or
    /// `agency/{id}/{box}`.
    pub fn key(&self) -> String {
        match self {
            Self::Feed => "feed".to_string(),
            Self::Box(Scope::National, inbox) => format!("national/{}", inbox.as_str()),
            Self::Box(Scope::Agency(id), inbox) => format!("agency/{id}/{}", inbox.as_str()),
            Self::Reporter(user) => format!("reporter/{user}"),
        }
    }
}

/// True when the report is in the public feed.
pub fn is_public(report: &Report) -> bool {
    report.status().is_published() && !report.submission().confidential
}

/// Every list the report appears in.
///
/// The national admins see every box of the country; an agency sees in its status boxes the
/// reports it holds, and in `verification` those addressed to it; a copy puts the report in
/// the copy holder's `copies` (and the national one); each party of a "not our authority"
/// request (`None`: the national admins) sees it in `requests`; a reporter with an account has
/// their own list.
pub fn listings(report: &Report) -> Vec<Listing> {
    use InboxBox::*;
    let mut listings = Vec::new();
    if is_public(report) {
        listings.push(Listing::Feed);
    }
    if let Some(user) = &report.reporter().user_id {
        listings.push(Listing::Reporter(user.clone()));
    }
    if let Some(status_box) = InboxBox::of_status(report.status()) {
        listings.push(Listing::Box(Scope::National, status_box));
        let agency = match status_box {
            Verification => report.submission().target.as_ref(),
            _ => report.assigned(),
        };
        if let Some(agency) = agency {
            listings.push(Listing::Box(Scope::Agency(agency.id.clone()), status_box));
        }
    }
    if !report.copies().is_empty() {
        listings.push(Listing::Box(Scope::National, Copies));
    }
    for agency in report.copies() {
        listings.push(Listing::Box(Scope::Agency(agency.id.clone()), Copies));
    }
    for request in report.requests() {
        for party in [Some(&request.from), request.to.as_ref()] {
            let scope = party.map_or(Scope::National, |a| Scope::Agency(a.id.clone()));
            let listing = Listing::Box(scope, Requests);
            if !listings.contains(&listing) {
                listings.push(listing);
            }
        }
    }
    listings
}

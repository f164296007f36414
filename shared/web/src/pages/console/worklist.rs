//! `/admin/laporan`: the work list of the viewer's agency (national admins: the country), by
//! box, with the counts, a search, the page size and paging; each row as seed 000 shows it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use lapor_app::index::search_words;
use lapor_app::ports::{Cursor, InboxCounts, InboxQuery};
use lapor_app::reports::InboxItem;
use lapor_domain::worklist::{InboxBox, Scope};
use lapor_domain::{Actor, Status};
use lapor_http::{AppState, cursor};
use serde::Deserialize;

use super::Staff;
use crate::pages::agency::rating_in_words;
use crate::pages::{Failure, Layout};
use crate::text;

/// The page sizes offered; the first is the default.
const PAGE_SIZES: [usize; 3] = [20, 50, 100];

/// A box of the work list as the page names it: one of the API's boxes, or Terlambat, the
/// overdue reports of every box with a running deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Box(InboxBox),
    Overdue,
}

impl Tab {
    /// The boxes in the order seed 000 shows them.
    const ALL: [Tab; 7] = [
        Tab::Box(InboxBox::Verification),
        Tab::Box(InboxBox::Pending),
        Tab::Box(InboxBox::InProgress),
        Tab::Box(InboxBox::Closed),
        Tab::Box(InboxBox::Copies),
        Tab::Box(InboxBox::Requests),
        Tab::Overdue,
    ];

    /// Its value of `?box=`: the API's name of the box.
    fn key(self) -> &'static str {
        match self {
            Self::Box(inbox) => inbox.as_str(),
            Self::Overdue => "overdue",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|tab| tab.key() == raw)
    }

    /// Its name (UI.md).
    fn label(self) -> &'static str {
        match self {
            Self::Box(InboxBox::Verification) => "Verifikasi",
            Self::Box(InboxBox::Pending) => "Belum Ditindaklanjuti",
            Self::Box(InboxBox::InProgress) => "Sedang Diproses",
            Self::Box(InboxBox::Closed) => "Selesai",
            Self::Box(InboxBox::Copies) => "Salinan",
            Self::Box(InboxBox::Requests) => "Riwayat Permintaan",
            Self::Overdue => "Terlambat",
        }
    }

    /// How many it holds, for the boxes the work list counts.
    fn count(self, counts: &InboxCounts) -> Option<u64> {
        match self {
            Self::Box(InboxBox::Verification) => Some(counts.verification),
            Self::Box(InboxBox::Pending) => Some(counts.pending),
            Self::Box(InboxBox::InProgress) => Some(counts.in_progress),
            Self::Overdue => Some(counts.overdue),
            Self::Box(_) => None,
        }
    }

    /// Verification is for admins: the national ones, and an agency's for the reports
    /// addressed to it. A liaison officer never verifies.
    fn shown_to(self, actor: &Actor) -> bool {
        self != Self::Box(InboxBox::Verification) || !matches!(actor, Actor::LiaisonOfficer(..))
    }

    /// The box staff land in: verification for national admins, else what waits for a first
    /// follow-up.
    fn first(scope: &Scope) -> Self {
        match scope {
            Scope::National => Self::Box(InboxBox::Verification),
            Scope::Agency(_) => Self::Box(InboxBox::Pending),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct WorklistParams {
    /// The box (`?box=pending`).
    #[serde(rename = "box")]
    tab: Option<String>,
    /// The words or tracking id searched for (`Cari`).
    #[serde(default)]
    q: String,
    /// Rows per page.
    per: Option<String>,
    /// Where this page starts (`Berikutnya`).
    lanjut: Option<String>,
}

/// A link to a box, with its count when it has one.
pub struct TabLink {
    key: &'static str,
    /// Its name and count: `Belum Ditindaklanjuti: 2`.
    label: String,
    current: bool,
}

/// One report of the list, as seed 000 shows it.
pub struct WorkRow {
    tracking_id: String,
    title: String,
    status: &'static str,
    /// The flags, as words.
    flags: Vec<String>,
    /// `Terdisposisi: {agency}`.
    assigned: Option<String>,
    follow_ups: u32,
    /// Working days at its current status or holder.
    waiting: u32,
    updated: String,
}

impl WorkRow {
    fn of(item: &InboxItem) -> Self {
        let report = &item.summary;
        let mut flags = Vec::new();
        if report.anonymous {
            flags.push("Anonim".to_string());
        }
        if report.confidential {
            flags.push("Rahasia".to_string());
        }
        flags.push(text::channel(report.channel).to_string());
        if verified(report.status) {
            flags.push("Terverifikasi".to_string());
        }
        if item.overdue {
            flags.push(format!(
                "Belum diproses lebih dari {} hari",
                item.working_days_waiting
            ));
        }
        Self {
            tracking_id: report.tracking_id.to_string(),
            title: report.title.clone(),
            status: text::status(report.status),
            flags,
            assigned: report.assigned_agency.as_ref().map(|a| a.name.clone()),
            follow_ups: report.follow_ups,
            waiting: item.working_days_waiting,
            updated: text::moment(report.updated_at),
        }
    }
}

/// Verified: past the verification, and not sent back or archived by it.
fn verified(status: Status) -> bool {
    !matches!(
        status,
        Status::Submitted | Status::Returned | Status::Archived
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/worklist.html")]
pub struct WorklistPage {
    layout: Layout,
    /// "Kelola Laporan – {place}".
    place: String,
    name: String,
    /// The agency's rating, for an agency's staff.
    rating: Option<String>,
    tabs: Vec<TabLink>,
    current: Tab,
    q: String,
    per: usize,
    sizes: [usize; 3],
    rows: Vec<WorkRow>,
    next: Option<String>,
}

impl WorklistPage {
    fn current_key(&self) -> &'static str {
        self.current.key()
    }

    fn current_label(&self) -> &'static str {
        self.current.label()
    }
}

/// `GET /admin/laporan`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<WorklistParams>,
) -> Result<WorklistPage, Failure> {
    let actor = &staff.visitor.actor;
    // An unknown box or size is the default one: a hand-typed URL still shows a list.
    let current = params
        .tab
        .as_deref()
        .and_then(Tab::parse)
        .filter(|tab| tab.shown_to(actor))
        .unwrap_or(Tab::first(&staff.scope));
    let per = params
        .per
        .and_then(|p| p.parse().ok())
        .filter(|p| PAGE_SIZES.contains(p))
        .unwrap_or(PAGE_SIZES[0]);
    let words = search_words(&params.q);
    // The cursor names its list: one of another box, search or account starts from the top.
    let list = format!(
        "web-inbox:{:?}:{}:{words:?}:{per}",
        staff.scope,
        current.key()
    );
    let after: Option<Cursor> = params
        .lanjut
        .as_deref()
        .and_then(|c| cursor::decode(&state.tokens, &list, c).ok());
    let query = InboxQuery {
        scope: staff.scope.clone(),
        inbox: match current {
            Tab::Box(inbox) => inbox,
            Tab::Overdue => InboxBox::Pending,
        },
        words,
        overdue_only: false,
        now: state.app.clock.now(),
        limit: per,
        after,
    };
    let listed = match current {
        Tab::Box(_) => state.app.inbox(actor, &query).await?,
        Tab::Overdue => state.app.overdue_inbox(actor, &query).await?,
    };
    let (counts, page) = listed;
    let rating = match &staff.scope {
        Scope::National => None,
        Scope::Agency(id) => Some(rating_in_words(state.app.agency_rating(id).await?)),
    };
    let tabs = Tab::ALL
        .into_iter()
        .filter(|tab| tab.shown_to(actor))
        .map(|tab| TabLink {
            key: tab.key(),
            label: match tab.count(&counts) {
                Some(n) => format!("{}: {n}", tab.label()),
                None => tab.label().to_string(),
            },
            current: tab == current,
        })
        .collect();
    let title = format!("Kelola Laporan: {}", current.label());
    Ok(WorklistPage {
        layout: staff.layout(&state, title).await?,
        place: staff.place(&state).await?,
        name: staff.name().to_string(),
        rating,
        tabs,
        current,
        q: params.q,
        per,
        sizes: PAGE_SIZES,
        rows: page.items.iter().map(WorkRow::of).collect(),
        next: page.next.map(|c| cursor::encode(&state.tokens, &list, &c)),
    })
}

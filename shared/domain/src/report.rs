//! A report (laporan) and the state it carries between actions.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::agency::AgencyRef;
use crate::attachment::Attachment;
use crate::calendar::Zone;
use crate::fields::{
    Category, Classification, Contact, IncidentDate, Location, RatingComment, Reason, ReportBody,
    Stars, Title,
};
use crate::ids::{AgencyId, ReportId, RequestId, TrackingId, UserId};

/// Where a report stands. The names users know are in the docs of each status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Belum Terverifikasi: waiting for the national admin (or the target agency).
    Submitted,
    /// Dikembalikan / Ditunda: sent back to the reporter to complete.
    Returned,
    /// Diarsipkan: set aside with a reason; never published.
    Archived,
    /// Terverifikasi / Terdisposisi, "Belum Ditindaklanjuti": verified and, usually, assigned.
    Disposed,
    /// Proses, "Sedang Diproses": at least one follow-up.
    InProgress,
    /// Selesai.
    Closed,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 6] = [
        Self::Submitted,
        Self::Returned,
        Self::Archived,
        Self::Disposed,
        Self::InProgress,
        Self::Closed,
    ];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Archived => "archived",
            Self::Disposed => "disposed",
            Self::InProgress => "in_progress",
            Self::Closed => "closed",
        }
    }

    /// Parses the API name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                "must be one of submitted, returned, archived, disposed, in_progress, closed"
                    .to_string()
            })
    }

    /// Published statuses: verified reports the public may read (unless confidential).
    pub fn is_published(self) -> bool {
        matches!(self, Self::Disposed | Self::InProgress | Self::Closed)
    }
}

/// How a report reached the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The website.
    #[default]
    Web,
    /// The mobile app.
    Mobile,
    /// SMS 1708.
    Sms,
    SocialMedia,
    /// Entered by an admin (Form Manual).
    Manual,
    /// An integrated system.
    Api,
}

impl Channel {
    /// Parses the API name.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "web" => Ok(Self::Web),
            "mobile" => Ok(Self::Mobile),
            "sms" => Ok(Self::Sms),
            "social_media" => Ok(Self::SocialMedia),
            "manual" => Ok(Self::Manual),
            "api" => Ok(Self::Api),
            _ => Err("must be one of web, mobile, sms, social_media, manual, api".to_string()),
        }
    }
}

/// What the reporter writes: given at submission, replaced when a returned report is completed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Complaint, aspiration or information request.
    pub classification: Classification,
    /// Judul.
    pub title: Title,
    /// Isi: the chronology.
    pub body: ReportBody,
    /// Topic.
    pub category: Category,
    /// When it happened.
    pub incident_date: IncidentDate,
    /// Where it happened.
    pub location: Location,
    /// The agency the reporter addressed (instansi tujuan), which then verifies it itself.
    pub target: Option<AgencyRef>,
    /// The reporter's identity is hidden from agencies and the public.
    pub anonymous: bool,
    /// The report is visible only to its reporter, the national admins and the agencies it
    /// reaches.
    pub confidential: bool,
    /// How to reach a reporter without an account.
    #[serde(default)]
    pub contact: Contact,
    /// Uploaded files that go with it (checked by the app). Documents of the first release
    /// held an always-empty `attachment_ids` instead, which is ignored.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// Who reported it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reporter {
    /// The reporter's account, when signed in.
    pub user_id: Option<UserId>,
    /// The account's name, or the contact name given.
    pub name: Option<String>,
}

/// One step down the tree: the report was given `to` an agency `by` another (`None`: by the
/// national admins, or by the reporter's own choice of target).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The agency that holds the report.
    pub to: AgencyRef,
    /// The agency that gave it, `None` for the national level.
    pub by: Option<AgencyRef>,
}

/// Which deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Verification and first disposition: 3 working days.
    Verification,
    /// The assigned agency's answer: 5 working days by default, per agency.
    Response,
    /// Complete resolution: 60 working days.
    Resolution,
}

/// A deadline and whether the deadline check has marked it overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// When it falls due.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Marked overdue by the deadline check (once).
    #[serde(default)]
    pub marked_overdue: bool,
    /// Warned of one working day before it falls due (once).
    #[serde(default)]
    pub warned: bool,
}

/// The deadlines running now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// Until verification (and, for an unassigned report, its disposition).
    pub verification: Option<Deadline>,
    /// Until the assigned agency's first follow-up.
    pub response: Option<Deadline>,
    /// Until the report is closed.
    pub resolution: Option<Deadline>,
}

impl DeadlineKind {
    /// Every kind, in the order a report meets them.
    pub const ALL: [DeadlineKind; 3] = [Self::Verification, Self::Response, Self::Resolution];

    /// The API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verification => "verification",
            Self::Response => "response",
            Self::Resolution => "resolution",
        }
    }
}

impl Deadlines {
    /// The deadline of a kind.
    pub fn get(&self, kind: DeadlineKind) -> Option<&Deadline> {
        match kind {
            DeadlineKind::Verification => self.verification.as_ref(),
            DeadlineKind::Response => self.response.as_ref(),
            DeadlineKind::Resolution => self.resolution.as_ref(),
        }
    }

    /// The deadline of a kind, to change.
    pub fn get_mut(&mut self, kind: DeadlineKind) -> Option<&mut Deadline> {
        match kind {
            DeadlineKind::Verification => self.verification.as_mut(),
            DeadlineKind::Response => self.response.as_mut(),
            DeadlineKind::Resolution => self.resolution.as_mut(),
        }
    }
}

/// The disposer's answer to a "not our authority" request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDecision {
    /// Taken back (true) or refused.
    pub accepted: bool,
    /// Why.
    pub reason: Option<Reason>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A "not our authority" request (Bukan Wewenang).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAuthorityRequest {
    pub id: RequestId,
    /// The agency that asks.
    pub from: AgencyRef,
    /// The agency that disposed the report to it and decides; `None` for the national admins.
    pub to: Option<AgencyRef>,
    /// Why the report is not theirs.
    pub reason: Reason,
    /// When it was asked.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The answer, once given.
    pub decision: Option<RequestDecision>,
}

/// The reporter's rating of the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// One to five.
    pub stars: Stars,
    /// What they say.
    pub comment: Option<RatingComment>,
    /// The agency rated.
    pub agency_id: Option<AgencyId>,
}

/// A report and everything its actions have changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Internal id.
    pub(crate) id: ReportId,
    /// Public short code.
    pub(crate) tracking_id: TrackingId,
    /// What the reporter wrote.
    pub(crate) submission: Submission,
    /// How it came in.
    pub(crate) channel: Channel,
    /// Where it stands.
    pub(crate) status: Status,
    /// Who reported it.
    pub(crate) reporter: Reporter,
    /// The assignments from the top down; the last one holds the report.
    #[serde(default)]
    pub(crate) chain: Vec<Assignment>,
    /// Agencies with a read-only copy (Salinan).
    #[serde(default)]
    pub(crate) copies: Vec<AgencyRef>,
    /// Every agency the report was ever disposed, forwarded or copied to: with the target while
    /// it awaits verification, the agencies that may read it when it is confidential.
    #[serde(default)]
    pub(crate) audience: Vec<AgencyId>,
    /// When it was verified.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub(crate) verified_at: Option<OffsetDateTime>,
    /// The deadlines running.
    #[serde(default)]
    pub(crate) deadlines: Deadlines,
    /// How many follow-ups (Tindak Lanjut) it has had.
    #[serde(default)]
    pub(crate) follow_ups: u32,
    /// The last follow-up that the reporter (or an admin) has not answered: the auto-close clock.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub(crate) awaiting_reporter_since: Option<OffsetDateTime>,
    /// Since when the report has waited where it is: set when its status or holder changes.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) waiting_since: OffsetDateTime,
    /// Escalated to the admins above for being far past its response deadline; a new response
    /// deadline (another disposition) starts unescalated.
    #[serde(default)]
    pub(crate) escalated: bool,
    /// "Not our authority" requests, oldest first.
    #[serde(default)]
    pub(crate) requests: Vec<NotAuthorityRequest>,
    /// The reporter's rating.
    pub(crate) rating: Option<Rating>,
    /// Rated since it was last reopened: a reporter rates once per closing, so the agency's
    /// rating counts each answer once.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) rated: bool,
    /// When it was submitted.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) created_at: OffsetDateTime,
    /// When it last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) updated_at: OffsetDateTime,
    /// Bumped by every change; guards concurrent writers.
    pub(crate) version: u64,
}

/// What a report carries, read-only outside the domain: it changes only by its timeline.
impl Report {
    /// Internal id.
    pub fn id(&self) -> &ReportId {
        &self.id
    }

    /// Public short code.
    pub fn tracking_id(&self) -> &TrackingId {
        &self.tracking_id
    }

    /// What the reporter wrote.
    pub fn submission(&self) -> &Submission {
        &self.submission
    }

    /// How it came in.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// Where it stands.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Who reported it.
    pub fn reporter(&self) -> &Reporter {
        &self.reporter
    }

    /// The assignments from the top down; the last one holds the report.
    pub fn chain(&self) -> &[Assignment] {
        &self.chain
    }

    /// Agencies with a read-only copy (Salinan).
    pub fn copies(&self) -> &[AgencyRef] {
        &self.copies
    }

    /// Every agency the report was ever disposed, forwarded or copied to: with the target while
    /// it awaits verification, the agencies that may read it when it is confidential.
    pub fn audience(&self) -> &[AgencyId] {
        &self.audience
    }

    /// When it was verified.
    pub fn verified_at(&self) -> Option<OffsetDateTime> {
        self.verified_at
    }

    /// The deadlines running.
    pub fn deadlines(&self) -> &Deadlines {
        &self.deadlines
    }

    /// How many follow-ups (Tindak Lanjut) it has had.
    pub fn follow_ups(&self) -> u32 {
        self.follow_ups
    }

    /// The last follow-up that the reporter (or an admin) has not answered: the auto-close clock.
    pub fn awaiting_reporter_since(&self) -> Option<OffsetDateTime> {
        self.awaiting_reporter_since
    }

    /// Since when the report has waited where it is: set when its status or holder changes.
    pub fn waiting_since(&self) -> OffsetDateTime {
        self.waiting_since
    }

    /// Escalated to the admins above for being far past its response deadline; a new response
    /// deadline (another disposition) starts unescalated.
    pub fn escalated(&self) -> bool {
        self.escalated
    }

    /// "Not our authority" requests, oldest first.
    pub fn requests(&self) -> &[NotAuthorityRequest] {
        &self.requests
    }

    /// The reporter's rating.
    pub fn rating(&self) -> Option<&Rating> {
        self.rating.as_ref()
    }

    /// Rated since it was last reopened: a reporter rates once per closing.
    pub fn rated(&self) -> bool {
        self.rated
    }

    /// When it was submitted.
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }

    /// When it last changed.
    pub fn updated_at(&self) -> OffsetDateTime {
        self.updated_at
    }

    /// Bumped by every change; guards concurrent writers.
    pub fn version(&self) -> u64 {
        self.version
    }
}

impl Report {
    /// The agency that holds the report now.
    pub fn assigned(&self) -> Option<&AgencyRef> {
        self.chain.last().map(|a| &a.to)
    }

    /// The agency that gave the report to its holder: `None` for the national level.
    pub fn disposer(&self) -> Option<&AgencyRef> {
        self.chain.last().and_then(|a| a.by.as_ref())
    }

    /// The request waiting for a decision, if any.
    pub fn pending_request(&self) -> Option<&NotAuthorityRequest> {
        self.requests.iter().find(|r| r.decision.is_none())
    }

    /// True when the agency has (had) the report: disposed, forwarded or copied to it, or
    /// addressed to it and awaiting verification. A target passed over at verification, set
    /// aside by an archive, or replaced when the reporter completes the report, no longer has it.
    pub fn reached(&self, agency: &AgencyId) -> bool {
        self.audience.contains(agency) || self.awaits_verification_by(agency)
    }

    /// True when the report is addressed to the agency and waits to be verified (or completed
    /// by its reporter first).
    fn awaits_verification_by(&self, agency: &AgencyId) -> bool {
        matches!(self.status, Status::Submitted | Status::Returned)
            && self
                .submission
                .target
                .as_ref()
                .is_some_and(|target| target.id == *agency)
    }

    /// The time zone deadlines are counted in: the holder's, else the target's, else WIB.
    pub fn zone(&self) -> Zone {
        self.assigned()
            .or(self.submission.target.as_ref())
            .map(|a| a.zone)
            .unwrap_or_default()
    }

    /// The deadline that matters in the report's status, shown to its readers.
    pub fn current_deadline(&self) -> Option<(DeadlineKind, &Deadline)> {
        let kind = match self.status {
            Status::Submitted => DeadlineKind::Verification,
            Status::Disposed if self.deadlines.response.is_some() => DeadlineKind::Response,
            Status::Disposed => DeadlineKind::Verification,
            Status::InProgress => DeadlineKind::Resolution,
            Status::Returned | Status::Archived | Status::Closed => return None,
        };
        self.deadlines.get(kind).map(|d| (kind, d))
    }

    /// Overdue now: marked by the deadline check, or past due at `now`.
    pub fn is_overdue(&self, now: OffsetDateTime) -> bool {
        self.current_deadline()
            .is_some_and(|(_, d)| d.marked_overdue || d.at < now)
    }

    /// Adds an agency to the audience once.
    pub(crate) fn reach(&mut self, agency: &AgencyId) {
        if !self.audience.contains(agency) {
            self.audience.push(agency.clone());
        }
    }
}

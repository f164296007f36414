//! A report as one viewer may see it: the permission rules applied field by field.

use serde::Serialize;
use time::OffsetDateTime;

use crate::actor::{Actor, Role};
use crate::agency::AgencyRef;
use crate::attachment::{Attachment, ContentType};
use crate::event::{Entry, Event, EventKind};
use crate::fields::{Classification, Contact, IncidentDate, Location};
use crate::ids::{AgencyId, AttachmentId, EntryId, ReportId, RequestId, TrackingId, UserId};
use crate::permissions::{can_see, is_reporter, sees_contact, sees_internal, sees_reporter};
use crate::report::{Channel, DeadlineKind, NotAuthorityRequest, Report, Status};

/// An agency as a report names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgencyView {
    pub id: AgencyId,
    pub name: String,
}

impl From<&AgencyRef> for AgencyView {
    fn from(a: &AgencyRef) -> Self {
        Self {
            id: a.id.clone(),
            name: a.name.clone(),
        }
    }
}

/// The reporter, as far as the viewer may know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReporterView {
    /// Their account, for staff and themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<UserId>,
    pub name: String,
    /// How to reach them, for those who may.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

/// The deadline running now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueView {
    /// Which deadline.
    pub kind: DeadlineKind,
    /// When it falls due, in the holder's time zone.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Passed, or marked overdue.
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingView {
    /// One to five.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub stars: u8,
    /// What the reporter said.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub comment: Option<String>,
}

/// Who acted, as the viewer may know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorView {
    /// `citizen`, a staff role, or `system`.
    #[cfg_attr(feature = "openapi", schema(schema_with = actor_role_schema))]
    pub role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<AgencyId>,
    /// Their name, when the viewer may know it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One timeline entry as the viewer may see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryView {
    pub id: EntryId,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub actor: ActorView,
    /// The text of a follow-up, comment, reply, note or rating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The agency it went to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<AgencyId>,
    /// That agency's name when it went there: the chain "didisposisikan ke X oleh Y".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_name: Option<String>,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// An internal comment (seen by staff only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// The "not our authority" request it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    /// The stars of a rating.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub stars: Option<u8>,
    /// The deadline of an `overdue` entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DeadlineKind>,
}

/// A "not our authority" request, for staff.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestView {
    pub id: RequestId,
    /// The agency that asked.
    pub from: AgencyView,
    /// The agency that decides; `null` for the national admins.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub to: Option<AgencyView>,
    /// Why.
    pub reason: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `pending`, `accepted` or `rejected`.
    #[cfg_attr(feature = "openapi", schema(schema_with = request_status_schema))]
    pub status: &'static str,
}

/// The roles an entry's actor has: a person's, or the jobs'.
#[cfg(feature = "openapi")]
fn actor_role_schema() -> utoipa::openapi::schema::Object {
    let mut roles: Vec<&str> = [
        Role::Citizen,
        Role::NationalAdmin,
        Role::AgencyAdmin,
        Role::LiaisonOfficer,
    ]
    .map(Role::as_str)
    .to_vec();
    roles.push("system");
    crate::schema::words(
        &roles,
        "`citizen`, a staff role, or `system` (the scheduled jobs).",
    )
}

/// Where a "not our authority" request stands.
#[cfg(feature = "openapi")]
fn request_status_schema() -> utoipa::openapi::schema::Object {
    crate::schema::words(
        &["pending", "accepted", "rejected"],
        "`pending`, `accepted` or `rejected`.",
    )
}

impl From<&NotAuthorityRequest> for RequestView {
    fn from(r: &NotAuthorityRequest) -> Self {
        Self {
            id: r.id.clone(),
            from: (&r.from).into(),
            to: r.to.as_ref().map(Into::into),
            reason: r.reason.as_str().to_string(),
            at: r.at,
            status: match &r.decision {
                None => "pending",
                Some(d) if d.accepted => "accepted",
                Some(_) => "rejected",
            },
        }
    }
}

/// A report as `GET /v1/reports/{tracking_id}` shows it to one viewer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportView {
    /// Internal id.
    pub id: ReportId,
    /// Public short code.
    pub tracking_id: TrackingId,
    /// Kind of report.
    pub classification: Classification,
    pub title: String,
    pub body: String,
    pub category: String,
    /// When it happened.
    pub incident_date: IncidentDate,
    /// Where.
    pub location: Location,
    /// How it came in.
    pub channel: Channel,
    pub status: Status,
    /// The reporter's identity is hidden.
    pub anonymous: bool,
    /// Restricted to those it reached.
    pub confidential: bool,
    /// The reporter, or null when hidden from this viewer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reporter: Option<ReporterView>,
    /// The agency that holds it.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub assigned_agency: Option<AgencyView>,
    /// The agency the reporter addressed.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub target_agency: Option<AgencyView>,
    /// Agencies with a read-only copy.
    pub copies: Vec<AgencyView>,
    /// Number of follow-ups.
    pub follow_ups: u32,
    /// Submitted at.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Version, bumped by every change.
    pub version: u64,
    /// The deadline running now.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub due: Option<DueView>,
    /// The reporter's rating.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub rating: Option<RatingView>,
    /// Files, each with the timeline entry it came with; hidden with that entry.
    pub attachments: Vec<AttachmentView>,
    /// "Not our authority" requests, for staff who see internal matters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<Vec<RequestView>>,
    /// What happened, oldest first.
    pub timeline: Vec<EntryView>,
}

/// The report as `viewer` may see it, or `None` when they may not see it at all.
pub fn report_view(
    report: &Report,
    entries: &[Entry],
    viewer: &Actor,
    now: OffsetDateTime,
) -> Option<ReportView> {
    if !can_see(report, viewer) {
        return None;
    }
    let s = &report.submission;
    let internal = sees_internal(report, viewer);
    let reporter = sees_reporter(report, viewer).then(|| ReporterView {
        id: (viewer.is_staff() || is_reporter(report, viewer))
            .then(|| report.reporter.user_id.clone())
            .flatten(),
        name: report
            .reporter
            .name
            .clone()
            .unwrap_or_else(|| "Pelapor".to_string()),
        contact: sees_contact(report, viewer)
            .then(|| s.contact.clone())
            .filter(|c| !c.is_empty()),
    });
    let timeline: Vec<EntryView> = entries
        .iter()
        .filter_map(|e| entry_view(report, e, viewer, internal))
        .collect();
    Some(ReportView {
        id: report.id.clone(),
        tracking_id: report.tracking_id.clone(),
        classification: s.classification,
        title: s.title.as_str().to_string(),
        body: s.body.as_str().to_string(),
        category: s.category.as_str().to_string(),
        incident_date: s.incident_date,
        location: s.location.clone(),
        channel: report.channel,
        status: report.status,
        anonymous: s.anonymous,
        confidential: s.confidential,
        reporter,
        assigned_agency: report.assigned().map(Into::into),
        target_agency: s.target.as_ref().map(Into::into),
        copies: report.copies.iter().map(Into::into).collect(),
        follow_ups: report.follow_ups,
        created_at: report.created_at,
        updated_at: report.updated_at,
        version: report.version,
        due: report.current_deadline().map(|(kind, d)| DueView {
            kind,
            at: d.at.to_offset(report.zone().offset()),
            overdue: d.marked_overdue || d.at < now,
        }),
        rating: report.rating.as_ref().map(|r| RatingView {
            stars: r.stars.get(),
            comment: r.comment.as_ref().map(|c| c.as_str().to_string()),
        }),
        attachments: attachments_of(report, entries)
            .into_iter()
            .filter(|(entry, _)| timeline.iter().any(|shown| shown.id == entry.id))
            .map(|(entry, file)| AttachmentView {
                id: file.id.clone(),
                filename: file.filename.as_str().to_string(),
                content_type: file.content_type,
                size: file.size,
                entry_id: entry.id.clone(),
            })
            .collect(),
        requests: internal.then(|| report.requests.iter().map(Into::into).collect()),
        timeline,
    })
}

/// A file as the report lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    /// Its id (`GET /v1/attachments/{id}` downloads it).
    pub id: AttachmentId,
    /// The uploader's name for it.
    pub filename: String,
    pub content_type: ContentType,
    /// Its size in bytes.
    pub size: u64,
    /// The timeline entry it came with.
    pub entry_id: EntryId,
}

/// Every file of a report with the entry it came with: the current submission's files with
/// the entry that made it (`submitted`, or the latest `completed`), the others with their
/// follow-up or reply.
fn attachments_of<'a>(
    report: &'a Report,
    entries: &'a [Entry],
) -> Vec<(&'a Entry, &'a Attachment)> {
    let mut files = Vec::new();
    let submission_entry = entries
        .iter()
        .rev()
        .find(|e| matches!(e.event, Event::Submitted | Event::Completed { .. }));
    if let Some(entry) = submission_entry {
        files.extend(report.submission.attachments.iter().map(|a| (entry, a)));
    }
    for entry in entries {
        if let Event::FollowUp { attachments, .. } | Event::Reply { attachments, .. } = &entry.event
        {
            files.extend(attachments.iter().map(|a| (entry, a)));
        }
    }
    files
}

fn entry_view(report: &Report, entry: &Entry, viewer: &Actor, internal: bool) -> Option<EntryView> {
    let staff_viewer = viewer.is_staff() || matches!(viewer, Actor::System);
    let involved = staff_viewer || is_reporter(report, viewer);
    let stamp = &entry.actor;
    let name = if stamp.reporter {
        sees_reporter(report, viewer)
            .then(|| stamp.name.clone())
            .flatten()
    } else {
        staff_viewer.then(|| stamp.name.clone()).flatten()
    };
    let mut view = EntryView {
        id: entry.id.clone(),
        kind: entry.event.kind(),
        at: entry.at,
        actor: ActorView {
            // A reporter without an account (by access code, or the submission itself) is a
            // citizen all the same; only the jobs act as `system`.
            role: stamp.role.map(Role::as_str).unwrap_or(if stamp.reporter {
                "citizen"
            } else {
                "system"
            }),
            agency_id: stamp.agency_id.clone(),
            name,
        },
        body: None,
        agency_id: None,
        agency_name: None,
        reason: None,
        internal: false,
        request_id: None,
        stars: None,
        deadline: None,
    };
    let text = |t: &str| Some(t.to_string());
    match &entry.event {
        Event::Submitted | Event::Completed { .. } | Event::AutoClosed => {}
        Event::Verified { assign, .. } => {
            if let Some(to) = assign {
                view.went_to(to);
            }
        }
        Event::Returned { reason } | Event::Archived { reason } => {
            view.reason = involved.then(|| reason.as_str().to_string());
        }
        Event::Disposed { to, note, .. } | Event::Forwarded { to, note, .. } => {
            view.went_to(to);
            view.body = note
                .as_ref()
                .filter(|_| staff_viewer)
                .and_then(|n| text(n.as_str()));
        }
        Event::Copied { to } => view.went_to(to),
        Event::FollowUp { body, .. } | Event::Reply { body, .. } => view.body = text(body.as_str()),
        Event::Comment {
            body,
            internal: is_internal,
        } => {
            if *is_internal && !internal {
                return None;
            }
            view.body = text(body.as_str());
            view.internal = *is_internal;
        }
        Event::NotAuthorityRequested { request_id, reason } => {
            view.request_id = Some(request_id.clone());
            view.reason = internal.then(|| reason.as_str().to_string());
        }
        Event::NotAuthorityAccepted {
            request_id, reason, ..
        }
        | Event::NotAuthorityRejected { request_id, reason } => {
            view.request_id = Some(request_id.clone());
            view.reason = reason
                .as_ref()
                .filter(|_| internal)
                .map(|r| r.as_str().to_string());
        }
        Event::Closed { note } => view.body = note.as_ref().and_then(|n| text(n.as_str())),
        Event::Reopened { reason } => view.reason = text(reason.as_str()),
        Event::Rated { stars, comment } => {
            view.stars = Some(stars.get());
            view.body = comment.as_ref().and_then(|c| text(c.as_str()));
        }
        Event::Overdue { deadline } => view.deadline = Some(*deadline),
        // A reminder to the staff, not news for the reporter or the public.
        Event::DeadlineWarning { .. } if !staff_viewer => return None,
        Event::DeadlineWarning { deadline } => view.deadline = Some(*deadline),
        Event::Escalated { to } => view.agency_id = to.clone(),
    }
    Some(view)
}

impl EntryView {
    /// The entry sent the report to `agency`.
    fn went_to(&mut self, agency: &AgencyRef) {
        self.agency_id = Some(agency.id.clone());
        self.agency_name = Some(agency.name.clone());
    }
}

/// A line of a list (the public feed, the work list): what a viewer may see of a report
/// without its timeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSummary {
    /// Internal id.
    pub id: ReportId,
    /// Public short code.
    pub tracking_id: TrackingId,
    /// Kind of report.
    pub classification: Classification,
    pub title: String,
    pub body: String,
    pub category: String,
    pub status: Status,
    pub channel: Channel,
    /// The reporter's identity is hidden.
    pub anonymous: bool,
    /// Restricted to those it reached.
    pub confidential: bool,
    /// The reporter, or null when hidden from this viewer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reporter: Option<ReporterView>,
    /// The agency that holds it.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub assigned_agency: Option<AgencyView>,
    /// Number of follow-ups.
    pub follow_ups: u32,
    /// Submitted at.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// The deadline running now.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub due: Option<DueView>,
    /// The reporter's rating of the answer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub rating: Option<RatingView>,
}

/// The summary `viewer` may see, or `None` when the report is hidden from them.
pub fn report_summary(
    report: &Report,
    viewer: &Actor,
    now: OffsetDateTime,
) -> Option<ReportSummary> {
    let full = report_view(report, &[], viewer, now)?;
    Some(ReportSummary {
        id: full.id,
        tracking_id: full.tracking_id,
        classification: full.classification,
        title: full.title,
        body: full.body,
        category: full.category,
        status: full.status,
        channel: full.channel,
        anonymous: full.anonymous,
        confidential: full.confidential,
        reporter: full.reporter,
        assigned_agency: full.assigned_agency,
        follow_ups: full.follow_ups,
        created_at: full.created_at,
        updated_at: full.updated_at,
        due: full.due,
        rating: full.rating,
    })
}

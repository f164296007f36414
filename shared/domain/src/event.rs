//! What happened to a report: the events the actions decide, recorded as timeline entries and
//! folded into the report's state by [`Report::apply`].

use serde::{Deserialize, Serialize};
use strum::{EnumDiscriminants, EnumIter, IntoStaticStr};
use time::OffsetDateTime;

use crate::actor::{Actor, Role};
use crate::agency::AgencyRef;
use crate::attachment::Attachment;
use crate::fields::{Category, Message, Note, RatingComment, Reason, Stars, Title};
use crate::ids::{AgencyId, EntryId, ReportId, RequestId, UserId};
use crate::report::{
    Assignment, Deadline, DeadlineKind, Rating, Report, RequestDecision, Status, Submission,
};

/// The flags and fields an admin may correct at verification. Flags can only be raised: an
/// admin never removes the protection a reporter asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Corrections {
    /// A clearer title.
    pub title: Option<Title>,
    /// The right category.
    pub category: Option<Category>,
    /// Hide the reporter's identity.
    pub anonymous: bool,
    /// Restrict the report to those it reaches.
    pub confidential: bool,
}

/// One thing that happened to a report. Its kind, [`EventKind`], names the timeline entry, the
/// outbox message, the integration event and the notification text alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, EnumDiscriminants)]
#[serde(tag = "type", rename_all = "snake_case")]
#[strum_discriminants(
    name(EventKind),
    derive(Hash, Serialize, Deserialize, EnumIter, IntoStaticStr),
    serde(rename_all = "snake_case"),
    strum(serialize_all = "snake_case")
)]
#[cfg_attr(
    feature = "openapi",
    strum_discriminants(
        derive(utoipa::ToSchema),
        schema(description = "What happened: a timeline entry's type (more may be added).")
    )
)]
pub enum Event {
    /// Sent in by the reporter.
    Submitted,
    /// Verified by an admin; assigned to the target agency when the reporter named one.
    Verified {
        /// What the admin corrected.
        corrections: Corrections,
        /// The target agency, which now holds the report.
        assign: Option<AgencyRef>,
        /// Until the holder answers (or, unassigned, until the national admins dispose it).
        #[serde(with = "time::serde::rfc3339")]
        response_due: OffsetDateTime,
        /// Until it must be resolved.
        #[serde(with = "time::serde::rfc3339")]
        resolution_due: OffsetDateTime,
    },
    /// Sent back to the reporter to complete.
    Returned {
        /// What is missing.
        reason: Reason,
    },
    /// Completed by the reporter after a return.
    Completed {
        /// The new submission.
        submission: Box<Submission>,
        /// A fresh verification deadline.
        #[serde(with = "time::serde::rfc3339")]
        verification_due: OffsetDateTime,
    },
    /// Archived with a reason.
    Archived {
        /// Why.
        reason: Reason,
    },
    /// Given to an agency below the disposer.
    Disposed {
        /// The agency that now holds it.
        to: AgencyRef,
        /// The agency that gave it; `None` for the national level.
        by: Option<AgencyRef>,
        /// Instructions.
        note: Option<Note>,
        /// Until the new holder answers.
        #[serde(with = "time::serde::rfc3339")]
        response_due: OffsetDateTime,
    },
    /// Handed to a sibling unit (Teruskan).
    Forwarded {
        /// The unit that now holds it.
        to: AgencyRef,
        /// Why.
        note: Option<Note>,
        /// Until the new holder answers.
        #[serde(with = "time::serde::rfc3339")]
        response_due: OffsetDateTime,
    },
    /// A read-only copy given to an agency (Salinan).
    Copied {
        /// The agency.
        to: AgencyRef,
    },
    /// The holder's answer (Tindak Lanjut).
    FollowUp {
        /// The answer.
        body: Message,
        /// Files that came with it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    /// A comment; an internal one is for staff only.
    Comment {
        /// The text.
        body: Message,
        /// For staff only.
        internal: bool,
    },
    /// The reporter's answer.
    Reply {
        /// The text.
        body: Message,
        /// Files that came with it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    /// The holder asks its disposer to take the report back.
    NotAuthorityRequested {
        request_id: RequestId,
        /// Why it is not theirs.
        reason: Reason,
    },
    /// The disposer takes it back.
    NotAuthorityAccepted {
        request_id: RequestId,
        /// Why.
        reason: Option<Reason>,
        /// Until the disposer disposes it again.
        #[serde(with = "time::serde::rfc3339")]
        response_due: OffsetDateTime,
    },
    /// The disposer refuses: the holder keeps it.
    NotAuthorityRejected {
        request_id: RequestId,
        /// Why.
        reason: Option<Reason>,
    },
    /// Closed by the holder.
    Closed {
        /// A closing note.
        note: Option<Note>,
    },
    /// Closed by itself after 10 quiet working days.
    AutoClosed,
    /// Opened again.
    Reopened {
        /// Why.
        reason: Reason,
    },
    /// Rated by the reporter.
    Rated {
        /// One to five.
        stars: Stars,
        /// What they say.
        comment: Option<RatingComment>,
    },
    /// A deadline passed.
    Overdue {
        /// Which one.
        deadline: DeadlineKind,
    },
    /// A deadline falls due on the next working day: its holder is warned.
    DeadlineWarning {
        /// Which one.
        deadline: DeadlineKind,
    },
    /// Far overdue: raised to the admins above the holder.
    Escalated {
        /// The agency above, `None` for the national admins.
        to: Option<AgencyId>,
    },
}

impl Event {
    /// What kind of event it is.
    pub fn kind(&self) -> EventKind {
        self.into()
    }
}

impl EventKind {
    /// The timeline `type` the API shows, such as `follow_up`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Who did it, as the timeline records them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorStamp {
    /// Their role; `None` for the system's jobs.
    pub role: Option<Role>,
    /// Their account.
    pub user_id: Option<UserId>,
    pub name: Option<String>,
    pub agency_id: Option<AgencyId>,
    /// True when the report's own reporter acted.
    pub reporter: bool,
}

impl ActorStamp {
    /// Stamps an actor, who is or is not the report's reporter.
    pub fn of(actor: &Actor, reporter: bool) -> Self {
        Self {
            role: actor.role(),
            user_id: actor.person().map(|p| p.id.clone()),
            name: actor.person().map(|p| p.name.clone()),
            agency_id: actor.agency_id().cloned(),
            reporter,
        }
    }

    /// True for a national admin or an agency admin.
    pub fn is_admin(&self) -> bool {
        matches!(self.role, Some(Role::NationalAdmin | Role::AgencyAdmin))
    }
}

/// A timeline entry: one recorded event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Its id (a ULID, so entries sort by time).
    pub id: EntryId,
    pub report_id: ReportId,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub actor: ActorStamp,
    /// What.
    pub event: Event,
}

impl Report {
    /// The report its timeline makes of this one: each change's entries folded in, in order.
    pub fn replay<'a>(&self, changes: impl IntoIterator<Item = &'a [Entry]>) -> Report {
        let mut report = self.clone();
        for change in changes {
            for entry in change {
                report.apply(entry);
            }
            report.count_change();
        }
        report
    }

    /// Moves the version on by one: once per change written, however many entries it has.
    pub(crate) fn count_change(&mut self) {
        self.version += 1;
    }

    /// Folds one entry into the report. Every state change of a report happens here, so the
    /// state is always what its timeline says.
    pub(crate) fn apply(&mut self, entry: &Entry) {
        let at = entry.at;
        let before = (self.status, self.assigned().map(|a| a.id.clone()));
        self.updated_at = at;
        self.apply_event(entry);
        if before != (self.status, self.assigned().map(|a| a.id.clone())) {
            self.waiting_since = at;
        }
    }

    fn apply_event(&mut self, entry: &Entry) {
        let at = entry.at;
        match &entry.event {
            Event::Submitted => {}
            Event::Verified {
                corrections,
                assign,
                response_due,
                resolution_due,
            } => {
                let s = &mut self.submission;
                if let Some(title) = &corrections.title {
                    s.title = title.clone();
                }
                if let Some(category) = &corrections.category {
                    s.category = category.clone();
                }
                s.anonymous |= corrections.anonymous;
                s.confidential |= corrections.confidential;
                if let Some(agency) = assign {
                    self.chain.push(Assignment {
                        to: agency.clone(),
                        by: None,
                    });
                    self.reach(&agency.id);
                }
                self.status = Status::Disposed;
                self.verified_at = Some(at);
                self.deadlines.verification = None;
                self.deadlines.response = Some(due(*response_due));
                self.deadlines.resolution = Some(due(*resolution_due));
            }
            Event::Returned { .. } => {
                self.status = Status::Returned;
                self.deadlines.verification = None;
            }
            Event::Completed {
                submission,
                verification_due,
            } => {
                self.submission = (**submission).clone();
                self.status = Status::Submitted;
                self.deadlines.verification = Some(due(*verification_due));
            }
            Event::Archived { .. } => {
                self.status = Status::Archived;
                self.deadlines.verification = None;
            }
            Event::Disposed {
                to,
                by,
                response_due,
                ..
            } => {
                self.chain.push(Assignment {
                    to: to.clone(),
                    by: by.clone(),
                });
                self.reach(&to.id);
                self.status = Status::Disposed;
                self.deadlines.response = Some(due(*response_due));
                self.escalated = false;
            }
            Event::Forwarded {
                to, response_due, ..
            } => {
                if let Some(last) = self.chain.last_mut() {
                    last.to = to.clone();
                }
                self.reach(&to.id);
                self.status = Status::Disposed;
                self.deadlines.response = Some(due(*response_due));
                self.escalated = false;
            }
            Event::Copied { to } => {
                self.copies.push(to.clone());
                self.reach(&to.id);
            }
            Event::FollowUp { .. } => {
                self.follow_ups += 1;
                self.status = Status::InProgress;
                self.deadlines.response = None;
                self.awaiting_reporter_since = Some(at);
            }
            Event::Comment { .. } => {
                // A word from the reporter or an admin stops the auto-close clock (seed 003).
                if entry.actor.reporter || entry.actor.is_admin() {
                    self.awaiting_reporter_since = None;
                }
            }
            Event::Reply { .. } => self.awaiting_reporter_since = None,
            Event::NotAuthorityRequested { request_id, reason } => {
                if let Some(from) = self.assigned().cloned() {
                    self.requests.push(crate::report::NotAuthorityRequest {
                        id: request_id.clone(),
                        from,
                        to: self.disposer().cloned(),
                        reason: reason.clone(),
                        at,
                        decision: None,
                    });
                }
            }
            Event::NotAuthorityAccepted {
                request_id,
                reason,
                response_due,
            } => {
                self.decide_request(request_id, true, reason.clone(), at);
                self.chain.pop();
                self.status = Status::Disposed;
                self.deadlines.response = Some(due(*response_due));
                self.escalated = false;
            }
            Event::NotAuthorityRejected { request_id, reason } => {
                self.decide_request(request_id, false, reason.clone(), at);
            }
            Event::Closed { .. } | Event::AutoClosed => {
                self.status = Status::Closed;
                self.deadlines.response = None;
                self.deadlines.resolution = None;
                self.awaiting_reporter_since = None;
            }
            Event::Reopened { .. } => {
                self.status = Status::InProgress;
                self.awaiting_reporter_since = None;
                // The answer was not the end: its next closing may be rated.
                self.rated = false;
            }
            Event::Rated { stars, comment } => {
                self.rating = Some(Rating {
                    stars: *stars,
                    comment: comment.clone(),
                    agency_id: self.assigned().map(|a| a.id.clone()),
                });
                self.rated = true;
            }
            Event::Overdue { deadline } => {
                if let Some(d) = self.deadlines.get_mut(*deadline) {
                    d.marked_overdue = true;
                }
            }
            Event::DeadlineWarning { deadline } => {
                if let Some(d) = self.deadlines.get_mut(*deadline) {
                    d.warned = true;
                }
            }
            Event::Escalated { .. } => self.escalated = true,
        }
    }

    fn decide_request(
        &mut self,
        id: &RequestId,
        accepted: bool,
        reason: Option<Reason>,
        at: OffsetDateTime,
    ) {
        if let Some(request) = self.requests.iter_mut().find(|r| &r.id == id) {
            request.decision = Some(RequestDecision {
                accepted,
                reason,
                at,
            });
        }
    }
}

fn due(at: OffsetDateTime) -> Deadline {
    Deadline {
        at,
        marked_overdue: false,
        warned: false,
    }
}

//! One decide function per action: `(report, actor, command, context) -> events or violation`.
//!
//! Each checks, in this order, so that nothing leaks: the actor may see the report (else
//! [`Violation::NotFound`]), may take the action (else `Forbidden`), the status allows it (else
//! `Conflict`), and the command's own rules (else `Invalid` or `Conflict`).

use time::OffsetDateTime;

use crate::actor::Actor;
use crate::agency::AgencyRef;
use crate::attachment::Attachment;
use crate::calendar::{Calendar, Zone};
use crate::destinations::{Destinations, verifier_keeps};
use crate::event::{ActorStamp, Corrections, Event};
use crate::fields::{Category, Message, Note, RatingComment, Reason, Stars, Title, WorkingDays};
use crate::ids::{EntryId, ReportId, RequestId, TrackingId};
use crate::lifecycle::{self, Action};
use crate::permissions;
use crate::record::{self, Recorded};
use crate::report::{Channel, DeadlineKind, Report, Reporter, Status, Submission};
use crate::schedule;
use crate::violation::Violation;

/// What every decision needs besides the report and the actor.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The moment of the action.
    pub now: OffsetDateTime,
    /// The working-day calendar.
    pub calendar: &'a Calendar,
}

impl Context<'_> {
    fn deadline(&self, days: WorkingDays, zone: Zone) -> OffsetDateTime {
        self.calendar.deadline(self.now, days, zone)
    }

    /// The response deadline of an agency, or the national admins' disposition deadline.
    fn response_due(&self, agency: Option<&AgencyRef>) -> OffsetDateTime {
        match agency {
            Some(a) => self.deadline(a.response_days, a.zone),
            None => self.deadline(WorkingDays::VERIFICATION, Zone::Wib),
        }
    }
}

/// What verification decides.
#[derive(Clone, Debug, PartialEq)]
pub enum Verification {
    /// Verify, correct, and possibly dispose at once.
    Verify {
        /// Dispose it to this agency too.
        dispose_to: Option<AgencyRef>,
        /// A clearer title.
        title: Option<Title>,
        /// The right category.
        category: Option<Category>,
        /// Set or keep the anonymous flag.
        anonymous: Option<bool>,
        /// Set or keep the confidential flag.
        confidential: Option<bool>,
    },
    /// Return it to the reporter for completion.
    Return {
        /// What is missing.
        reason: Reason,
    },
    Archive {
        /// Why.
        reason: Reason,
    },
}

/// An action with its input, already parsed; agencies it names are already looked up.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Verification(Verification),
    /// The reporter completes a returned report.
    Complete(Box<Submission>),
    /// Dispose to an agency below.
    Dispose {
        /// The agency.
        to: AgencyRef,
        /// Instructions.
        note: Option<Note>,
    },
    /// Forward to a sibling unit.
    Forward {
        /// The unit.
        to: AgencyRef,
        /// Why.
        note: Option<Note>,
    },
    /// Copy to an agency.
    Copy {
        /// The agency.
        to: AgencyRef,
    },
    FollowUp {
        /// The answer.
        body: Message,
        /// Files that go with it, checked by the app.
        attachments: Vec<Attachment>,
    },
    Comment {
        /// The text.
        body: Message,
        /// For staff only.
        internal: bool,
    },
    /// The reporter replies.
    Reply {
        /// The text.
        body: Message,
        /// Files that go with it, checked by the app.
        attachments: Vec<Attachment>,
    },
    /// Ask the disposer to take it back.
    RequestNotAuthority {
        /// A fresh id for the request.
        request_id: RequestId,
        /// Why.
        reason: Reason,
    },
    /// Decide a request.
    DecideNotAuthority {
        request_id: RequestId,
        /// Take it back?
        accept: bool,
        /// Why.
        reason: Option<Reason>,
        /// When accepting: dispose it on at once.
        dispose_to: Option<AgencyRef>,
    },
    Close {
        /// A closing note.
        note: Option<Note>,
    },
    /// Close after 10 quiet working days.
    AutoClose,
    /// Open again.
    Reopen {
        /// Why.
        reason: Reason,
    },
    /// Rate the answer.
    Rate {
        /// One to five.
        stars: Stars,
        /// What they say.
        comment: Option<RatingComment>,
    },
    /// Mark a passed deadline.
    MarkOverdue(DeadlineKind),
    /// Warn that a deadline falls due on the next working day.
    WarnDeadline(DeadlineKind),
    /// Raise a report far past its response deadline to the admins above its holder.
    Escalate,
}

impl Command {
    /// The category the command files the report under, if it names one: the code to store
    /// is put in its place.
    pub fn category_mut(&mut self) -> Option<&mut Category> {
        match self {
            Self::Verification(Verification::Verify { category, .. }) => category.as_mut(),
            Self::Complete(submission) => Some(&mut submission.category),
            _ => None,
        }
    }

    /// The lifecycle action this command takes.
    pub fn action(&self) -> Action {
        match self {
            Self::Verification(Verification::Verify { .. }) => Action::Verify,
            Self::Verification(Verification::Return { .. }) => Action::Return,
            Self::Verification(Verification::Archive { .. }) => Action::Archive,
            Self::Complete(_) => Action::Complete,
            Self::Dispose { .. } => Action::Dispose,
            Self::Forward { .. } => Action::Forward,
            Self::Copy { .. } => Action::Copy,
            Self::FollowUp { .. } => Action::FollowUp,
            Self::Comment { .. } => Action::Comment,
            Self::Reply { .. } => Action::Reply,
            Self::RequestNotAuthority { .. } => Action::RequestNotAuthority,
            Self::DecideNotAuthority { .. } => Action::DecideNotAuthority,
            Self::Close { .. } => Action::Close,
            Self::AutoClose => Action::AutoClose,
            Self::Reopen { .. } => Action::Reopen,
            Self::Rate { .. } => Action::Rate,
            Self::MarkOverdue(_) => Action::MarkOverdue,
            Self::WarnDeadline(_) => Action::WarnDeadline,
            Self::Escalate => Action::Escalate,
        }
    }
}

/// Decides any command: the single entry point the app calls.
pub fn decide(
    report: &Report,
    actor: &Actor,
    command: Command,
    ctx: &Context,
) -> Result<Vec<Event>, Violation> {
    guard(report, actor, command.action())?;
    match command {
        Command::Verification(v) => verification(report, actor, v, ctx),
        Command::Complete(submission) => complete(*submission, ctx),
        Command::Dispose { to, note } => dispose(report, to, note, ctx),
        Command::Forward { to, note } => forward(report, to, note, ctx),
        Command::Copy { to } => copy(report, to),
        Command::FollowUp { body, attachments } => Ok(vec![Event::FollowUp { body, attachments }]),
        Command::Comment { body, internal } => comment(actor, body, internal),
        Command::Reply { body, attachments } => Ok(vec![Event::Reply { body, attachments }]),
        Command::RequestNotAuthority { request_id, reason } => {
            request_not_authority(report, request_id, reason)
        }
        Command::DecideNotAuthority {
            request_id,
            accept,
            reason,
            dispose_to,
        } => decide_not_authority(report, request_id, accept, reason, dispose_to, ctx),
        Command::Close { note } => Ok(vec![Event::Closed { note }]),
        Command::AutoClose => auto_close(report, ctx),
        Command::Reopen { reason } => Ok(vec![Event::Reopened { reason }]),
        Command::Rate { stars, comment } => rate(report, stars, comment),
        Command::MarkOverdue(kind) => mark_overdue(report, kind, ctx),
        Command::WarnDeadline(kind) => warn_deadline(report, kind, ctx),
        Command::Escalate => escalate(report, ctx),
    }
}

/// See, may, status: the three checks every action passes first.
fn guard(report: &Report, actor: &Actor, action: Action) -> Result<(), Violation> {
    if !permissions::can_see(report, actor) {
        return Err(Violation::NotFound);
    }
    if !permissions::may(action, report, actor) {
        return Err(Violation::Forbidden(
            "you may not take this action on this report".to_string(),
        ));
    }
    lifecycle::check(action, report.status)
}

/// What a new report needs that the submitter does not choose.
#[derive(Clone, Debug)]
pub struct NewReport {
    /// A fresh id.
    pub id: ReportId,
    /// A fresh tracking id.
    pub tracking_id: TrackingId,
    /// How it came in.
    pub channel: Channel,
    /// The id of its first timeline entry.
    pub entry_id: EntryId,
}

/// A citizen (signed in or not) submits a report: the new report, at version 1, and its first
/// entry.
pub fn submit(
    new: NewReport,
    submission: Submission,
    actor: &Actor,
    ctx: &Context,
) -> (Report, Recorded) {
    let reporter = match actor {
        Actor::Citizen(person) => Reporter {
            user_id: Some(person.id.clone()),
            name: Some(person.name.clone()),
        },
        _ => Reporter {
            user_id: None,
            name: submission
                .contact
                .name
                .as_ref()
                .map(|n| n.as_str().to_string()),
        },
    };
    let zone = submission
        .target
        .as_ref()
        .map(|t| t.zone)
        .unwrap_or_default();
    let mut report = Report {
        id: new.id,
        tracking_id: new.tracking_id,
        channel: new.channel,
        status: Status::Submitted,
        reporter,
        chain: Vec::new(),
        copies: Vec::new(),
        audience: Vec::new(),
        verified_at: None,
        deadlines: Default::default(),
        follow_ups: 0,
        awaiting_reporter_since: None,
        escalated: false,
        requests: Vec::new(),
        rating: None,
        rated: false,
        created_at: ctx.now,
        updated_at: ctx.now,
        waiting_since: ctx.now,
        version: 1,
        submission,
    };
    report.deadlines.verification = Some(crate::report::Deadline {
        at: ctx.deadline(WorkingDays::VERIFICATION, zone),
        marked_overdue: false,
        warned: false,
    });
    // Whoever submits is the reporter, with an account or without one.
    let stamp = ActorStamp::of(actor, true);
    let first = record::record(&mut report, Event::Submitted, &stamp, ctx.now, new.entry_id);
    (report, first)
}

fn verification(
    report: &Report,
    actor: &Actor,
    decision: Verification,
    ctx: &Context,
) -> Result<Vec<Event>, Violation> {
    match decision {
        Verification::Return { reason } => Ok(vec![Event::Returned { reason }]),
        Verification::Archive { reason } => Ok(vec![Event::Archived { reason }]),
        Verification::Verify {
            dispose_to,
            title,
            category,
            anonymous,
            confidential,
        } => {
            let s = &report.submission;
            let mut errors = Vec::new();
            if s.anonymous && anonymous == Some(false) {
                errors.push(protection_kept("anonymous"));
            }
            if s.confidential && confidential == Some(false) {
                errors.push(protection_kept("confidential"));
            }
            if !errors.is_empty() {
                return Err(Violation::Invalid(errors));
            }
            let corrections = Corrections {
                title,
                category,
                anonymous: anonymous.unwrap_or(false),
                confidential: confidential.unwrap_or(false),
            };
            // The target agency verifying its own report keeps it and may dispose below itself;
            // the national admins may dispose anywhere, overriding the reporter's choice.
            let keeper = verifier_keeps(report, actor);
            let assign = match &dispose_to {
                Some(_) => keeper.clone(),
                None => s.target.clone(),
            };
            let zone = assign.as_ref().map(|a| a.zone).unwrap_or_default();
            let mut events = vec![Event::Verified {
                response_due: ctx.response_due(assign.as_ref()),
                resolution_due: ctx.deadline(WorkingDays::RESOLUTION, zone),
                assign: assign.clone(),
                corrections,
            }];
            if let Some(to) = dispose_to {
                check_below(&to, keeper.as_ref(), "dispose_to")?;
                events.push(Event::Disposed {
                    response_due: ctx.response_due(Some(&to)),
                    to,
                    by: assign,
                    note: None,
                });
            }
            Ok(events)
        }
    }
}

fn protection_kept(field: &str) -> crate::violation::FieldError {
    crate::violation::FieldError::new(
        field,
        "cannot be turned off: only the reporter may lift this protection",
    )
}

/// The target of a disposition must be strictly below the disposer (anywhere for national):
/// [`Destinations::Below`].
fn check_below(to: &AgencyRef, disposer: Option<&AgencyRef>, field: &str) -> Result<(), Violation> {
    match disposer {
        Some(d) if !Destinations::Below(Some(d.clone())).allows(to) => Err(Violation::field(
            field,
            format!("must be an agency below {}", d.name),
        )),
        _ => Ok(()),
    }
}

fn complete(submission: Submission, ctx: &Context) -> Result<Vec<Event>, Violation> {
    let zone = submission
        .target
        .as_ref()
        .map(|t| t.zone)
        .unwrap_or_default();
    Ok(vec![Event::Completed {
        submission: Box::new(submission),
        verification_due: ctx.deadline(WorkingDays::VERIFICATION, zone),
    }])
}

fn no_pending_request(report: &Report) -> Result<(), Violation> {
    match report.pending_request() {
        Some(_) => Err(Violation::Conflict(
            "a not-our-authority request is waiting for its decision".to_string(),
        )),
        None => Ok(()),
    }
}

fn dispose(
    report: &Report,
    to: AgencyRef,
    note: Option<Note>,
    ctx: &Context,
) -> Result<Vec<Event>, Violation> {
    no_pending_request(report)?;
    // National admins dispose an unassigned report anywhere; the holder's admins below it.
    let by = report.assigned().cloned();
    check_below(&to, by.as_ref(), "agency_id")?;
    Ok(vec![Event::Disposed {
        response_due: ctx.response_due(Some(&to)),
        to,
        by,
        note,
    }])
}

fn forward(
    report: &Report,
    to: AgencyRef,
    note: Option<Note>,
    ctx: &Context,
) -> Result<Vec<Event>, Violation> {
    no_pending_request(report)?;
    let holder = report.assigned().ok_or(Violation::NotFound)?;
    if !Destinations::SiblingsOf(holder.clone()).allows(&to) {
        return Err(Violation::field(
            "agency_id",
            "must be another unit under the same parent agency",
        ));
    }
    Ok(vec![Event::Forwarded {
        response_due: ctx.response_due(Some(&to)),
        to,
        note,
    }])
}

/// How many agencies a report may be copied to. Each copy is one more work-list entry that every
/// change of the report rewrites, so the number is bounded (one change stays one transaction).
pub const MAX_COPIES: usize = 10;

fn copy(report: &Report, to: AgencyRef) -> Result<Vec<Event>, Violation> {
    if report.copies.len() >= MAX_COPIES {
        return Err(Violation::field(
            "agency_id",
            format!("a report is copied to at most {MAX_COPIES} agencies"),
        ));
    }
    if report.copies.iter().any(|c| c.id == to.id) {
        return Err(Violation::Conflict(
            "that agency already has a copy".to_string(),
        ));
    }
    let copies = Destinations::Copies {
        holder: report.assigned().cloned(),
        copied: report.copies.clone(),
    };
    if !copies.allows(&to) {
        return Err(Violation::field("agency_id", "already holds the report"));
    }
    Ok(vec![Event::Copied { to }])
}

fn comment(actor: &Actor, body: Message, internal: bool) -> Result<Vec<Event>, Violation> {
    if internal && !permissions::may_comment_internally(actor) {
        return Err(Violation::Forbidden(
            "only staff may write internal comments".to_string(),
        ));
    }
    Ok(vec![Event::Comment { body, internal }])
}

fn request_not_authority(
    report: &Report,
    request_id: RequestId,
    reason: Reason,
) -> Result<Vec<Event>, Violation> {
    no_pending_request(report)?;
    Ok(vec![Event::NotAuthorityRequested { request_id, reason }])
}

fn decide_not_authority(
    report: &Report,
    request_id: RequestId,
    accept: bool,
    reason: Option<Reason>,
    dispose_to: Option<AgencyRef>,
    ctx: &Context,
) -> Result<Vec<Event>, Violation> {
    let request = report
        .requests
        .iter()
        .find(|r| r.id == request_id)
        .ok_or(Violation::NotFound)?;
    if request.decision.is_some() {
        return Err(Violation::Conflict(
            "this request has already been decided".to_string(),
        ));
    }
    if !accept {
        if dispose_to.is_some() {
            return Err(Violation::field(
                "dispose_to",
                "can only be given when accepting",
            ));
        }
        return Ok(vec![Event::NotAuthorityRejected { request_id, reason }]);
    }
    let disposer = request.to.clone();
    let mut events = vec![Event::NotAuthorityAccepted {
        request_id,
        reason,
        response_due: ctx.response_due(disposer.as_ref()),
    }];
    if let Some(to) = dispose_to {
        check_below(&to, disposer.as_ref(), "dispose_to")?;
        events.push(Event::Disposed {
            response_due: ctx.response_due(Some(&to)),
            to,
            by: disposer,
            note: None,
        });
    }
    Ok(events)
}

fn auto_close(report: &Report, ctx: &Context) -> Result<Vec<Event>, Violation> {
    let at = schedule::auto_close_at(report, ctx.calendar)
        .ok_or_else(|| Violation::Conflict("the last follow-up has been answered".to_string()))?;
    if ctx.now < at {
        return Err(Violation::Conflict(
            "the 10 quiet working days have not passed yet".to_string(),
        ));
    }
    Ok(vec![Event::AutoClosed])
}

fn rate(
    report: &Report,
    stars: Stars,
    comment: Option<RatingComment>,
) -> Result<Vec<Event>, Violation> {
    if report.follow_ups == 0 {
        return Err(Violation::Conflict(
            "a report can be rated once the agency has followed it up".to_string(),
        ));
    }
    if report.rated {
        return Err(Violation::Conflict(
            "the answer has been rated: a report is rated again once it is reopened and closed \
             again"
                .to_string(),
        ));
    }
    Ok(vec![Event::Rated { stars, comment }])
}

fn mark_overdue(
    report: &Report,
    kind: DeadlineKind,
    ctx: &Context,
) -> Result<Vec<Event>, Violation> {
    match report.deadlines.get(kind) {
        Some(d) if !d.marked_overdue && d.at < ctx.now => {
            Ok(vec![Event::Overdue { deadline: kind }])
        }
        _ => Err(Violation::Conflict(
            "that deadline is not running, not passed, or already marked".to_string(),
        )),
    }
}

fn warn_deadline(
    report: &Report,
    kind: DeadlineKind,
    ctx: &Context,
) -> Result<Vec<Event>, Violation> {
    match report.deadlines.get(kind) {
        Some(d)
            if !d.marked_overdue
                && !d.warned
                && ctx.now <= d.at
                && schedule::warning_at(d, report.zone(), ctx.calendar) <= ctx.now =>
        {
            Ok(vec![Event::DeadlineWarning { deadline: kind }])
        }
        _ => Err(Violation::Conflict(
            "that deadline is not running, not near, passed, or already warned of".to_string(),
        )),
    }
}

fn escalate(report: &Report, ctx: &Context) -> Result<Vec<Event>, Violation> {
    match schedule::escalation_at(report, ctx.calendar) {
        Some(at) if at <= ctx.now => Ok(vec![Event::Escalated {
            to: report
                .assigned()
                .and_then(|holder| holder.path.parent().cloned()),
        }]),
        _ => Err(Violation::Conflict(
            "the report is not three times past its response period, or already escalated"
                .to_string(),
        )),
    }
}

//! What the two scheduled jobs do to a report, and from when.
//!
//! - **deadline-check**: warns the one who must act on the working day before a deadline falls
//!   due, marks each passed deadline (verification, response, resolution) overdue once, and
//!   escalates a report that has waited three times its response period to the admins above its
//!   holder (Signalen's "3× overdue").
//! - **auto-close**: closes an `in_progress` report 10 working days after its last follow-up
//!   when neither the reporter nor an admin has answered since.
//!
//! Each job's work on a report is a list of *steps*, each a command and the moment from which it
//! is due. [`due_commands`] takes the steps due at a moment; [`Agenda`] keeps, per job, the
//! earliest step still to come, which the stores index so that a job finds its reports with one
//! range query instead of reading every report. Both come from the same steps, so a report is
//! found exactly when it has work, and after the work it is found again only for its next step.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::actions::Command;
use crate::calendar::Calendar;
use crate::lifecycle::{self, Action};
use crate::report::{DeadlineKind, Report};
use crate::schedule::{after, auto_close_at, escalation_at, warning_at};

/// A scheduled job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Job {
    /// Warnings, overdue marks and escalations.
    DeadlineCheck,
    /// Closing reports left quiet for 10 working days.
    AutoClose,
}

impl Job {
    /// Both jobs.
    pub const ALL: [Job; 2] = [Self::DeadlineCheck, Self::AutoClose];

    /// Its name, as the command line and the logs give it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeadlineCheck => "deadline-check",
            Self::AutoClose => "auto-close",
        }
    }
}

/// When each job next has work on a report; `None`: never, unless the report changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Agenda {
    /// The next warning, overdue mark or escalation.
    pub deadline_check: Option<OffsetDateTime>,
    /// The moment the report may close itself.
    pub auto_close: Option<OffsetDateTime>,
}

impl Agenda {
    /// The agenda of a report as it is now.
    pub fn of(report: &Report, calendar: &Calendar) -> Self {
        let next = |job| {
            steps(report, job, calendar)
                .into_iter()
                .map(|(at, _)| at)
                .min()
        };
        Self {
            deadline_check: next(Job::DeadlineCheck),
            auto_close: next(Job::AutoClose),
        }
    }

    /// The next moment of one job.
    pub fn at(&self, job: Job) -> Option<OffsetDateTime> {
        match job {
            Job::DeadlineCheck => self.deadline_check,
            Job::AutoClose => self.auto_close,
        }
    }
}

/// The commands `job` has to take on the report at `now`, in the order to take them. Empty when
/// there is nothing to do; a second pass after they are recorded finds nothing more.
pub fn due_commands(
    report: &Report,
    job: Job,
    now: OffsetDateTime,
    calendar: &Calendar,
) -> Vec<Command> {
    let due: Vec<Command> = steps(report, job, calendar)
        .into_iter()
        .filter(|(at, _)| *at <= now)
        .map(|(_, command)| command)
        .collect();
    // A deadline already passed is marked overdue; warning of it coming would be late news.
    due.iter()
        .filter(|command| match command {
            Command::WarnDeadline(kind) => !due.contains(&Command::MarkOverdue(*kind)),
            _ => true,
        })
        .cloned()
        .collect()
}

/// Every step of a job on the report, with the moment it is due from.
fn steps(report: &Report, job: Job, calendar: &Calendar) -> Vec<(OffsetDateTime, Command)> {
    let mut steps = Vec::new();
    match job {
        Job::DeadlineCheck => {
            if lifecycle::check(Action::MarkOverdue, report.status).is_err() {
                return steps;
            }
            for kind in DeadlineKind::ALL {
                let Some(deadline) = report.deadlines.get(kind) else {
                    continue;
                };
                if deadline.marked_overdue {
                    continue;
                }
                if !deadline.warned {
                    let warn = warning_at(deadline, report.zone(), calendar);
                    steps.push((warn, Command::WarnDeadline(kind)));
                }
                steps.push((after(deadline.at), Command::MarkOverdue(kind)));
            }
            if let Some(at) = escalation_at(report, calendar) {
                steps.push((at, Command::Escalate));
            }
        }
        Job::AutoClose => {
            if let Some(at) = auto_close_at(report, calendar) {
                steps.push((at, Command::AutoClose));
            }
        }
    }
    // Warnings before marks before the escalation, as they happened.
    steps.sort_by_key(|(at, command)| (*at, order(command)));
    steps
}

fn order(command: &Command) -> u8 {
    match command {
        Command::WarnDeadline(_) => 0,
        Command::MarkOverdue(_) => 1,
        _ => 2,
    }
}

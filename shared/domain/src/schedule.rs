//! The moments the time rules fall due: a deadline's warning, its passing, an escalation and
//! the auto-close. The actions check them and the jobs plan by them, so both agree.

use time::{Duration, OffsetDateTime};

use crate::calendar::{Calendar, Zone};
use crate::fields::WorkingDays;
use crate::report::{Deadline, Report, Status};

/// How many response periods a report may wait before it is escalated.
pub const ESCALATION_FACTOR: u32 = 3;

/// The moment the holder is warned of a deadline: the start of the last working day before the
/// day it falls due, so that a deadline after a long break (Idul Fitri and its cuti bersama) is
/// announced before the break, while someone is at work to act on it.
pub fn warning_at(deadline: &Deadline, zone: Zone, calendar: &Calendar) -> OffsetDateTime {
    let day_before = calendar.working_day_before(zone.date_of(deadline.at));
    Calendar::start_of(day_before, zone)
}

/// The moment a report still unanswered by its holder has waited three times its response
/// period: `None` when no response deadline runs, no agency holds it, or it was escalated.
pub fn escalation_at(report: &Report, calendar: &Calendar) -> Option<OffsetDateTime> {
    let response = report.deadlines.response.as_ref()?;
    let holder = report.assigned()?;
    if report.escalated || report.status != Status::Disposed {
        return None;
    }
    // The deadline is the end of the period's last day; two more periods from there make three.
    let extra = holder.response_days.get() * (ESCALATION_FACTOR - 1);
    Some(after(calendar.end_of_working_days(
        response.at,
        extra,
        report.zone(),
    )))
}

/// The moment a quiet report may close itself: after the end of the 10th working day from its
/// last unanswered follow-up.
pub fn auto_close_at(report: &Report, calendar: &Calendar) -> Option<OffsetDateTime> {
    if report.status != Status::InProgress {
        return None;
    }
    let quiet_since = report.awaiting_reporter_since?;
    Some(after(calendar.deadline(
        quiet_since,
        WorkingDays::AUTO_CLOSE,
        report.zone(),
    )))
}

/// The first moment strictly after `at`: a deadline has passed only once its last second is
/// over, and times are kept to the nanosecond.
pub fn after(at: OffsetDateTime) -> OffsetDateTime {
    at + Duration::nanoseconds(1)
}

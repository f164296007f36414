//! The keys of every item, in one place (the table in the crate's docs).

use lapor_app::{Audience, Login, StaffList};
use lapor_domain::jobs::Job;
use lapor_domain::worklist::{Listing, Scope};
use lapor_domain::{AgencyId, AttachmentId, ReportId, TrackingId, UserId};
use time::OffsetDateTime;

/// The partition of a report: its state, timeline, list entries and outbox.
pub(crate) fn report(tracking: &TrackingId) -> String {
    format!("R#{tracking}")
}

/// The tracking id in the partition key of a report's item, unchecked.
pub(crate) fn tracking_of_report(pk: &str) -> Option<&str> {
    pk.strip_prefix("R#")
}

/// The sort key of a report's state; its timeline entries sort right after it.
pub(crate) const STATE: &str = "R";

/// A timeline entry: the `n`th entry written by the change to `version`.
pub(crate) fn entry(version: u64, n: usize) -> String {
    format!("R#{version:012}#{n:03}")
}

/// The name of a list: the partition of the `list` index that holds it.
pub(crate) fn list(listing: &Listing) -> String {
    match listing {
        Listing::Feed => "FEED".to_string(),
        Listing::Box(Scope::National, inbox) => format!("N#{}", inbox.as_str()),
        Listing::Box(Scope::Agency(agency), inbox) => format!("A#{agency}#{}", inbox.as_str()),
        Listing::Reporter(user) => format!("U#{user}"),
    }
}

/// The sort key of a report's entry in a list.
pub(crate) fn list_entry(listing: &Listing) -> String {
    format!("L#{}", list(listing))
}

/// Where a report sorts in a list: by last change, then id. Nanoseconds since 1970 in 20
/// digits sort as text the way they do as numbers.
pub(crate) fn list_position(updated_at: OffsetDateTime, id: &ReportId) -> String {
    let nanos = updated_at.unix_timestamp_nanos().max(0);
    format!("{nanos:020}#{id}")
}

/// Where a report sorts in the `due` index: by its running deadline (none sorts last), then id.
pub(crate) fn due_position(due: Option<OffsetDateTime>, id: &ReportId) -> String {
    let nanos = due.map_or(i128::MAX, |due| due.unix_timestamp_nanos().max(0));
    format!("{:039}#{id}", nanos)
}

/// The deadline (nanoseconds since 1970) and the id of a due position, unchecked.
pub(crate) fn parse_due_position(position: &str) -> Option<(i128, &str)> {
    let (nanos, id) = position.split_once('#')?;
    Some((nanos.parse().ok()?, id))
}

/// The end of the `due` positions up to and including `until`: any id sorts before `~`.
pub(crate) fn due_until(until: OffsetDateTime) -> String {
    format!("{:039}#~", until.unix_timestamp_nanos().max(0))
}

/// The `due` partition of a job's agenda.
pub(crate) fn agenda(job: Job) -> String {
    format!("J#{}", job.as_str())
}

/// The sort key of a report's agenda item for a job, in its partition.
pub(crate) fn agenda_entry(job: Job) -> String {
    format!("J#{}", job.as_str())
}

/// An outbox message in its report's partition.
pub(crate) fn outbox(id: &str) -> String {
    format!("O#{id}")
}

/// The `list` partition of unsent outbox messages.
pub(crate) const OUTBOX: &str = "OUTBOX";

/// The pointer from a report id to its tracking id.
pub(crate) fn report_id(id: &ReportId) -> String {
    format!("I#{id}")
}

pub(crate) fn idempotency(scope: &str) -> String {
    format!("K#{scope}")
}

pub(crate) fn user(id: &UserId) -> String {
    format!("U#{id}")
}

/// The `list` partition of all users.
pub(crate) const USERS: &str = "USERS";

/// A user's entry in a staff list (the sort key in the user's partition), and that list's
/// `list` partition.
pub(crate) fn staff_list(list: &StaffList) -> String {
    format!("ST#{}", list.key())
}

/// A login, holding a copy of its user.
pub(crate) fn login(login: &Login) -> String {
    match login {
        Login::Email(e) => format!("L#email:{}", e.as_str()),
        Login::Phone(p) => format!("L#phone:{}", p.as_str()),
    }
}

pub(crate) fn agency(id: &AgencyId) -> String {
    format!("A#{id}")
}

/// The `list` partition of all agencies.
pub(crate) const AGENCIES: &str = "AGENCIES";

pub(crate) fn attachment(id: &AttachmentId) -> String {
    format!("T#{id}")
}

/// The category tree, one item.
pub(crate) const CATEGORIES: &str = "CATEGORIES";

/// A web session, by the hash of its id.
pub(crate) fn session(id_hash: &str) -> String {
    format!("SE#{id_hash}")
}

pub(crate) fn throttle(key: &str) -> String {
    format!("X#{key}")
}

/// The partition of an audience's in-app notifications, sorted by id (ULIDs: by time).
pub(crate) fn notifications(audience: &Audience) -> String {
    format!("N#{}", audience.key())
}

/// The partition of a reader's read marks, one item per notification id read.
pub(crate) fn read_marks(reader: &str) -> String {
    format!("M#{reader}")
}

/// The mark of a webhook delivery done.
pub(crate) fn delivery(key: &str) -> String {
    format!("W#{key}")
}

/// The failure count of a webhook delivery.
pub(crate) fn delivery_failures(key: &str) -> String {
    format!("F#{key}")
}

/// The sort key of a delivery mark and of a delivery's failure count.
pub(crate) const DELIVERY: &str = "W";

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn list_positions_sort_as_text_by_time_then_id() {
        let id = |s: &str| ReportId::parse(s).unwrap();
        let a = list_position(
            datetime!(2025-06-02 10:00 UTC),
            &id("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        );
        let b = list_position(
            datetime!(2025-06-02 10:00:00.5 UTC),
            &id("01ARZ3NDEKTSV4RRFFQ69G5FA0"),
        );
        let c = list_position(
            datetime!(2031-01-01 0:00 UTC),
            &id("01ARZ3NDEKTSV4RRFFQ69G5FA0"),
        );
        assert!(a < b && b < c);
        assert_eq!(a.len(), c.len());
    }

    #[test]
    fn a_due_position_sorts_within_its_moment_and_before_the_next() {
        let id = ReportId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap();
        let at = datetime!(2026-03-25 16:59:59 UTC);
        let position = due_position(Some(at), &id);
        assert!(position <= due_until(at));
        assert!(due_until(at) < due_position(Some(at + time::Duration::nanoseconds(1)), &id));
    }

    #[test]
    fn timeline_entries_sort_after_the_state_in_write_order() {
        assert!(STATE < entry(1, 0).as_str());
        assert!(entry(1, 2) < entry(2, 0));
        assert!(entry(9, 0) < entry(10, 0));
    }
}

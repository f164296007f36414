//! An event recorded: stamped as a timeline entry, folded into its report, and told to those
//! the domain names.

use time::OffsetDateTime;

use crate::event::{ActorStamp, Entry, Event};
use crate::ids::EntryId;
use crate::notify::{self, Recipient};
use crate::report::Report;

/// A timeline entry and the people to tell of it, as the report stands right after it (a
/// verification that also disposes tells the agency of the disposition, not of a verification
/// it had no part in).
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub entry: Entry,
    /// Who is to be told (possibly nobody: the entry still makes an integration event).
    pub recipients: Vec<Recipient>,
}

/// Stamps an event as the entry `id` at `at`, folds it into the report and names who hears of it.
pub(crate) fn record(
    report: &mut Report,
    event: Event,
    stamp: &ActorStamp,
    at: OffsetDateTime,
    id: EntryId,
) -> Recorded {
    let entry = Entry {
        id,
        report_id: report.id().clone(),
        at,
        actor: stamp.clone(),
        event,
    };
    report.apply(&entry);
    Recorded {
        recipients: notify::recipients(report, &entry),
        entry,
    }
}

//! A change to one report in the making: the decisions taken on it, recorded as timeline
//! entries and folded into its state, each with who hears of it. The app writes a finished
//! draft as one atomic, version-guarded change; this is the only place a report's state and
//! version move.

use crate::actions::{self, Command, Context};
use crate::actor::Actor;
use crate::event::{ActorStamp, Event};
use crate::ids::EntryId;
use crate::lifecycle;
use crate::permissions;
use crate::record::{Recorded, record};
use crate::report::Report;
use crate::violation::Violation;

/// A change being drafted on a report as it was read.
#[derive(Clone, Debug)]
pub struct Draft {
    before: Report,
    after: Report,
    recorded: Vec<Recorded>,
}

/// A change ready to be written: the state it was made from (whose version guards the write),
/// the new state, and what was recorded between.
#[derive(Clone, Debug)]
pub struct Finished {
    /// The state read.
    pub before: Report,
    /// The new state, one version on.
    pub after: Report,
    /// The new entries, oldest first.
    pub recorded: Vec<Recorded>,
}

impl Draft {
    /// Starts a change on the report as read.
    pub fn new(report: Report) -> Self {
        Self {
            after: report.clone(),
            before: report,
            recorded: Vec::new(),
        }
    }

    /// The report as the change has made it so far.
    pub fn report(&self) -> &Report {
        &self.after
    }

    /// True when nothing has been recorded yet.
    pub fn is_empty(&self) -> bool {
        self.recorded.is_empty()
    }

    /// Decides `command` by `actor` on the report as drafted so far and records its events,
    /// stamping each entry with an id from `next_id`. Nothing is recorded when it is refused.
    pub fn take(
        &mut self,
        actor: &Actor,
        command: Command,
        ctx: &Context,
        next_id: &mut dyn FnMut() -> EntryId,
    ) -> Result<(), Violation> {
        let action = command.action();
        let events = actions::decide(&self.after, actor, command, ctx)?;
        let stamp = ActorStamp::of(actor, permissions::is_reporter(&self.after, actor));
        let mut after = self.after.clone();
        let recorded = record_all(&mut after, events, &stamp, ctx, next_id);
        let (from, to) = (self.after.status(), after.status());
        if !lifecycle::leads_to(action, from, to) {
            // A decide function out of step with its row in the table: a bug, refused rather
            // than written (the tests over every row and over random lives catch it first).
            debug_assert!(false, "{action:?} led from {from:?} to {to:?}");
            return Err(Violation::Conflict(format!(
                "this action cannot leave a report {}",
                to.as_str()
            )));
        }
        self.after = after;
        self.recorded.extend(recorded);
        Ok(())
    }

    /// Ends the draft: the new state moves one version on.
    pub fn finish(self) -> Finished {
        let mut after = self.after;
        after.count_change();
        Finished {
            before: self.before,
            after,
            recorded: self.recorded,
        }
    }
}

/// Stamps events as entries and records each.
fn record_all(
    report: &mut Report,
    events: Vec<Event>,
    stamp: &ActorStamp,
    ctx: &Context,
    next_id: &mut dyn FnMut() -> EntryId,
) -> Vec<Recorded> {
    events
        .into_iter()
        .map(|event| record(report, event, stamp, ctx.now, next_id()))
        .collect()
}

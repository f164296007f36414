//! Writing what the domain decided: the one sequence every report write goes through. The new
//! state, its timeline entries, their outbox messages, the attachment claims and the next
//! agenda go in one atomic write (guarded by the version read, for a change); then the relay
//! publishes the messages just written.

use lapor_domain::draft::Finished;
use lapor_domain::jobs::Agenda;
use lapor_domain::record::Recorded;
use lapor_domain::{AttachmentId, Entry, EntryId, Report};

use crate::App;
use crate::ports::{Change, IdempotencyRecord, NewReport, OutboxMessage, StoreError};

/// What a new report is written with besides itself.
pub(crate) struct Extras {
    /// The hash of its access code, for a reporter without an account.
    pub access_code_hash: Option<String>,
    /// The answer to remember for its idempotency key.
    pub idempotency: Option<IdempotencyRecord>,
}

impl App {
    /// A fresh timeline entry id.
    pub(crate) fn entry_id(&self) -> EntryId {
        EntryId::from_ulid(self.ids.ulid())
    }

    /// Writes a new report with its first entry; `Conflict(TrackingId)` when its tracking id
    /// is taken (the caller draws another).
    pub(crate) async fn commit_new(
        &self,
        report: Report,
        first: Recorded,
        extras: Extras,
        attachments: Vec<AttachmentId>,
    ) -> Result<(), StoreError> {
        let outbox = self.outbox_of(&report, std::slice::from_ref(&first));
        let written = outbox.clone();
        self.reports
            .create(NewReport {
                agenda: Agenda::of(&report, &self.calendar),
                report,
                entries: vec![first.entry],
                outbox,
                access_code_hash: extras.access_code_hash,
                idempotency: extras.idempotency,
                attachments,
            })
            .await?;
        self.after_write(&written).await;
        Ok(())
    }

    /// Writes a finished change if the report is still as it was read; answers the new state
    /// and the entries written.
    pub(crate) async fn commit(
        &self,
        finished: Finished,
        attachments: Vec<AttachmentId>,
    ) -> Result<(Report, Vec<Entry>), StoreError> {
        let Finished {
            before,
            after,
            recorded,
        } = finished;
        let outbox = self.outbox_of(&after, &recorded);
        let written = outbox.clone();
        let entries: Vec<Entry> = recorded.into_iter().map(|r| r.entry).collect();
        self.reports
            .apply(Change {
                agenda_before: Agenda::of(&before, &self.calendar),
                agenda: Agenda::of(&after, &self.calendar),
                before,
                report: after.clone(),
                entries: entries.clone(),
                outbox,
                attachments,
            })
            .await?;
        self.after_write(&written).await;
        Ok((after, entries))
    }

    /// One outbox message per recorded entry: its integration event, and the people the
    /// domain named to tell.
    fn outbox_of(&self, report: &Report, recorded: &[Recorded]) -> Vec<OutboxMessage> {
        recorded
            .iter()
            .map(|r| OutboxMessage {
                id: self.ids.ulid().to_string(),
                at: r.entry.at,
                report_id: report.id().clone(),
                tracking_id: report.tracking_id().clone(),
                entry_id: r.entry.id.clone(),
                event: r.entry.event.kind(),
                recipients: r.recipients.clone(),
            })
            .collect()
    }
}

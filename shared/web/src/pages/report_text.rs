//! What the report pages (the reporter's `/pengaduan/{id}` and the console's
//! `/admin/laporan/{id}`) say of a report in words, shared by their templates
//! (`report_facts.html`, `timeline.html`).

use lapor_domain::view::{AttachmentView, EntryView, ReportView};

use crate::text;

/// A page showing one report: its templates call these as `self.status()` and so on.
pub trait ReportText {
    /// The report shown.
    fn shown(&self) -> &ReportView;

    fn status(&self) -> &'static str {
        text::status(self.shown().status)
    }

    fn classification(&self) -> &'static str {
        text::classification(self.shown().classification)
    }

    fn channel(&self) -> &'static str {
        text::channel(self.shown().channel)
    }

    fn event(&self, entry: &EntryView) -> &'static str {
        text::event(entry.kind)
    }

    /// Who acted: their name (when the viewer may see it) and role.
    fn who(&self, entry: &EntryView) -> String {
        let role = text::role(entry.actor.role);
        match &entry.actor.name {
            Some(name) => format!("{name} ({role})"),
            None => role.to_string(),
        }
    }

    fn when(&self, entry: &EntryView) -> String {
        text::moment(entry.at)
    }

    /// A moment as `<time datetime>` reads it.
    fn iso(&self, entry: &EntryView) -> String {
        use time::format_description::well_known::Rfc3339;
        entry.at.format(&Rfc3339).unwrap_or_default()
    }

    fn submitted(&self) -> String {
        text::moment(self.shown().created_at)
    }

    fn incident(&self) -> String {
        text::date(self.shown().incident_date.date())
    }

    /// The files of a timeline entry.
    fn files(&self, entry: &EntryView) -> Vec<&AttachmentView> {
        self.shown()
            .attachments
            .iter()
            .filter(|a| a.entry_id == entry.id)
            .collect()
    }
}

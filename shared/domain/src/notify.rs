//! Who hears of what: the recipients of the notification written to the outbox with each entry.
//! Recipients are groups, resolved to people when the notification is delivered.

use serde::{Deserialize, Serialize};

use crate::event::{Entry, Event, EventKind};
use crate::ids::{AgencyId, TrackingId};
use crate::report::{DeadlineKind, Report};

/// A group of people to tell.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recipient {
    /// The report's reporter (account or access code).
    Reporter,
    /// The officers and admins of an agency.
    Agency { agency_id: AgencyId },
    /// The admins of an agency, or the national admins when `agency_id` is `None`.
    Admins { agency_id: Option<AgencyId> },
}

fn agency(id: &AgencyId) -> Recipient {
    Recipient::Agency {
        agency_id: id.clone(),
    }
}

fn admins(id: Option<&AgencyId>) -> Recipient {
    Recipient::Admins {
        agency_id: id.cloned(),
    }
}

/// The recipients of an entry, given the report as it is after the entry.
pub fn recipients(report: &Report, entry: &Entry) -> Vec<Recipient> {
    let holder = report.assigned().map(|a| &a.id);
    let target = report.submission.target.as_ref().map(|a| &a.id);
    let holder_or_none = holder.map(agency);
    match &entry.event {
        Event::Submitted | Event::Completed { .. } => vec![admins(target)],
        Event::Verified { .. } | Event::Returned { .. } | Event::Archived { .. } => {
            let mut list = vec![Recipient::Reporter];
            list.extend(holder_or_none);
            list
        }
        Event::Disposed { to, .. } | Event::Forwarded { to, .. } => {
            vec![Recipient::Reporter, agency(&to.id)]
        }
        Event::Copied { to } => vec![agency(&to.id)],
        Event::FollowUp { .. } | Event::Closed { .. } | Event::AutoClosed => {
            vec![Recipient::Reporter]
        }
        Event::Comment { internal: true, .. } => holder_or_none.into_iter().collect(),
        Event::Comment { .. } if entry.actor.reporter => holder_or_none.into_iter().collect(),
        Event::Comment { .. } => {
            let mut list = vec![Recipient::Reporter];
            list.extend(holder_or_none.filter(|_| entry.actor.agency_id.as_ref() != holder));
            list
        }
        Event::Reply { .. } | Event::Rated { .. } => holder_or_none.into_iter().collect(),
        Event::NotAuthorityRequested { request_id, .. }
        | Event::NotAuthorityAccepted { request_id, .. }
        | Event::NotAuthorityRejected { request_id, .. } => {
            let Some(request) = report.requests.iter().find(|r| &r.id == request_id) else {
                return Vec::new();
            };
            if matches!(entry.event, Event::NotAuthorityRequested { .. }) {
                vec![admins(request.to.as_ref().map(|a| &a.id))]
            } else {
                vec![agency(&request.from.id)]
            }
        }
        Event::Reopened { .. } => {
            let mut list = vec![Recipient::Reporter];
            list.extend(holder_or_none);
            list
        }
        Event::Overdue { deadline } => match (deadline, holder) {
            (DeadlineKind::Verification, _) => vec![admins(target)],
            // Verified but held by no agency: the national admins have it.
            (_, None) => vec![admins(None)],
            (_, Some(h)) => {
                let above = report.assigned().and_then(|a| a.path.parent());
                vec![agency(h), admins(above)]
            }
        },
        // The one who must act before the deadline: the admins who verify, else the holder.
        Event::DeadlineWarning { deadline } => match (deadline, holder) {
            (DeadlineKind::Verification, _) => vec![admins(target)],
            (_, None) => vec![admins(None)],
            (_, Some(h)) => vec![agency(h)],
        },
        Event::Escalated { to } => vec![admins(to.as_ref())],
    }
}

/// The text of a notification of `event` about report `tracking`, in Bahasa Indonesia. It names
/// the tracking id and what happened, nothing else: never the report's content or its
/// reporter, whoever reads it and wherever it is sent.
pub fn text(event: EventKind, tracking: &TrackingId) -> String {
    let t = tracking.as_str();
    match event {
        EventKind::Submitted => format!("Laporan #{t} baru masuk dan menunggu verifikasi."),
        EventKind::Verified => format!("Laporan #{t} telah diverifikasi."),
        EventKind::Returned => {
            format!("Laporan #{t} dikembalikan kepada pelapor untuk dilengkapi.")
        }
        EventKind::Completed => {
            format!("Laporan #{t} telah dilengkapi dan menunggu verifikasi ulang.")
        }
        EventKind::Archived => format!("Laporan #{t} diarsipkan."),
        EventKind::Disposed => {
            format!("Laporan #{t} telah didisposisikan kepada instansi berwenang.")
        }
        EventKind::Forwarded => format!("Laporan #{t} diteruskan kepada unit lain."),
        EventKind::Copied => format!("Instansi Anda menerima salinan laporan #{t}."),
        EventKind::FollowUp => format!("Ada tindak lanjut baru pada laporan #{t}."),
        EventKind::Comment => format!("Ada komentar baru pada laporan #{t}."),
        EventKind::Reply => format!("Pelapor menanggapi laporan #{t}."),
        EventKind::NotAuthorityRequested => {
            format!("Ada permintaan bukan wewenang atas laporan #{t} yang perlu diputuskan.")
        }
        EventKind::NotAuthorityAccepted => {
            format!("Permintaan bukan wewenang atas laporan #{t} diterima.")
        }
        EventKind::NotAuthorityRejected => {
            format!("Permintaan bukan wewenang atas laporan #{t} ditolak.")
        }
        EventKind::Closed => format!("Laporan #{t} telah selesai ditindaklanjuti."),
        EventKind::AutoClosed => format!(
            "Laporan #{t} ditutup otomatis karena tidak ada tanggapan selama 10 hari kerja."
        ),
        EventKind::Reopened => format!("Laporan #{t} dibuka kembali."),
        EventKind::Rated => format!("Pelapor memberi penilaian atas laporan #{t}."),
        EventKind::Overdue => format!("Laporan #{t} telah melewati batas waktu."),
        EventKind::DeadlineWarning => format!("Batas waktu laporan #{t} tinggal satu hari kerja."),
        EventKind::Escalated => {
            format!("Laporan #{t} dieskalasi karena terlambat ditindaklanjuti.")
        }
    }
}

/// The integration event type of an event: `report.` and the event in the past tense
/// (`follow_up` → `report.followed_up`).
pub fn integration_type(event: EventKind) -> String {
    use EventKind::*;
    let past = match event {
        FollowUp => "followed_up",
        Comment => "commented",
        Reply => "replied",
        DeadlineWarning => "deadline_warned",
        Submitted
        | Verified
        | Returned
        | Completed
        | Archived
        | Disposed
        | Forwarded
        | Copied
        | NotAuthorityRequested
        | NotAuthorityAccepted
        | NotAuthorityRejected
        | Closed
        | AutoClosed
        | Reopened
        | Rated
        | Overdue
        | Escalated => event.as_str(),
    };
    format!("report.{past}")
}

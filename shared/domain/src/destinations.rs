//! Where an action may send a report: the one rule the actions check an agency against
//! ([`crate::actions`]) and the console's selects offer (`Disposisikan ke`, `Teruskan ke`,
//! `Salin ke` list only what the action allows, UI.md).

use crate::actions::MAX_COPIES;
use crate::actor::Actor;
use crate::agency::AgencyRef;
use crate::lifecycle::Action;
use crate::report::Report;

/// The agencies an action may send a report to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destinations {
    /// Strictly below this disposer; anywhere for the national admins (`None`).
    Below(Option<AgencyRef>),
    /// Another unit under the same parent as the holder (Teruskan).
    SiblingsOf(AgencyRef),
    /// A read-only copy (Salinan): any agency but the holder and those with one already, while
    /// the report has fewer than [`MAX_COPIES`].
    Copies {
        holder: Option<AgencyRef>,
        copied: Vec<AgencyRef>,
    },
    /// None: the action cannot send it anywhere now.
    Nowhere,
}

impl Destinations {
    /// Where `action` by `actor` may send `report`; `None` for an action that sends it nowhere.
    pub fn of(report: &Report, actor: &Actor, action: Action) -> Option<Self> {
        match action {
            Action::Verify => Some(Self::Below(verifier_keeps(report, actor))),
            Action::Dispose => Some(Self::Below(report.assigned().cloned())),
            Action::DecideNotAuthority => Some(match report.pending_request() {
                Some(request) => Self::Below(request.to.clone()),
                None => Self::Nowhere,
            }),
            Action::Forward => Some(match report.assigned() {
                Some(holder) => Self::SiblingsOf(holder.clone()),
                None => Self::Nowhere,
            }),
            Action::Copy if report.copies().len() >= MAX_COPIES => Some(Self::Nowhere),
            Action::Copy => Some(Self::Copies {
                holder: report.assigned().cloned(),
                copied: report.copies().to_vec(),
            }),
            _ => None,
        }
    }

    /// True when the report may go to `to`.
    pub fn allows(&self, to: &AgencyRef) -> bool {
        match self {
            Self::Below(None) => true,
            Self::Below(Some(disposer)) => to.path.is_strictly_below(&disposer.id),
            Self::SiblingsOf(holder) => {
                to.id != holder.id && to.path.parent() == holder.path.parent()
            }
            Self::Copies { holder, copied } => {
                holder.as_ref().is_none_or(|h| h.id != to.id)
                    && copied.iter().all(|c| c.id != to.id)
            }
            Self::Nowhere => false,
        }
    }
}

/// Who disposes a report as it is verified: the national admins anywhere, overriding the
/// reporter's choice; the agency it was addressed to, verifying it, keeps it and disposes
/// below itself.
pub(crate) fn verifier_keeps(report: &Report, actor: &Actor) -> Option<AgencyRef> {
    match actor {
        Actor::NationalAdmin(_) => None,
        _ => report.submission().target.clone(),
    }
}

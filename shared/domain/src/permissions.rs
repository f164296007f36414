//! Who may see what of a report, and who may act on it: every rule in one place.
//!
//! - A confidential report is visible to its reporter, the national admins and the agencies it
//!   reached (disposed, forwarded or copied to; its target while it awaits verification): nobody else,
//!   not even admins above.
//! - Other reports are public once verified (disposed, in progress, closed); before that, only
//!   the reporter, the national admins, the target agency and the admins above it see them.
//! - An anonymous reporter's identity is seen by the reporter and the national admins only.
//! - Internal comments are seen by staff of the agencies that reached the report (and admins
//!   above its holder), and by the national admins.

use crate::actor::Actor;
use crate::lifecycle::{self, Action, Who};
use crate::report::Report;
use crate::worklist::Scope;

/// True when the actor is the report's own reporter: its account, or its access code.
pub fn is_reporter(report: &Report, actor: &Actor) -> bool {
    match actor {
        Actor::Citizen(person) => report.reporter.user_id.as_ref() == Some(&person.id),
        Actor::ReportHolder(id) => *id == report.id,
        _ => false,
    }
}

/// True when the actor works at the agency that holds the report.
pub fn works_at_holder(report: &Report, actor: &Actor) -> bool {
    matches!((actor.agency_id(), report.assigned()), (Some(own), Some(holder)) if *own == holder.id)
}

/// True for national admins and for agency admins strictly above the holder.
pub fn is_admin_above_holder(report: &Report, actor: &Actor) -> bool {
    match actor {
        Actor::NationalAdmin(_) => true,
        Actor::AgencyAdmin(_, own) => report
            .assigned()
            .is_some_and(|holder| holder.path.is_strictly_below(own.id())),
        _ => false,
    }
}

/// True for staff of an agency above the target or holder (never used for confidential reports).
fn oversees(report: &Report, actor: &Actor) -> bool {
    let Some(own) = actor.agency_id() else {
        return false;
    };
    report
        .assigned()
        .into_iter()
        .chain(report.submission.target.as_ref())
        .any(|agency| agency.path.is_within(own))
}

/// May the actor see the report at all? If not, it must look as if it did not exist.
pub fn can_see(report: &Report, actor: &Actor) -> bool {
    if is_reporter(report, actor) || matches!(actor, Actor::NationalAdmin(_) | Actor::System) {
        return true;
    }
    if actor.agency_id().is_some_and(|own| report.reached(own)) {
        return true;
    }
    if report.submission.confidential {
        return false;
    }
    report.status.is_published() || oversees(report, actor)
}

/// May the actor see who reported it?
pub fn sees_reporter(report: &Report, actor: &Actor) -> bool {
    !report.submission.anonymous
        || is_reporter(report, actor)
        || matches!(actor, Actor::NationalAdmin(_) | Actor::System)
}

/// May the actor see the reporter's contact details (e-mail, phone)? Never the public.
pub fn sees_contact(report: &Report, actor: &Actor) -> bool {
    is_reporter(report, actor)
        || matches!(actor, Actor::NationalAdmin(_) | Actor::System)
        || (!report.submission.anonymous
            && actor.agency_id().is_some_and(|own| report.reached(own)))
}

/// May the actor see internal comments and the reasons of "not our authority" requests?
pub fn sees_internal(report: &Report, actor: &Actor) -> bool {
    match actor {
        Actor::NationalAdmin(_) | Actor::System => true,
        Actor::AgencyAdmin(_, own) | Actor::LiaisonOfficer(_, own) => {
            report.reached(own.id()) || is_admin_above_holder(report, actor)
        }
        _ => false,
    }
}

/// May the actor take the action (given that the actor sees the report)? Anyone in one of the
/// groups of the action's row in the lifecycle table.
pub fn may(action: Action, report: &Report, actor: &Actor) -> bool {
    lifecycle::edge(action)
        .who
        .iter()
        .any(|who| is_among(*who, report, actor))
}

/// The actions the actor may take on the report as it is now (its status allows them and the
/// actor is among those who may): the forms a page offers. An action offered may still be
/// refused for what only it checks (a second rating of one closing, say).
pub fn available(report: &Report, actor: &Actor) -> Vec<Action> {
    use strum::IntoEnumIterator as _;
    Action::iter()
        .filter(|action| lifecycle::edge(*action).from.contains(&report.status))
        .filter(|action| may(*action, report, actor))
        .collect()
}

/// True when the actor belongs to the group on this report.
pub fn is_among(who: Who, report: &Report, actor: &Actor) -> bool {
    match who {
        Who::Reporter => is_reporter(report, actor),
        Who::NationalAdmins => matches!(actor, Actor::NationalAdmin(_)),
        Who::NationalAdminsWhileUnheld => {
            matches!(actor, Actor::NationalAdmin(_)) && report.assigned().is_none()
        }
        Who::TargetAdmins => match actor {
            Actor::AgencyAdmin(_, own) => report
                .submission()
                .target
                .as_ref()
                .is_some_and(|target| target.id == *own.id()),
            _ => false,
        },
        Who::HolderStaff => works_at_holder(report, actor),
        Who::HolderAdmins => {
            matches!(actor, Actor::AgencyAdmin(..)) && works_at_holder(report, actor)
        }
        Who::AdminsAbove => is_admin_above_holder(report, actor),
        // The latest request: at most one is pending at a time, and it is always the last.
        Who::RequestDeciders => match (report.requests().last().map(|r| &r.to), actor) {
            (Some(None), Actor::NationalAdmin(_)) => true,
            (Some(Some(disposer)), Actor::AgencyAdmin(_, own)) => disposer.id == *own.id(),
            _ => false,
        },
        Who::System => matches!(actor, Actor::System),
    }
}

/// May the actor write a comment only staff can read?
pub fn may_comment_internally(actor: &Actor) -> bool {
    actor.is_staff()
}

/// Does a report filed by this actor need an access code? Only a reporter without an account
/// reads their report by one; a signed-in citizen reads it through their account.
pub fn needs_access_code(actor: &Actor) -> bool {
    !matches!(actor, Actor::Citizen(_))
}

/// Whose work list the actor reads: national admins the country's, staff their agency's;
/// `None` for anyone else.
pub fn work_list_scope(actor: &Actor) -> Option<Scope> {
    match actor {
        Actor::NationalAdmin(_) => Some(Scope::National),
        Actor::AgencyAdmin(_, path) | Actor::LiaisonOfficer(_, path) => {
            Some(Scope::Agency(path.id().clone()))
        }
        _ => None,
    }
}

//! The lifecycle as one table: for each action, the statuses it may start from, the statuses it
//! may lead to, who may take it, and why the rule exists. Every column is enforced: `from` and
//! `who` by [`crate::actions::decide`] (through [`crate::permissions::may`], which evaluates
//! `who`), `to` by [`crate::draft::Draft`], which refuses an outcome the row does not list.
//! `lapor-local lifecycle` prints it, and the README shows that print.

use strum::{EnumIter, IntoEnumIterator, IntoStaticStr};

use crate::report::Status::{self, *};
use crate::violation::Violation;

/// Every action on a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    /// Verify (and possibly dispose) a new report.
    Verify,
    /// Send a new report back to the reporter for completion (Tunda).
    Return,
    /// Archive a new report with a reason (Arsipkan).
    Archive,
    /// The reporter completes a returned report.
    Complete,
    /// Assign the report to an agency below.
    Dispose,
    /// Hand the report to a sibling unit (Teruskan).
    Forward,
    /// Give an agency a read-only copy (Salinan).
    Copy,
    /// Answer the report (Tindak Lanjut).
    FollowUp,
    /// Comment, publicly or internally.
    Comment,
    /// The reporter answers.
    Reply,
    /// Ask the disposer to take the report back (Bukan Wewenang).
    RequestNotAuthority,
    /// Decide such a request.
    DecideNotAuthority,
    /// Close (Tutup).
    Close,
    /// Close after 10 quiet working days.
    AutoClose,
    /// Open a closed report again.
    Reopen,
    /// The reporter rates the answer.
    Rate,
    /// Mark a passed deadline.
    MarkOverdue,
    /// Warn of a deadline one working day ahead.
    WarnDeadline,
    /// Raise a report far past its response deadline to the admins above its holder.
    Escalate,
}

impl Action {
    /// The name the table prints.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// True for the actions that add to the conversation on a report (follow-ups, comments,
    /// replies) and need nothing of it but that it still allows them: colleagues and the
    /// reporter write them at once without contradicting each other, so one that loses a race
    /// to another change is decided again on the report as it now is, not refused as a
    /// conflict. Every other action is a decision about the state it read.
    pub fn is_append(self) -> bool {
        matches!(self, Self::FollowUp | Self::Comment | Self::Reply)
    }
}

/// Where an action may leave a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Where it was.
    Same,
    /// In this status.
    Status(Status),
}

/// A group of people who may take an action, as [`crate::permissions::may`] evaluates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter)]
pub enum Who {
    /// The report's own reporter (account or access code).
    Reporter,
    /// Any national admin.
    NationalAdmins,
    /// The national admins while no agency holds the report.
    NationalAdminsWhileUnheld,
    /// The admins of the agency the reporter addressed.
    TargetAdmins,
    /// The officers and admins of the agency that holds the report.
    HolderStaff,
    /// The admins of the agency that holds the report.
    HolderAdmins,
    /// The national admins and the agency admins above the holder.
    AdminsAbove,
    /// Whoever decides the pending "not our authority" request: the admins of the agency that
    /// disposed the report, or the national admins for one they disposed.
    RequestDeciders,
    /// The scheduled jobs.
    System,
}

impl Who {
    /// How the table names the group.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Reporter => "the reporter",
            Self::NationalAdmins => "national admins",
            Self::NationalAdminsWhileUnheld => "national admins while no agency holds it",
            Self::TargetAdmins => "the target agency's admins",
            Self::HolderStaff => "the holder's officers and admins",
            Self::HolderAdmins => "the holder's admins",
            Self::AdminsAbove => "admins above the holder",
            Self::RequestDeciders => {
                "the admins who disposed it (national for a national disposition)"
            }
            Self::System => "the system",
        }
    }
}

/// One row of the lifecycle.
#[derive(Debug)]
pub struct Edge {
    pub action: Action,
    /// The statuses it may start from.
    pub from: &'static [Status],
    /// The statuses it may lead to.
    pub to: &'static [Next],
    /// Who may take it: anyone in one of these groups.
    pub who: &'static [Who],
    /// Why the rule exists.
    pub why: &'static str,
}

const OPEN: &[Status] = &[Disposed, InProgress];
const SAME: &[Next] = &[Next::Same];
const VERIFIERS: &[Who] = &[Who::NationalAdmins, Who::TargetAdmins];

/// The row of an action.
pub fn edge(action: Action) -> &'static Edge {
    match action {
        Action::Verify => &Edge {
            action: Action::Verify,
            from: &[Submitted],
            to: &[Next::Status(Disposed)],
            who: VERIFIERS,
            why: "every new report is verified (and disposed) within 3 working days (seed 003)",
        },
        Action::Return => &Edge {
            action: Action::Return,
            from: &[Submitted],
            to: &[Next::Status(Returned)],
            who: VERIFIERS,
            why: "an incomplete report goes back to its reporter instead of being deleted (DOMAIN: ~40% were deleted)",
        },
        Action::Archive => &Edge {
            action: Action::Archive,
            from: &[Submitted],
            to: &[Next::Status(Archived)],
            who: VERIFIERS,
            why: "a report that cannot be handled is set aside with a reason, never deleted",
        },
        Action::Complete => &Edge {
            action: Action::Complete,
            from: &[Returned],
            to: &[Next::Status(Submitted)],
            who: &[Who::Reporter],
            why: "the completed report is verified again",
        },
        Action::Dispose => &Edge {
            action: Action::Dispose,
            from: OPEN,
            to: &[Next::Status(Disposed)],
            who: &[Who::HolderAdmins, Who::NationalAdminsWhileUnheld],
            why: "reports go down the tree to the unit with authority; its response deadline starts",
        },
        Action::Forward => &Edge {
            action: Action::Forward,
            from: OPEN,
            to: &[Next::Status(Disposed)],
            who: &[Who::HolderStaff],
            why: "Teruskan: a unit hands the report to a sibling unit (seed 000)",
        },
        Action::Copy => &Edge {
            action: Action::Copy,
            from: &[Disposed, InProgress, Closed],
            to: SAME,
            who: &[Who::HolderAdmins, Who::AdminsAbove],
            why: "Salinan: another agency reads along without acting (seed 000)",
        },
        Action::FollowUp => &Edge {
            action: Action::FollowUp,
            from: OPEN,
            to: &[Next::Status(InProgress)],
            who: &[Who::HolderStaff],
            why: "Tindak Lanjut: the answer the reporter sees; the auto-close clock starts (seed 003)",
        },
        Action::Comment => &Edge {
            action: Action::Comment,
            from: &[Submitted, Returned, Disposed, InProgress, Closed],
            to: SAME,
            who: &[Who::Reporter, Who::HolderStaff, Who::AdminsAbove],
            why: "Komentar (seed 000); internal comments are for staff only",
        },
        Action::Reply => &Edge {
            action: Action::Reply,
            from: OPEN,
            to: SAME,
            who: &[Who::Reporter],
            why: "the reporter answers a follow-up, which stops the auto-close clock (seed 003)",
        },
        Action::RequestNotAuthority => &Edge {
            action: Action::RequestNotAuthority,
            from: OPEN,
            to: SAME,
            who: &[Who::HolderStaff],
            why: "Bukan Wewenang: the disposer decides, the report is never closed as 'not ours' (CPGRAMS)",
        },
        Action::DecideNotAuthority => &Edge {
            action: Action::DecideNotAuthority,
            from: OPEN,
            to: &[Next::Same, Next::Status(Disposed)],
            who: &[Who::RequestDeciders],
            why: "accepted: the report returns to the disposer (status disposed); refused: it stays",
        },
        Action::Close => &Edge {
            action: Action::Close,
            from: &[InProgress],
            to: &[Next::Status(Closed)],
            who: &[Who::HolderStaff],
            why: "Tutup: only after at least one follow-up (seed 000)",
        },
        Action::AutoClose => &Edge {
            action: Action::AutoClose,
            from: &[InProgress],
            to: &[Next::Status(Closed)],
            who: &[Who::System],
            why: "10 working days after the last follow-up with no reply from the reporter or an admin (seed 003, 004)",
        },
        Action::Reopen => &Edge {
            action: Action::Reopen,
            from: &[Closed],
            to: &[Next::Status(InProgress)],
            who: &[Who::HolderStaff, Who::AdminsAbove],
            why: "a closed report that was not resolved is opened again, with a reason",
        },
        Action::Rate => &Edge {
            action: Action::Rate,
            from: &[InProgress, Closed],
            to: SAME,
            who: &[Who::Reporter],
            why: "the agency's rating comes from reporters who had an answer (seed 000), once per closing so each answer counts once",
        },
        Action::MarkOverdue => &Edge {
            action: Action::MarkOverdue,
            from: &[Submitted, Disposed, InProgress],
            to: SAME,
            who: &[Who::System],
            why: "overdue reports are flagged and their agencies warned (seed 000, seed 004 point 6)",
        },
        Action::WarnDeadline => &Edge {
            action: Action::WarnDeadline,
            from: &[Submitted, Disposed, InProgress],
            to: SAME,
            who: &[Who::System],
            why: "admins remind agencies before their reports fall overdue (seed 004 point 6)",
        },
        Action::Escalate => &Edge {
            action: Action::Escalate,
            from: &[Disposed],
            to: SAME,
            who: &[Who::System],
            why: "a report unanswered for three times its response period goes to the admins above (Signalen's 3x overdue; seed 004 point 6)",
        },
    }
}

/// Every row, in the order of [`Action`].
pub fn table() -> impl Iterator<Item = &'static Edge> {
    Action::iter().map(edge)
}

/// Checks that `action` may start from `status`.
pub fn check(action: Action, status: Status) -> Result<(), Violation> {
    if edge(action).from.contains(&status) {
        Ok(())
    } else {
        Err(Violation::Conflict(format!(
            "this action is not possible while the report is {}",
            status.as_str()
        )))
    }
}

/// True when the row of `action` lets a report go from `from` to `to`.
pub fn leads_to(action: Action, from: Status, to: Status) -> bool {
    edge(action).to.iter().any(|next| match next {
        Next::Same => from == to,
        Next::Status(status) => *status == to,
    })
}

/// The table in Markdown, as the README shows it.
pub fn markdown() -> String {
    let mut out = String::from("| action | from | to | who | why |\n|---|---|---|---|---|\n");
    for edge in table() {
        let from: Vec<&str> = edge.from.iter().map(|s| s.as_str()).collect();
        let to: Vec<&str> = edge
            .to
            .iter()
            .map(|next| match next {
                Next::Same => "(unchanged)",
                Next::Status(status) => status.as_str(),
            })
            .collect();
        let who: Vec<&str> = edge.who.iter().map(|w| w.describe()).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            edge.action.as_str(),
            from.join(", "),
            to.join(", "),
            who.join("; "),
            edge.why
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_is_final_and_closed_only_reopens() {
        for edge in table() {
            assert!(
                !edge.from.contains(&Archived),
                "{:?} leaves archived",
                edge.action
            );
            if edge.from.contains(&Closed) {
                assert!(matches!(
                    edge.action,
                    Action::Reopen | Action::Comment | Action::Copy | Action::Rate
                ));
            }
        }
    }

    #[test]
    fn only_the_conversation_is_taken_again_after_a_lost_race() {
        let appends: Vec<Action> = Action::iter().filter(|a| a.is_append()).collect();
        assert_eq!(appends, [Action::FollowUp, Action::Comment, Action::Reply]);
    }

    #[test]
    fn each_row_names_its_own_action_and_someone_who_may_take_it() {
        for action in Action::iter() {
            let edge = edge(action);
            assert_eq!(edge.action, action);
            assert!(!edge.from.is_empty() && !edge.to.is_empty() && !edge.who.is_empty());
        }
    }
}

//! The lifecycle as one table: for each action, the statuses it may start from, the status it
//! leads to, who may take it, and why the rule exists. The permission rules behind "who" are in
//! [`crate::permissions`]; this table is what a newcomer reads first.

use crate::report::Status::{self, *};
use crate::violation::Violation;

/// Every action on a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

/// One row of the lifecycle.
#[derive(Debug)]
pub struct Edge {
    /// The action.
    pub action: Action,
    /// The statuses it may start from.
    pub from: &'static [Status],
    /// The status it leads to; `None`: the status does not change.
    pub to: Option<Status>,
    /// Who may take it.
    pub who: &'static str,
    /// Why the rule exists.
    pub why: &'static str,
}

const OPEN: &[Status] = &[Disposed, InProgress];

/// The lifecycle.
pub const LIFECYCLE: &[Edge] = &[
    Edge {
        action: Action::Verify,
        from: &[Submitted],
        to: Some(Disposed),
        who: "national admin; the target agency's admins",
        why: "every new report is verified (and disposed) within 3 working days (seed 003)",
    },
    Edge {
        action: Action::Return,
        from: &[Submitted],
        to: Some(Returned),
        who: "as verify",
        why: "an incomplete report goes back to its reporter instead of being deleted (DOMAIN: ~40% were deleted)",
    },
    Edge {
        action: Action::Archive,
        from: &[Submitted],
        to: Some(Archived),
        who: "as verify",
        why: "a report that cannot be handled is set aside with a reason, never deleted",
    },
    Edge {
        action: Action::Complete,
        from: &[Returned],
        to: Some(Submitted),
        who: "the reporter",
        why: "the completed report is verified again",
    },
    Edge {
        action: Action::Dispose,
        from: OPEN,
        to: Some(Disposed),
        who: "the holder's admins; national admins for an unassigned report",
        why: "reports go down the tree to the unit with authority; its response deadline starts",
    },
    Edge {
        action: Action::Forward,
        from: OPEN,
        to: Some(Disposed),
        who: "the holder's officers",
        why: "Teruskan: a unit hands the report to a sibling unit (seed 000)",
    },
    Edge {
        action: Action::Copy,
        from: &[Disposed, InProgress, Closed],
        to: None,
        who: "admins of the holder or above",
        why: "Salinan: another agency reads along without acting (seed 000)",
    },
    Edge {
        action: Action::FollowUp,
        from: OPEN,
        to: Some(InProgress),
        who: "the holder's officers and admins",
        why: "Tindak Lanjut: the answer the reporter sees; the auto-close clock starts (seed 003)",
    },
    Edge {
        action: Action::Comment,
        from: &[Submitted, Returned, Disposed, InProgress, Closed],
        to: None,
        who: "the reporter, the holder, admins above",
        why: "Komentar (seed 000); internal comments are for staff only",
    },
    Edge {
        action: Action::Reply,
        from: OPEN,
        to: None,
        who: "the reporter",
        why: "the reporter answers a follow-up, which stops the auto-close clock (seed 003)",
    },
    Edge {
        action: Action::RequestNotAuthority,
        from: OPEN,
        to: None,
        who: "the holder's officers",
        why: "Bukan Wewenang: the disposer decides, the report is never closed as 'not ours' (CPGRAMS)",
    },
    Edge {
        action: Action::DecideNotAuthority,
        from: OPEN,
        to: None,
        who: "admins of the agency that disposed it",
        why: "accepted: the report returns to the disposer (status disposed); refused: it stays",
    },
    Edge {
        action: Action::Close,
        from: &[InProgress],
        to: Some(Closed),
        who: "the holder's officers and admins",
        why: "Tutup: only after at least one follow-up (seed 000)",
    },
    Edge {
        action: Action::AutoClose,
        from: &[InProgress],
        to: Some(Closed),
        who: "the system",
        why: "10 working days after the last follow-up with no reply from the reporter or an admin (seed 003, 004)",
    },
    Edge {
        action: Action::Reopen,
        from: &[Closed],
        to: Some(InProgress),
        who: "the holder's officers, admins above",
        why: "a closed report that was not resolved is opened again, with a reason",
    },
    Edge {
        action: Action::Rate,
        from: &[InProgress, Closed],
        to: None,
        who: "the reporter",
        why: "the agency's rating comes from reporters who had an answer (seed 000)",
    },
    Edge {
        action: Action::MarkOverdue,
        from: &[Submitted, Disposed, InProgress],
        to: None,
        who: "the system",
        why: "overdue reports are flagged and their agencies warned (seed 000, seed 004 point 6)",
    },
    Edge {
        action: Action::WarnDeadline,
        from: &[Submitted, Disposed, InProgress],
        to: None,
        who: "the system",
        why: "admins remind agencies before their reports fall overdue (seed 004 point 6)",
    },
    Edge {
        action: Action::Escalate,
        from: &[Disposed],
        to: None,
        who: "the system",
        why: "a report unanswered for three times its response period goes to the admins above (Signalen's 3x overdue; seed 004 point 6)",
    },
];

/// The row of an action.
pub fn edge(action: Action) -> &'static Edge {
    LIFECYCLE
        .iter()
        .find(|e| e.action == action)
        .unwrap_or(&LIFECYCLE[0])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_exactly_one_row() {
        use Action::*;
        let all = [
            Verify,
            Return,
            Archive,
            Complete,
            Dispose,
            Forward,
            Copy,
            FollowUp,
            Comment,
            Reply,
            RequestNotAuthority,
            DecideNotAuthority,
            Close,
            AutoClose,
            Reopen,
            Rate,
            MarkOverdue,
            WarnDeadline,
            Escalate,
        ];
        for action in all {
            assert_eq!(
                LIFECYCLE.iter().filter(|e| e.action == action).count(),
                1,
                "{action:?}"
            );
        }
        assert_eq!(LIFECYCLE.len(), all.len());
    }

    #[test]
    fn archived_is_final_and_closed_only_reopens() {
        for edge in LIFECYCLE {
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
}

//! The lifecycle table against the code: every action, on reports in every status, by every
//! kind of actor, at moments before and after its deadlines. The decide functions must refuse
//! exactly what the table's `from` and `who` refuse, and lead only where its `to` says; and each
//! status, group and destination a row lists must be met by some allowed action, so that no
//! column claims more than the code does.

use std::collections::HashSet;

use lapor_domain::actions::{Command, Context, Verification};
use lapor_domain::draft::Draft;
use lapor_domain::lifecycle::{self, Action, Next, Who};
use lapor_domain::report::DeadlineKind;
use lapor_domain::*;
use strum::IntoEnumIterator;
use time::{Duration, OffsetDateTime};

mod world;

use world::*;

/// Reports in every status, reached by real decisions, with the requests, copies and holders
/// that the rows' rules look at.
fn lives(w: &World) -> Vec<(&'static str, Life)> {
    let mut lives = Vec::new();
    let mut add = |name, life: Life| lives.push((name, life));

    add("submitted", Life::new(w, None, false, false));
    add("submitted to A", Life::new(w, Some(&w.a), false, false));
    add("submitted, confidential", Life::new(w, None, false, true));

    let mut returned = Life::new(w, None, false, false);
    returned
        .act(
            w,
            NATIONAL,
            Command::Verification(Verification::Return {
                reason: reason("Lengkapi lokasinya."),
            }),
        )
        .unwrap();
    add("returned", returned);

    let mut archived = Life::new(w, None, false, false);
    archived
        .act(
            w,
            NATIONAL,
            Command::Verification(Verification::Archive {
                reason: reason("Bukan pelayanan publik."),
            }),
        )
        .unwrap();
    add("archived", archived);

    let mut unheld = Life::new(w, None, false, false);
    unheld.act(w, NATIONAL, verify(None)).unwrap();
    add("verified, held by nobody", unheld);

    let at_a = |confidential| {
        let mut life = Life::new(w, None, false, confidential);
        life.act(w, NATIONAL, verify(Some(&w.a))).unwrap();
        life
    };
    add("disposed to A", at_a(false));
    add("disposed to A, confidential", at_a(true));

    let mut asked_national = at_a(false);
    asked_national
        .act(
            w,
            ADMIN_A,
            Command::RequestNotAuthority {
                request_id: RequestId::from_ulid(id(7001)),
                reason: reason("Wewenang kementerian."),
            },
        )
        .unwrap();
    add("disposed to A, asking the national admins", asked_national);

    let at_a1 = || {
        let mut life = at_a(false);
        life.act(
            w,
            ADMIN_A,
            Command::Dispose {
                to: w.a1.to_ref(),
                note: None,
            },
        )
        .unwrap();
        life
    };
    add("disposed to A1", at_a1());

    let mut asked_a = at_a1();
    asked_a
        .act(
            w,
            LIAISON_A1,
            Command::RequestNotAuthority {
                request_id: RequestId::from_ulid(id(7002)),
                reason: reason("Bukan wewenang dinas."),
            },
        )
        .unwrap();
    add("disposed to A1, asking A", asked_a);

    let answered = |life: &mut Life, actor| {
        life.act(
            w,
            actor,
            Command::FollowUp {
                body: msg("Sedang kami tangani."),
                attachments: Vec::new(),
            },
        )
        .unwrap();
    };
    let mut in_progress_a = at_a(false);
    answered(&mut in_progress_a, ADMIN_A);
    add("in progress at A", in_progress_a);

    let mut in_progress_a1 = at_a1();
    answered(&mut in_progress_a1, LIAISON_A1);
    in_progress_a1
        .act(w, ADMIN_A, Command::Copy { to: w.b.to_ref() })
        .unwrap();
    add("in progress at A1, copied to B", in_progress_a1);

    let mut asked_in_progress = at_a1();
    answered(&mut asked_in_progress, LIAISON_A1);
    asked_in_progress
        .act(
            w,
            LIAISON_A1,
            Command::RequestNotAuthority {
                request_id: RequestId::from_ulid(id(7003)),
                reason: reason("Bukan wewenang dinas."),
            },
        )
        .unwrap();
    add("in progress at A1, asking A", asked_in_progress);

    let mut closed = at_a1();
    answered(&mut closed, LIAISON_A1);
    closed
        .act(w, LIAISON_A1, Command::Close { note: None })
        .unwrap();
    add("closed at A1", closed);
    lives
}

/// Commands that take `action` on the report, with arguments its own rules accept where
/// there are any (an agency below the holder, a sibling, the pending request).
fn commands(w: &World, report: &Report, action: Action) -> Vec<Command> {
    let below = match report.assigned() {
        Some(holder) if holder.id == w.a.id => w.a1.to_ref(),
        Some(_) => w.b1.to_ref(),
        None => w.a.to_ref(),
    };
    let sibling = match report.assigned() {
        Some(holder) if holder.id == w.a1.id => w.a2.to_ref(),
        _ => w.a1.to_ref(),
    };
    let request_id = report
        .requests()
        .last()
        .map(|r| r.id.clone())
        .unwrap_or_else(|| RequestId::from_ulid(id(7999)));
    let decide = |accept| Command::DecideNotAuthority {
        request_id: request_id.clone(),
        accept,
        reason: None,
        dispose_to: None,
    };
    match action {
        Action::Verify => vec![verify(None)],
        Action::Return => vec![Command::Verification(Verification::Return {
            reason: reason("Lengkapi."),
        })],
        Action::Archive => vec![Command::Verification(Verification::Archive {
            reason: reason("Ganda."),
        })],
        Action::Complete => vec![Command::Complete(Box::new(submission(None, false, false)))],
        Action::Dispose => vec![Command::Dispose {
            to: below,
            note: None,
        }],
        Action::Forward => vec![Command::Forward {
            to: sibling,
            note: None,
        }],
        Action::Copy => vec![Command::Copy { to: w.b1.to_ref() }],
        Action::FollowUp => vec![Command::FollowUp {
            body: msg("Jawaban."),
            attachments: Vec::new(),
        }],
        Action::Comment => vec![Command::Comment {
            body: msg("Komentar."),
            internal: false,
        }],
        Action::Reply => vec![Command::Reply {
            body: msg("Terima kasih."),
            attachments: Vec::new(),
        }],
        Action::RequestNotAuthority => vec![Command::RequestNotAuthority {
            request_id: RequestId::from_ulid(id(7500)),
            reason: reason("Bukan wewenang kami."),
        }],
        Action::DecideNotAuthority => vec![decide(true), decide(false)],
        Action::Close => vec![Command::Close { note: None }],
        Action::AutoClose => vec![Command::AutoClose],
        Action::Reopen => vec![Command::Reopen {
            reason: reason("Belum selesai."),
        }],
        Action::Rate => vec![Command::Rate {
            stars: fields::Stars::parse(4).unwrap(),
            comment: None,
        }],
        Action::MarkOverdue => DeadlineKind::ALL
            .into_iter()
            .map(Command::MarkOverdue)
            .collect(),
        Action::WarnDeadline => DeadlineKind::ALL
            .into_iter()
            .map(Command::WarnDeadline)
            .collect(),
        Action::Escalate => vec![Command::Escalate],
    }
}

/// Moments to act at: soon, at the start of each running deadline's warning day, and long
/// after every deadline.
fn moments(w: &World, life: &Life) -> Vec<OffsetDateTime> {
    let report = &life.report;
    let mut moments = vec![
        life.now + Duration::hours(1),
        life.now + Duration::days(400),
    ];
    for kind in DeadlineKind::ALL {
        if let Some(deadline) = report.deadlines().get(kind) {
            moments.push(schedule::warning_at(deadline, report.zone(), &w.calendar));
        }
    }
    moments
}

#[test]
fn every_row_is_what_the_code_does() {
    let w = world();
    let mut starts: HashSet<(Action, Status)> = HashSet::new();
    let mut groups: HashSet<(Action, usize)> = HashSet::new();
    let mut leads: HashSet<(Action, usize)> = HashSet::new();
    for (name, life) in lives(&w) {
        let report = &life.report;
        for action in Action::iter() {
            let edge = lifecycle::edge(action);
            for (actor_index, actor) in w.actors.iter().enumerate() {
                for now in moments(&w, &life) {
                    for command in commands(&w, report, action) {
                        let ctx = Context {
                            now,
                            calendar: &w.calendar,
                        };
                        let mut draft = Draft::new(report.clone());
                        let mut n = 0;
                        let result = draft.take(actor, command, &ctx, &mut || {
                            n += 1;
                            EntryId::from_ulid(id(90_000 + n))
                        });
                        let sees = permissions::can_see(report, actor);
                        let among: Vec<usize> = (0..edge.who.len())
                            .filter(|&i| permissions::is_among(edge.who[i], report, actor))
                            .collect();
                        let from = edge.from.contains(&report.status());
                        let case =
                            format!("{action:?} on '{name}' by actor {actor_index} at {now}");
                        match result {
                            Err(Violation::NotFound) if !sees => {}
                            Err(Violation::Forbidden(_)) if sees && among.is_empty() => {}
                            Err(Violation::Conflict(m)) if sees && !among.is_empty() && !from => {
                                assert!(
                                    m.starts_with("this action is not possible while"),
                                    "{case}: {m}"
                                );
                            }
                            // The command's own rules (a deadline not near, a request decided...).
                            Err(
                                Violation::Conflict(_)
                                | Violation::Invalid(_)
                                | Violation::Forbidden(_),
                            ) if sees && !among.is_empty() && from => {}
                            Ok(()) => {
                                assert!(
                                    sees && !among.is_empty() && from,
                                    "{case}: allowed against the table"
                                );
                                let after = draft.report().status();
                                let next = edge
                                    .to
                                    .iter()
                                    .position(|next| match next {
                                        Next::Same => after == report.status(),
                                        Next::Status(s) => *s == after,
                                    })
                                    .unwrap_or_else(|| {
                                        panic!("{case}: led to {after:?}, outside the row")
                                    });
                                starts.insert((action, report.status()));
                                leads.insert((action, next));
                                groups.extend(among.into_iter().map(|i| (action, i)));
                            }
                            Err(other) => {
                                panic!("{case}: refused as {other:?}, not as the table says")
                            }
                        }
                    }
                }
            }
        }
    }
    for edge in lifecycle::table() {
        for status in edge.from {
            assert!(
                starts.contains(&(edge.action, *status)),
                "{:?} never starts from {status:?}",
                edge.action
            );
        }
        for (i, who) in edge.who.iter().enumerate() {
            assert!(
                groups.contains(&(edge.action, i)),
                "{:?} is never taken by {who:?}",
                edge.action
            );
        }
        for (i, next) in edge.to.iter().enumerate() {
            assert!(
                leads.contains(&(edge.action, i)),
                "{:?} never leads to {next:?}",
                edge.action
            );
        }
    }
}

#[test]
fn every_group_is_someone() {
    // Each group of the table admits some actor on some report, and refuses some other.
    let w = world();
    let lives = lives(&w);
    for who in Who::iter() {
        let admits = |admitted: bool| {
            lives.iter().any(|(_, life)| {
                w.actors
                    .iter()
                    .any(|actor| permissions::is_among(who, &life.report, actor) == admitted)
            })
        };
        assert!(admits(true) && admits(false), "{who:?}");
    }
}

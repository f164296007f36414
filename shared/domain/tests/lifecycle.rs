//! The lifecycle as a whole: table-driven cases and property tests over random sequences of
//! actions by random actors.

use lapor_domain::actions::{Command, Verification};
use lapor_domain::fields::*;
use lapor_domain::report::DeadlineKind;
use lapor_domain::view::report_view;
use lapor_domain::*;
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

mod world;

use world::*;

#[test]
fn the_whole_lifecycle_from_submission_to_rating() {
    let w = world();
    let mut life = Life::new(&w, None, false, false);
    assert_eq!(
        life.act(&w, NATIONAL, verify(Some(&w.a))).unwrap(),
        2,
        "verified + disposed"
    );
    assert_eq!(life.report.status(), Status::Disposed);
    life.act(
        &w,
        ADMIN_A,
        Command::Dispose {
            to: w.a1.to_ref(),
            note: None,
        },
    )
    .unwrap();
    assert_eq!(life.report.assigned().unwrap().id, w.a1.id);
    life.act(
        &w,
        LIAISON_A1,
        Command::FollowUp {
            body: msg("Sedang kami perbaiki."),
            attachments: vec![],
        },
    )
    .unwrap();
    assert_eq!(life.report.status(), Status::InProgress);
    life.act(
        &w,
        REPORTER,
        Command::Reply {
            body: msg("Terima kasih."),
            attachments: vec![],
        },
    )
    .unwrap();
    life.act(&w, LIAISON_A1, Command::Close { note: None })
        .unwrap();
    assert_eq!(life.report.status(), Status::Closed);
    life.act(
        &w,
        ADMIN_A,
        Command::Reopen {
            reason: reason("Belum selesai."),
        },
    )
    .unwrap();
    assert_eq!(life.report.status(), Status::InProgress);
    life.act(
        &w,
        REPORTER,
        Command::Rate {
            stars: Stars::parse(4).unwrap(),
            comment: None,
        },
    )
    .unwrap();
    assert_eq!(life.report.rating().as_ref().unwrap().stars.get(), 4);
}

#[test]
fn a_report_is_rated_once_per_closing() {
    let w = world();
    let mut life = Life::new(&w, None, false, false);
    life.act(&w, NATIONAL, verify(Some(&w.a1))).unwrap();
    let rate = |stars| Command::Rate {
        stars: Stars::parse(stars).unwrap(),
        comment: None,
    };
    let follow_up = || Command::FollowUp {
        body: msg("Sudah kami perbaiki."),
        attachments: vec![],
    };
    life.act(&w, LIAISON_A1, follow_up()).unwrap();
    life.act(&w, LIAISON_A1, Command::Close { note: None })
        .unwrap();
    life.act(&w, REPORTER, rate(2)).unwrap();
    let again = life.act(&w, REPORTER, rate(5));
    assert!(
        matches!(&again, Err(Violation::Conflict(m)) if m.starts_with("the answer has been rated")),
        "{again:?}"
    );
    // Reopened and closed again, the new answer is rated once more, and once only.
    life.act(
        &w,
        ADMIN_A,
        Command::Reopen {
            reason: reason("Masih berlubang."),
        },
    )
    .unwrap();
    life.act(&w, LIAISON_A1, follow_up()).unwrap();
    life.act(&w, LIAISON_A1, Command::Close { note: None })
        .unwrap();
    life.act(&w, REPORTER, rate(5)).unwrap();
    assert_eq!(life.report.rating().unwrap().stars.get(), 5);
    assert!(matches!(
        life.act(&w, REPORTER, rate(1)),
        Err(Violation::Conflict(_))
    ));
    let rated = life
        .entries
        .iter()
        .filter(|e| e.event.kind() == EventKind::Rated)
        .count();
    assert_eq!(rated, 2, "one rating per closing");
}

#[test]
fn not_authority_accepted_returns_the_report_to_its_disposer() {
    let w = world();
    let mut life = Life::new(&w, None, false, false);
    life.act(&w, NATIONAL, verify(Some(&w.a))).unwrap();
    life.act(
        &w,
        ADMIN_A,
        Command::Dispose {
            to: w.a1.to_ref(),
            note: None,
        },
    )
    .unwrap();
    let request_id = RequestId::from_ulid(id(77));
    life.act(
        &w,
        LIAISON_A1,
        Command::RequestNotAuthority {
            request_id: request_id.clone(),
            reason: reason("Bukan wewenang kami."),
        },
    )
    .unwrap();
    // The unit cannot decide its own request; the national admins are not the disposer.
    let decide_cmd = |accept| Command::DecideNotAuthority {
        request_id: request_id.clone(),
        accept,
        reason: None,
        dispose_to: Some(w.a2.to_ref()),
    };
    assert!(matches!(
        life.act(&w, LIAISON_A1, decide_cmd(true)),
        Err(Violation::Forbidden(_))
    ));
    assert!(matches!(
        life.act(&w, NATIONAL, decide_cmd(true)),
        Err(Violation::Forbidden(_))
    ));
    life.act(&w, ADMIN_A, decide_cmd(true)).unwrap();
    assert_eq!(life.report.assigned().unwrap().id, w.a2.id);
    assert_eq!(life.report.disposer().unwrap().id, w.a.id);
    assert!(matches!(
        life.act(&w, ADMIN_A, decide_cmd(true)),
        Err(Violation::Conflict(_))
    ));
}

#[test]
fn not_authority_rejected_keeps_the_report_with_the_unit() {
    let w = world();
    let mut life = Life::new(&w, None, false, false);
    life.act(&w, NATIONAL, verify(Some(&w.b1))).unwrap();
    let request_id = RequestId::from_ulid(id(78));
    life.act(
        &w,
        LIAISON_B1,
        Command::RequestNotAuthority {
            request_id: request_id.clone(),
            reason: reason("Bukan kami."),
        },
    )
    .unwrap();
    assert!(matches!(
        life.act(
            &w,
            LIAISON_B1,
            Command::RequestNotAuthority {
                request_id: RequestId::from_ulid(id(79)),
                reason: reason("Lagi.")
            }
        ),
        Err(Violation::Conflict(_))
    ));
    life.act(
        &w,
        NATIONAL,
        Command::DecideNotAuthority {
            request_id,
            accept: false,
            reason: Some(reason("Ini wewenang Anda.")),
            dispose_to: None,
        },
    )
    .unwrap();
    assert_eq!(life.report.assigned().unwrap().id, w.b1.id);
}

#[test]
fn a_confidential_report_is_seen_only_by_those_it_reached() {
    let w = world();
    let mut life = Life::new(&w, None, true, true);
    life.act(&w, NATIONAL, verify(Some(&w.a1))).unwrap();
    let sees = |actor: usize, life: &Life| {
        report_view(&life.report, &life.entries, &w.actors[actor], life.now).is_some()
    };
    for (actor, expected) in [
        (REPORTER, true),
        (NATIONAL, true),
        (LIAISON_A1, true),
        (ADMIN_A1, true),
        (ADMIN_A, false),
        (LIAISON_A2, false),
        (ADMIN_B, false),
        (OTHER_CITIZEN, false),
        (PUBLIC, false),
    ] {
        assert_eq!(sees(actor, &life), expected, "actor {actor}");
    }
    // An admin above who cannot see it gets "not found", never "forbidden".
    assert_eq!(
        life.act(&w, ADMIN_A, Command::Copy { to: w.b.to_ref() }),
        Err(Violation::NotFound)
    );
    let view = report_view(&life.report, &life.entries, &w.actors[LIAISON_A1], life.now).unwrap();
    assert!(
        view.reporter.is_none(),
        "anonymous: the unit does not learn who reported"
    );
    let view = report_view(&life.report, &life.entries, &w.actors[NATIONAL], life.now).unwrap();
    assert_eq!(view.reporter.unwrap().name, "Siti");
}

#[test]
fn a_target_passed_over_at_verification_loses_a_confidential_report() {
    let w = world();
    let mut life = Life::new(&w, Some(&w.a1), false, true);
    let sees = |actor: usize, life: &Life| {
        report_view(&life.report, &life.entries, &w.actors[actor], life.now).is_some()
    };
    assert!(sees(ADMIN_A1, &life), "the target verifies it");
    assert!(sees(LIAISON_A1, &life));
    life.act(&w, NATIONAL, verify(Some(&w.b1))).unwrap();
    for (actor, expected) in [
        (ADMIN_A1, false),
        (LIAISON_A1, false),
        (LIAISON_B1, true),
        (REPORTER, true),
    ] {
        assert_eq!(sees(actor, &life), expected, "actor {actor}");
    }
}

#[test]
fn a_target_loses_a_confidential_report_once_it_is_archived() {
    let w = world();
    let mut life = Life::new(&w, Some(&w.a1), false, true);
    let sees = |actor: usize, life: &Life| {
        report_view(&life.report, &life.entries, &w.actors[actor], life.now).is_some()
    };
    assert!(sees(ADMIN_A1, &life));
    life.act(
        &w,
        NATIONAL,
        Command::Verification(Verification::Archive {
            reason: reason("Laporan ganda."),
        }),
    )
    .unwrap();
    assert!(
        !sees(ADMIN_A1, &life),
        "set aside before the target verified it"
    );
    assert!(sees(REPORTER, &life) && sees(NATIONAL, &life));
}

#[test]
fn an_overdue_report_held_by_no_agency_warns_the_national_admins() {
    let mut w = world();
    w.actors.push(Actor::System);
    let system = w.actors.len() - 1;
    let mut life = Life::new(&w, Some(&w.a1), false, false);
    life.act(&w, NATIONAL, verify(Some(&w.b1))).unwrap();
    let request_id = RequestId::from_ulid(id(78));
    life.act(
        &w,
        LIAISON_B1,
        Command::RequestNotAuthority {
            request_id: request_id.clone(),
            reason: reason("Bukan wewenang kami."),
        },
    )
    .unwrap();
    life.act(
        &w,
        NATIONAL,
        Command::DecideNotAuthority {
            request_id,
            accept: true,
            reason: None,
            dispose_to: None,
        },
    )
    .unwrap();
    assert!(
        life.report.assigned().is_none(),
        "back with the national admins"
    );
    life.now = datetime!(2025-03-03 09:00 +7);
    life.act(&w, system, Command::MarkOverdue(DeadlineKind::Response))
        .unwrap();
    let overdue = life.entries.last().unwrap();
    assert_eq!(
        lapor_domain::notify::recipients(&life.report, overdue),
        vec![lapor_domain::notify::Recipient::Admins { agency_id: None }],
        "not the admins of the target that was passed over"
    );
}

#[test]
fn a_report_is_copied_to_a_bounded_number_of_agencies() {
    let w = world();
    let mut life = Life::new(&w, None, false, false);
    life.act(&w, NATIONAL, verify(Some(&w.a1))).unwrap();
    let copy_to = |n: u128| Command::Copy {
        to: agency(900 + n, &format!("Dinas Tembusan {n}"), None).to_ref(),
    };
    for n in 0..lapor_domain::actions::MAX_COPIES as u128 {
        life.act(&w, NATIONAL, copy_to(n)).unwrap();
    }
    assert!(matches!(
        life.act(&w, NATIONAL, copy_to(99)),
        Err(Violation::Invalid(e)) if e[0].field == "agency_id"
    ));
}

#[test]
fn admins_can_raise_protections_but_never_lift_them() {
    let w = world();
    let mut life = Life::new(&w, None, true, false);
    let lift = Command::Verification(Verification::Verify {
        dispose_to: None,
        title: None,
        category: None,
        anonymous: Some(false),
        confidential: Some(true),
    });
    assert!(
        matches!(life.act(&w, NATIONAL, lift), Err(Violation::Invalid(e)) if e[0].field == "anonymous")
    );
    let raise = Command::Verification(Verification::Verify {
        dispose_to: None,
        title: None,
        category: None,
        anonymous: Some(true),
        confidential: Some(true),
    });
    life.act(&w, NATIONAL, raise).unwrap();
    assert!(life.report.submission().anonymous && life.report.submission().confidential);
}

#[test]
fn auto_close_waits_for_ten_quiet_working_days() {
    let w = world();
    let mut life = Life::new(&w, Some(&w.a1), false, false);
    life.act(&w, NATIONAL, verify(None)).unwrap();
    life.act(
        &w,
        LIAISON_A1,
        Command::FollowUp {
            body: msg("Sudah ditangani."),
            attachments: vec![],
        },
    )
    .unwrap();
    // Follow-up on Monday 13 January 2025; ten working days: 14–17, 20–24 (Jan 27 Isra Mi'raj,
    // Jan 28 cuti bersama, Jan 29 Imlek are off), so the 10th is Thursday 30 January.
    life.now = datetime!(2025-01-30 20:00 +7);
    assert!(matches!(
        life.act(&w, SYSTEM, Command::AutoClose),
        Err(Violation::Conflict(_))
    ));
    life.now = datetime!(2025-01-31 00:00:01 +7);
    life.act(&w, SYSTEM, Command::AutoClose).unwrap();
    assert_eq!(life.report.status(), Status::Closed);
}

#[test]
fn a_reply_stops_the_auto_close_clock() {
    let w = world();
    let mut life = Life::new(&w, Some(&w.a1), false, false);
    life.act(&w, NATIONAL, verify(None)).unwrap();
    life.act(
        &w,
        LIAISON_A1,
        Command::FollowUp {
            body: msg("Sudah ditangani."),
            attachments: vec![],
        },
    )
    .unwrap();
    life.act(
        &w,
        REPORTER,
        Command::Reply {
            body: msg("Belum beres."),
            attachments: vec![],
        },
    )
    .unwrap();
    life.now += Duration::days(60);
    assert!(matches!(
        life.act(&w, SYSTEM, Command::AutoClose),
        Err(Violation::Conflict(_))
    ));
}

/// One step of a random life: who acts, and a template of what they try.
#[derive(Clone, Debug)]
struct Step {
    actor: usize,
    action: u8,
    agency: usize,
    hours: i64,
    flag: bool,
}

fn step() -> impl Strategy<Value = Step> {
    (0..=SYSTEM, 0u8..18, 0usize..5, 0i64..200, any::<bool>()).prop_map(
        |(actor, action, agency, hours, flag)| Step {
            actor,
            action,
            agency,
            hours,
            flag,
        },
    )
}

fn command(w: &World, life: &Life, s: &Step) -> Command {
    let to = w.agencies()[s.agency].to_ref();
    let some_to = s.flag.then(|| to.clone());
    match s.action {
        0 => Command::Verification(Verification::Verify {
            dispose_to: some_to,
            title: None,
            category: None,
            anonymous: Some(s.flag),
            confidential: None,
        }),
        1 => Command::Verification(Verification::Return {
            reason: reason("Lengkapi lokasi."),
        }),
        2 => Command::Verification(Verification::Archive {
            reason: reason("Bukan pengaduan."),
        }),
        3 => Command::Complete(Box::new(submission(some_to, s.flag, false))),
        4 => Command::Dispose { to, note: None },
        5 => Command::Forward { to, note: None },
        6 => Command::Copy { to },
        7 => Command::FollowUp {
            body: msg("Tindak lanjut."),
            attachments: vec![],
        },
        8 => Command::Comment {
            body: msg("Komentar."),
            internal: s.flag,
        },
        9 => Command::Reply {
            body: msg("Balasan."),
            attachments: vec![],
        },
        10 => Command::RequestNotAuthority {
            request_id: RequestId::from_ulid(id(life.next_id + 90_000)),
            reason: reason("Bukan wewenang."),
        },
        11 => Command::DecideNotAuthority {
            request_id: life.request_id(),
            accept: s.flag,
            reason: None,
            dispose_to: None,
        },
        12 => Command::Close { note: None },
        13 => Command::AutoClose,
        14 => Command::Reopen {
            reason: reason("Belum tuntas."),
        },
        15 => Command::Rate {
            stars: Stars::parse(3).unwrap(),
            comment: None,
        },
        16 => Command::MarkOverdue(if s.flag {
            DeadlineKind::Response
        } else {
            DeadlineKind::Resolution
        }),
        _ => Command::MarkOverdue(DeadlineKind::Verification),
    }
}

fn check_consistent(life: &Life) -> Result<(), TestCaseError> {
    let r = &life.report;
    let published = r.status().is_published();
    prop_assert_eq!(
        published,
        r.verified_at().is_some(),
        "published iff verified: {:?}",
        r.status()
    );
    if !published {
        prop_assert!(r.chain().is_empty(), "an unverified report has no holder");
    }
    if matches!(r.status(), Status::InProgress | Status::Closed) || r.rating().is_some() {
        prop_assert!(
            r.follow_ups() > 0,
            "in progress, closed or rated without a follow-up"
        );
    }
    if r.status() == Status::Submitted {
        prop_assert!(r.deadlines().verification.is_some());
    }
    if r.status() == Status::Disposed {
        prop_assert!(
            r.deadlines().response.is_some(),
            "a disposed report has a response deadline"
        );
    }
    if r.status() == Status::Closed {
        prop_assert!(r.awaiting_reporter_since().is_none() && r.deadlines().resolution.is_none());
    }
    for a in r.chain().iter().map(|a| &a.to).chain(r.copies()) {
        prop_assert!(r.reached(&a.id), "every holder and copy is in the audience");
    }
    let pending: Vec<_> = r
        .requests()
        .iter()
        .filter(|q| q.decision.is_none())
        .collect();
    prop_assert!(pending.len() <= 1);
    if let Some(p) = pending.first() {
        prop_assert_eq!(
            Some(&p.from.id),
            r.assigned().map(|a| &a.id),
            "the requester still holds it"
        );
    }
    // One rating per closing: never two between reopenings.
    let mut rated_since_reopened = 0;
    for entry in &life.entries {
        match entry.event.kind() {
            EventKind::Reopened => rated_since_reopened = 0,
            EventKind::Rated => rated_since_reopened += 1,
            _ => {}
        }
        prop_assert!(rated_since_reopened <= 1, "rated twice without reopening");
    }
    // The timeline is the whole story: replaying it gives the same report.
    let replay = life.initial.replay(life.changes.iter().map(Vec::as_slice));
    prop_assert_eq!(&replay, r);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_sequence_of_actions_breaks_a_report(
        target in proptest::option::of(0usize..5),
        anonymous in any::<bool>(),
        confidential in any::<bool>(),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let w = world();
        let target = target.map(|i| w.agencies()[i]);
        let mut life = Life::new(&w, target, anonymous, confidential);
        for s in &steps {
            life.now += Duration::hours(s.hours);
            let before = (life.report.clone(), life.entries.len());
            let cmd = command(&w, &life, s);
            let is_complete = matches!(cmd, Command::Complete(_));
            match life.act(&w, s.actor, cmd) {
                Ok(added) => {
                    prop_assert!(added >= 1, "an action adds at least one timeline entry");
                    prop_assert_eq!(life.entries.len(), before.1 + added, "no entry dropped");
                    prop_assert_eq!(life.report.version(), before.0.version() + 1);
                    if !is_complete {
                        // Only the reporter, by completing a returned report, may lift a protection.
                        prop_assert!(life.report.submission().anonymous >= before.0.submission().anonymous);
                        prop_assert!(life.report.submission().confidential >= before.0.submission().confidential);
                    }
                    // Whoever acted could see the report.
                    prop_assert!(permissions::can_see(&before.0, &w.actors[s.actor]));
                }
                Err(_) => {
                    prop_assert_eq!(&life.report, &before.0, "a refused action changes nothing");
                    prop_assert_eq!(life.entries.len(), before.1);
                }
            }
            check_consistent(&life)?;
        }
    }

    #[test]
    fn job_passes_are_allowed_finish_their_work_and_agree_with_the_agenda(
        target in proptest::option::of(0usize..5),
        steps in proptest::collection::vec(step(), 1..30),
        later in proptest::collection::vec(0i64..2000, 1..6),
    ) {
        let w = world();
        let target = target.map(|i| w.agencies()[i]);
        let mut life = Life::new(&w, target, false, false);
        for s in &steps {
            life.now += Duration::hours(s.hours);
            let cmd = command(&w, &life, s);
            let _ = life.act(&w, s.actor, cmd);
        }
        for hours in later {
            let at = life.now + Duration::hours(hours);
            for job in jobs::Job::ALL {
                let agenda = jobs::Agenda::of(&life.report, &w.calendar).at(job);
                let due = !jobs::due_commands(&life.report, job, at, &w.calendar).is_empty();
                prop_assert_eq!(due, agenda.is_some_and(|next| next <= at), "{:?}", job);
                // Every due command is allowed (job_pass panics otherwise)...
                job_pass(&w, &mut life, job, at);
                // ...and a second pass at the same moment finds nothing left to do.
                prop_assert!(jobs::due_commands(&life.report, job, at, &w.calendar).is_empty());
                prop_assert!(jobs::Agenda::of(&life.report, &w.calendar).at(job).is_none_or(|next| next > at));
            }
            check_consistent(&life)?;
        }
    }

    #[test]
    fn hidden_things_stay_hidden_in_every_view(
        anonymous in any::<bool>(),
        confidential in any::<bool>(),
        steps in proptest::collection::vec(step(), 1..30),
    ) {
        let w = world();
        let mut life = Life::new(&w, None, anonymous, confidential);
        for s in &steps {
            life.now += Duration::hours(s.hours);
            let cmd = command(&w, &life, s);
            let _ = life.act(&w, s.actor, cmd);
        }
        // The reporter may lift their own protections when completing a returned report, and
        // admins may raise them: what must hold is what the report says now.
        let anonymous = life.report.submission().anonymous;
        let confidential = life.report.submission().confidential;
        for (i, viewer) in w.actors.iter().enumerate() {
            let Some(view) = report_view(&life.report, &life.entries, viewer, life.now) else { continue };
            let text = serde_json::to_string(&view).unwrap();
            if anonymous && i != REPORTER && i != NATIONAL && i != SYSTEM {
                prop_assert!(!text.contains("Siti"), "the anonymous reporter's name leaked to actor {}", i);
                prop_assert!(!text.contains(w.actors[REPORTER].person().unwrap().id.as_str()));
            }
            if !viewer.is_staff() && i != SYSTEM {
                prop_assert!(!text.contains("\"internal\":true"), "an internal comment leaked to actor {}", i);
            }
            if confidential {
                prop_assert!(i != PUBLIC && i != OTHER_CITIZEN, "a confidential report was shown to actor {}", i);
            }
        }
    }
}

/// Runs one job pass on the life at `now`, as the app does: every due command, in order.
fn job_pass(w: &World, life: &mut Life, job: jobs::Job, now: OffsetDateTime) -> Vec<&'static str> {
    life.now = now;
    let mut kinds = Vec::new();
    for command in jobs::due_commands(&life.report, job, now, &w.calendar) {
        let before = life.entries.len();
        life.act(w, SYSTEM, command)
            .expect("a due command is allowed");
        kinds.extend(
            life.entries[before..]
                .iter()
                .map(|e| e.event.kind().as_str()),
        );
    }
    kinds
}

#[test]
fn deadlines_are_warned_of_before_idul_fitri_and_marked_once_after_it() {
    let w = world();
    // Verified and disposed to A1 on Wednesday 11 March 2026: its 5 working days are Thu 12,
    // Fri 13, Mon 16, Tue 17, then the break (Nyepi and Idul Fitri with their cuti bersama,
    // Wed 18 to Tue 24 March), and Wed 25 March.
    let mut life = Life::new(&w, None, false, false);
    life.now = datetime!(2026-03-11 10:00 +7);
    life.act(&w, NATIONAL, verify(Some(&w.a1))).unwrap();
    let response = life.report.deadlines().response.unwrap();
    assert_eq!(response.at, datetime!(2026-03-25 23:59:59 +7));
    let agenda = jobs::Agenda::of(&life.report, &w.calendar);
    // Warned at the start of Tue 17 March, the working day before the day it falls due: before
    // the break, while someone is at work.
    assert_eq!(agenda.deadline_check, Some(datetime!(2026-03-17 00:00 +7)));
    assert_eq!(agenda.auto_close, None);

    let check = jobs::Job::DeadlineCheck;
    assert!(job_pass(&w, &mut life, check, datetime!(2026-03-16 23:00 +7)).is_empty());
    assert_eq!(
        job_pass(&w, &mut life, check, datetime!(2026-03-17 08:00 +7)),
        ["deadline_warning"]
    );
    assert!(
        job_pass(&w, &mut life, check, datetime!(2026-03-20 09:00 +7)).is_empty(),
        "warned once"
    );
    assert!(job_pass(&w, &mut life, check, datetime!(2026-03-25 23:59:59 +7)).is_empty());
    assert_eq!(
        job_pass(&w, &mut life, check, datetime!(2026-03-26 00:00 +7)),
        ["overdue"]
    );
    assert!(
        job_pass(&w, &mut life, check, datetime!(2026-03-26 00:00 +7)).is_empty(),
        "marked once"
    );
    let warning = life
        .entries
        .iter()
        .find(|e| e.event.kind().as_str() == "deadline_warning")
        .unwrap();
    assert_eq!(
        lapor_domain::notify::recipients(&life.report, warning),
        vec![lapor_domain::notify::Recipient::Agency {
            agency_id: w.a1.id.clone()
        }]
    );
}

#[test]
fn a_report_waiting_three_response_periods_is_escalated_to_the_admins_above() {
    let w = world();
    let mut life = Life::new(&w, None, false, false);
    // Disposed to A1 on Monday 2 June 2025: due the end of Wed 11 June (Fri 6 Idul Adha and
    // Mon 9 its cuti bersama are off); two more periods of 5 end on Wed 25 June.
    life.now = datetime!(2025-06-02 10:00 +7);
    life.act(&w, NATIONAL, verify(Some(&w.a1))).unwrap();
    assert_eq!(
        life.report.deadlines().response.unwrap().at,
        datetime!(2025-06-11 23:59:59 +7)
    );
    let escalation = schedule::escalation_at(&life.report, &w.calendar).unwrap();
    assert_eq!(
        escalation,
        datetime!(2025-06-25 23:59:59 +7) + Duration::nanoseconds(1)
    );
    let check = jobs::Job::DeadlineCheck;
    assert_eq!(
        job_pass(&w, &mut life, check, datetime!(2025-06-24 12:00 +7)),
        ["overdue"],
        "past due, the warning is not sent late"
    );
    assert_eq!(
        job_pass(&w, &mut life, check, datetime!(2025-06-26 00:00 +7)),
        ["escalated"]
    );
    assert!(job_pass(&w, &mut life, check, datetime!(2025-06-27 00:00 +7)).is_empty());
    let escalated = life.entries.last().unwrap();
    assert_eq!(
        lapor_domain::notify::recipients(&life.report, escalated),
        vec![lapor_domain::notify::Recipient::Admins {
            agency_id: Some(w.a.id.clone())
        }],
        "the admins of A, above A1"
    );
    // Another holder gets its own response period, and may be escalated in its turn.
    life.act(
        &w,
        LIAISON_A1,
        Command::Forward {
            to: w.a2.to_ref(),
            note: None,
        },
    )
    .unwrap();
    assert!(!life.report.escalated());
    assert!(schedule::escalation_at(&life.report, &w.calendar).is_some());
}

#[test]
fn the_agenda_is_exactly_when_the_next_step_falls_due() {
    let w = world();
    let mut life = Life::new(&w, None, false, false);
    life.now = datetime!(2025-06-02 10:00 +7);
    life.act(&w, NATIONAL, verify(Some(&w.a1))).unwrap();
    for job in jobs::Job::ALL {
        while let Some(at) = jobs::Agenda::of(&life.report, &w.calendar).at(job) {
            let just_before = at - Duration::nanoseconds(1);
            assert!(
                jobs::due_commands(&life.report, job, just_before, &w.calendar).is_empty(),
                "{job:?} has nothing to do before its agenda"
            );
            assert!(
                !job_pass(&w, &mut life, job, at).is_empty(),
                "{job:?} at {at}"
            );
        }
    }
    life.act(
        &w,
        LIAISON_A1,
        Command::FollowUp {
            body: msg("Sudah ditangani."),
            attachments: vec![],
        },
    )
    .unwrap();
    let agenda = jobs::Agenda::of(&life.report, &w.calendar);
    assert!(agenda.auto_close.is_some());
    assert!(agenda.deadline_check.is_none(), "every deadline was marked");
}

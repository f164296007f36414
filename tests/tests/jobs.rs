//! The scheduled jobs, time-travelling: reports made at chosen moments through the API, then
//! deadline-check and auto-close run as if it were later, across weekends, Nyepi and Idul Fitri
//! 1447 H with its cuti bersama (Wed 18 to Tue 24 March 2026 are all off), on the embedded
//! backend and, with `LAPOR_TEST_BACKEND=aws`, on DynamoDB.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use lapor_app::jobs::JobRun;
use lapor_app::{Audience, Change, NewReport, ReportKey, Reports, StoreError, Stored};
use lapor_domain::jobs::Job;
use lapor_domain::notify::Recipient;
use lapor_domain::{AgencyId, UserId};
use lapor_tests::{TestApp, TestClock, World};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;

fn types(view: &Value) -> Vec<String> {
    view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn count(view: &Value, kind: &str) -> usize {
    types(view).iter().filter(|t| *t == kind).count()
}

/// One pass, which must leave nothing for later (every report it finds has its work done or its
/// agenda moved on).
async fn run(app: &TestApp, job: Job, at: OffsetDateTime) -> JobRun {
    let pass = app.core.run_job(job, at).await.expect("the pass runs");
    assert!(pass.skipped.is_empty(), "{:?}", pass.skipped);
    pass
}

/// What a pass changed: tracking id and entry types, in order.
fn changed(run: &JobRun) -> Vec<(String, Vec<&'static str>)> {
    run.changed
        .iter()
        .map(|c| {
            let entries = c.entries.iter().map(|kind| kind.as_str()).collect();
            (c.tracking_id.to_string(), entries)
        })
        .collect()
}

/// Who was told of `event` on one report, once everything written was delivered: the groups
/// whose notifications hold it, in the order reporter, agencies, admins.
async fn told(w: &World, tracking: &str, event: &str) -> Vec<Vec<Recipient>> {
    w.app.settle().await;
    let me = w.app.get("/v1/me", Some(&w.reporter)).await.expect(200);
    let reporter = UserId::parse(me["id"].as_str().expect("an id")).expect("a user id");
    let agencies = [&w.a, &w.a1, &w.a2, &w.b, &w.b1].map(|id| agency(id));
    let mut candidates = vec![(Audience::User(reporter), Recipient::Reporter)];
    for id in &agencies {
        let recipient = Recipient::Agency {
            agency_id: id.clone(),
        };
        candidates.push((Audience::Agency(id.clone()), recipient));
    }
    candidates.push((
        Audience::Admins(None),
        Recipient::Admins { agency_id: None },
    ));
    for id in &agencies {
        let recipient = Recipient::Admins {
            agency_id: Some(id.clone()),
        };
        candidates.push((Audience::Admins(Some(id.clone())), recipient));
    }
    let mut told = Vec::new();
    for (audience, recipient) in candidates {
        let found = w
            .app
            .core
            .notifications
            .notifications(&[audience], None, 1000)
            .await
            .expect("notifications");
        if found
            .iter()
            .any(|n| n.tracking_id.as_str() == tracking && n.event.as_str() == event)
        {
            told.push(recipient);
        }
    }
    if told.is_empty() {
        Vec::new()
    } else {
        vec![told]
    }
}

fn agency(id: &str) -> AgencyId {
    AgencyId::parse(id).expect("agency id")
}

/// A report disposed to unit A1 on Wednesday 11 March 2026, 10:00 WIB. Its response deadline
/// is 5 working days: Thu 12, Fri 13, Mon 16, Tue 17, then (after the break) Wed 25 March.
async fn disposed_before_idul_fitri(w: &World, clock: &TestClock) -> String {
    clock.set(datetime!(2026-03-11 10:00 +7));
    let t = w.disposed_to(&w.a1, json!({})).await;
    let view = w.app.report(&t, Some(&w.liaison_a1)).await.expect(200);
    assert_eq!(view["due"]["kind"], "response");
    assert_eq!(view["due"]["at"], "2026-03-25T23:59:59+07:00");
    t
}

#[tokio::test]
async fn deadlines_are_warned_of_before_idul_fitri_and_marked_overdue_once_after_it() {
    let clock = Arc::new(TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    let t = disposed_before_idul_fitri(&w, &clock).await;
    let app = &w.app;
    let check = Job::DeadlineCheck;

    assert!(changed(&run(app, check, datetime!(2026-03-16 23:00 +7)).await).is_empty());
    // Tuesday 17 March, the last working day before the one it falls due on.
    assert_eq!(
        changed(&run(app, check, datetime!(2026-03-17 08:00 +7)).await),
        [(t.clone(), vec!["deadline_warning"])]
    );
    assert_eq!(
        told(&w, &t, "deadline_warning").await,
        [vec![Recipient::Agency {
            agency_id: agency(&w.a1)
        }]]
    );
    let staff_view = app.report(&t, Some(&w.liaison_a1)).await.expect(200);
    assert_eq!(count(&staff_view, "deadline_warning"), 1);
    let reporter_view = app.report(&t, Some(&w.reporter)).await.expect(200);
    assert_eq!(
        count(&reporter_view, "deadline_warning"),
        0,
        "for the staff"
    );

    // Through the break nothing more; the deadline passes at the end of Wednesday 25 March.
    assert!(changed(&run(app, check, datetime!(2026-03-20 09:00 +7)).await).is_empty());
    assert!(changed(&run(app, check, datetime!(2026-03-25 23:59:59 +7)).await).is_empty());
    let overdue_at = datetime!(2026-03-26 00:00 +7);
    assert_eq!(
        changed(&run(app, check, overdue_at).await),
        [(t.clone(), vec!["overdue"])]
    );
    // The agency and the admins above it are warned.
    assert_eq!(
        told(&w, &t, "overdue").await,
        [vec![
            Recipient::Agency {
                agency_id: agency(&w.a1)
            },
            Recipient::Admins {
                agency_id: Some(agency(&w.a))
            },
        ]]
    );
    // A second run at the same moment changes nothing.
    let again = run(app, check, overdue_at).await;
    assert!(changed(&again).is_empty() && again.skipped.is_empty());
    let view = app.report(&t, Some(&w.liaison_a1)).await.expect(200);
    assert_eq!(count(&view, "overdue"), 1, "once per deadline");
    assert_eq!(view["due"]["overdue"], true);
    let inbox = app
        .get("/v1/inbox?box=pending&overdue=true", Some(&w.liaison_a1))
        .await
        .expect(200);
    assert_eq!(inbox["items"][0]["tracking_id"], t.as_str());
    assert_eq!(inbox["items"][0]["overdue"], true);
}

#[tokio::test]
async fn a_report_unanswered_for_three_response_periods_is_escalated_to_the_admins_above() {
    let clock = Arc::new(TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    let t = disposed_before_idul_fitri(&w, &clock).await;
    let app = &w.app;
    let check = Job::DeadlineCheck;
    // Due Wed 25 March; ten more working days: 26, 27, 30, 31 March, 1, 2 April, (Good Friday
    // 3 April is off) 6, 7, 8, 9 April. Three periods are over at the end of Thursday 9 April.
    assert_eq!(
        changed(&run(app, check, datetime!(2026-04-09 12:00 +7)).await),
        [(t.clone(), vec!["overdue"])],
        "past due: marked, and no late warning"
    );
    assert_eq!(
        changed(&run(app, check, datetime!(2026-04-10 00:00 +7)).await),
        [(t.clone(), vec!["escalated"])]
    );
    assert_eq!(
        told(&w, &t, "escalated").await,
        [vec![Recipient::Admins {
            agency_id: Some(agency(&w.a))
        }]],
        "the admins of A, above A1"
    );
    assert!(changed(&run(app, check, datetime!(2026-04-10 00:00 +7)).await).is_empty());
    let view = app.report(&t, Some(&w.admin_a)).await.expect(200);
    assert_eq!(count(&view, "escalated"), 1);
}

#[tokio::test]
async fn a_report_quiet_for_ten_working_days_closes_by_itself_unless_answered() {
    let clock = Arc::new(TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    let app = &w.app;
    clock.set(datetime!(2026-03-11 10:00 +7));
    let quiet = w.disposed_to(&w.a1, json!({})).await;
    let replied = w.disposed_to(&w.a1, json!({})).await;
    let commented = w.disposed_to(&w.a1, json!({})).await;
    for t in [&quiet, &replied, &commented] {
        app.act(
            t,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Sedang kami tangani."}),
        )
        .await
        .expect(200);
    }
    clock.set(datetime!(2026-03-16 09:00 +7));
    app.act(
        &replied,
        "replies",
        &w.reporter,
        json!({"body": "Belum selesai."}),
    )
    .await
    .expect(200);
    app.act(
        &commented,
        "comments",
        &w.admin_a,
        json!({"body": "Mohon dipantau."}),
    )
    .await
    .expect(200);
    // The office answers the reply on Monday 30 March: its clock starts again.
    clock.set(datetime!(2026-03-30 09:00 +7));
    app.act(
        &replied,
        "follow-ups",
        &w.liaison_a1,
        json!({"body": "Sudah diperbaiki."}),
    )
    .await
    .expect(200);

    // From Wednesday 11 March: 12, 13, 16, 17, (break) 25, 26, 27, 30, 31 March, 1 April.
    let close = Job::AutoClose;
    assert!(changed(&run(app, close, datetime!(2026-04-01 23:00 +7)).await).is_empty());
    let at = datetime!(2026-04-02 00:00 +7);
    assert_eq!(
        changed(&run(app, close, at).await),
        [(quiet.clone(), vec!["auto_closed"])],
        "not the one with a reply, nor the one an admin commented on"
    );
    let view = app.report(&quiet, Some(&w.reporter)).await.expect(200);
    assert_eq!(view["status"], "closed");
    assert_eq!(count(&view, "auto_closed"), 1);
    assert_eq!(
        told(&w, &quiet, "auto_closed").await,
        [vec![Recipient::Reporter]]
    );
    assert!(changed(&run(app, close, at).await).is_empty(), "second run");

    // The replied one: from Monday 30 March, 31, 1, 2, (3 off) 6, 7, 8, 9, 10, 13, 14 April.
    assert!(changed(&run(app, close, datetime!(2026-04-14 23:00 +7)).await).is_empty());
    assert_eq!(
        changed(&run(app, close, datetime!(2026-04-15 00:00 +7)).await),
        [(replied.clone(), vec!["auto_closed"])]
    );
    let view = app.report(&commented, Some(&w.reporter)).await.expect(200);
    assert_eq!(
        view["status"], "in_progress",
        "an admin's word stops the clock"
    );
}

/// A report store that lets a person act just before the job's write: the job's write then
/// meets a newer version.
struct Interloper {
    inner: Arc<dyn Reports>,
    before_first_apply: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

#[async_trait]
impl Reports for Interloper {
    async fn create(&self, new: NewReport) -> Result<(), StoreError> {
        self.inner.create(new).await
    }
    async fn load(&self, key: &ReportKey) -> Result<Option<Stored>, StoreError> {
        self.inner.load(key).await
    }
    async fn apply(&self, change: Change) -> Result<(), StoreError> {
        let person = self.before_first_apply.lock().unwrap().take();
        if let Some(person) = person {
            person.await.expect("the person acted");
        }
        self.inner.apply(change).await
    }
}

/// A report followed up on Wednesday 11 March 2026, due to close itself from 2 April.
async fn followed_up(w: &World, clock: &TestClock) -> String {
    clock.set(datetime!(2026-03-11 10:00 +7));
    let t = w.disposed_to(&w.a1, json!({})).await;
    w.app
        .act(
            &t,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Sedang kami tangani."}),
        )
        .await
        .expect(200);
    t
}

#[tokio::test]
async fn an_officer_closing_while_the_job_decides_wins_and_the_job_steps_back() {
    let clock = Arc::new(TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    let t = followed_up(&w, &clock).await;
    clock.set(datetime!(2026-04-02 08:00 +7));
    // The job reads the report and decides to close it; the officer closes it before the job
    // writes.
    let (client, token) = (w.app.client.clone(), w.liaison_a1.clone());
    let path = format!("{}/v1/reports/{t}/close", w.app.base);
    let officer = tokio::spawn(async move {
        let answer = client
            .post(path)
            .bearer_auth(token)
            .json(&json!({"note": "Selesai."}))
            .send()
            .await
            .expect("sent");
        assert_eq!(answer.status().as_u16(), 200, "the officer's close");
    });
    let mut job = w.app.core.clone();
    job.reports = Arc::new(Interloper {
        inner: w.app.core.reports.clone(),
        before_first_apply: Mutex::new(Some(officer)),
    });
    let pass = job
        .run_job(Job::AutoClose, datetime!(2026-04-02 08:00 +7))
        .await
        .expect("a conflict is no failure");
    assert!(
        changed(&pass).is_empty(),
        "read again: closed, nothing to do"
    );
    assert!(pass.skipped.is_empty());
    let view = w.app.report(&t, Some(&w.reporter)).await.expect(200);
    assert_eq!(view["status"], "closed");
    assert_eq!(
        (count(&view, "closed"), count(&view, "auto_closed")),
        (1, 0)
    );
    assert!(changed(&run(&w.app, Job::AutoClose, datetime!(2026-04-03 00:00 +7)).await).is_empty());
}

#[tokio::test]
async fn a_close_and_the_job_at_once_close_the_report_exactly_once() {
    let clock = Arc::new(TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    let t = followed_up(&w, &clock).await;
    clock.set(datetime!(2026-04-02 08:00 +7));
    let at = datetime!(2026-04-02 08:00 +7);
    let (officer, pass) = tokio::join!(
        w.app.act(&t, "close", &w.liaison_a1, json!({})),
        w.app.core.run_job(Job::AutoClose, at)
    );
    let pass = pass.expect("the job never fails on a concurrent change");
    assert!(
        matches!(officer.status, 200 | 409),
        "the officer's answer: {officer:?}"
    );
    let view = w.app.report(&t, Some(&w.reporter)).await.expect(200);
    assert_eq!(view["status"], "closed");
    assert_eq!(
        count(&view, "closed") + count(&view, "auto_closed"),
        1,
        "{:?}",
        types(&view)
    );
    assert_eq!(officer.status == 200, pass.changed.is_empty());
}

#[tokio::test]
async fn lapor_local_runs_a_job_on_its_data_directory_and_prints_what_it_did() {
    if std::env::var("LAPOR_TEST_BACKEND").as_deref() == Ok("aws") {
        return; // The command line's data directory is the embedded backend's.
    }
    let clock = Arc::new(TestClock::default());
    let mut w = TestApp::builder().clock(clock.clone()).world().await;
    let t = followed_up(&w, &clock).await;
    w.app.shutdown().await;
    let config = lapor_tests::config(&w.app.data_dir, "127.0.0.1:0");
    use command_line::parse;
    let (job, at) = parse(&[
        "lapor-local",
        "job",
        "auto-close",
        "--at",
        "2026-04-02T00:00:00+07:00",
    ]);
    let mut out = Vec::new();
    lapor_local::jobs::run_once(&config, job, at, &mut out)
        .await
        .expect("the pass runs");
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!(
            "#{t}  auto_closed\nauto-close at 2026-04-02T00:00:00+07:00: 1 report(s) changed, \
             0 skipped, 0 replanned\n"
        )
    );
    let mut out = Vec::new();
    lapor_local::jobs::run_once(&config, job, at, &mut out)
        .await
        .expect("the pass runs");
    assert!(
        String::from_utf8(out)
            .unwrap()
            .ends_with(": 0 report(s) changed, 0 skipped, 0 replanned\n"),
        "a second run changes nothing"
    );
}

/// The command line as `lapor-local` parses it.
mod command_line {
    use clap::Parser;
    use lapor_domain::jobs::Job;
    use lapor_local::{Cli, Command};
    use time::OffsetDateTime;

    pub fn parse(args: &[&str]) -> (Job, OffsetDateTime) {
        match Cli::try_parse_from(args).expect("valid arguments").command {
            Some(Command::Job { job, at }) => (job.into(), at.expect("--at given")),
            _ => panic!("not a job command"),
        }
    }
}

/// The sample schedule event of a function (`events/<function>/schedule.json`).
fn sample_schedule(function: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../events")
        .join(function)
        .join("schedule.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the sample")).expect("JSON")
}

#[tokio::test]
async fn the_functions_run_a_pass_as_of_their_sample_schedule_events() {
    let clock = Arc::new(TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    let t = disposed_before_idul_fitri(&w, &clock).await;
    // 17:00 UTC on 25 March is midnight in Jakarta: the response deadline has just passed.
    let event = sample_schedule("deadline-checker");
    let summary = lapor_lambda::jobs::handle(&w.app.core, Job::DeadlineCheck, &event)
        .await
        .expect("the pass runs");
    assert_eq!(
        (summary.at, summary.changed),
        (datetime!(2026-03-26 00:00 +7), 1)
    );
    let view = w.app.report(&t, Some(&w.liaison_a1)).await.expect(200);
    assert_eq!(count(&view, "overdue"), 1);
    let event = sample_schedule("auto-closer");
    let summary = lapor_lambda::jobs::handle(&w.app.core, Job::AutoClose, &event)
        .await
        .expect("the pass runs");
    assert_eq!(summary.changed, 0, "nothing was followed up");
    let no_time = json!({"detail-type": "Scheduled Event"});
    assert!(
        lapor_lambda::jobs::handle(&w.app.core, Job::AutoClose, &no_time)
            .await
            .is_err()
    );
}

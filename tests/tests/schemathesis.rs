//! Property-based testing of the whole API against its own OpenAPI document, with schemathesis
//! (PyPI; `tests/run.sh` installs it): every operation fed generated requests, valid and invalid,
//! as the public and with a token for each role, over a world with reports in every status. Each
//! answer must be one the document lists for it, in its schema and media type, never a 5xx, and
//! invalid requests must be refused.
//!
//! `positive_data_acceptance` is left out: a request the document calls valid may rightly be
//! refused by a report's state (409), by who the caller is (403, 404) or by the throttle (429).
//! The stateful phase leaves out `POST /v1/attachments`: it would read an upload's id as a
//! downloadable resource (`GET /v1/attachments/{id}`), which it rightly is not (404) until a
//! message names it.
//! The number of cases per operation and phase is bounded (`LAPOR_SCHEMATHESIS_EXAMPLES`), and
//! each caller's run may be given a time budget (`LAPOR_SCHEMATHESIS_SECONDS`: on DynamoDB's
//! emulator, several times slower than the embedded backend, `tests/run.sh` gives one); the
//! seed is fixed (`LAPOR_SCHEMATHESIS_SEED`), so a failure repeats.

use std::path::Path;

use lapor_tests::{TestApp, World};
use serde_json::{Value, json};
use std::process::Command;

/// The cases generated for each operation in each phase, unless set otherwise.
const EXAMPLES: &str = "5";

/// The checks left out, for the reasons above.
const EXCLUDED_CHECKS: &str = "positive_data_acceptance";

/// What an invalid request may answer: a refusal, each as the API documents it (413 for a file
/// declared over 2 MiB included, which schemathesis does not expect by default).
const REFUSALS: [u16; 12] = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_caller_gets_what_the_document_promises() {
    let w = TestApp::builder().world().await;
    let world = ReportsInEveryStatus::make(&w).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(&config, world.config(&w)).unwrap();

    let callers = [
        ("the public", None),
        ("a citizen (the reporter)", Some(w.reporter.as_str())),
        ("a report's access token", Some(world.access_token.as_str())),
        ("a national admin", Some(w.national.as_str())),
        ("an agency admin", Some(w.admin_a.as_str())),
        ("a liaison officer", Some(w.liaison_a1.as_str())),
    ];
    let mut total = 0;
    let mut failures = Vec::new();
    let mut summary = String::new();
    for (caller, token) in callers {
        let run = run_schemathesis(&w.app, &config, dir.path(), token).await;
        summary += &format!("schemathesis as {caller}: {} cases\n", run.cases);
        total += run.cases;
        if !run.passed {
            failures.push(format!("as {caller}:\n{}", run.output));
        }
    }
    summary += &format!("schemathesis: {total} cases in all\n");
    print!("{summary}");
    // The test harness keeps a passing test's output to itself: the figures also go to a file
    // that tests/run.sh prints at its end.
    let backend = std::env::var("LAPOR_TEST_BACKEND").unwrap_or_else(|_| "embedded".into());
    let report = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("schemathesis-{backend}.txt"));
    std::fs::write(report, &summary).unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(total > 0, "schemathesis ran no case");
}

/// Reports in every status, and the ids that reach them, for the generated requests to hit.
struct ReportsInEveryStatus {
    /// Tracking ids: one or more per status, plain, anonymous and confidential.
    tracking_ids: Vec<String>,
    /// A pending "not our authority" request's id.
    request_id: String,
    /// An attached file's id.
    attachment_id: String,
    /// The access token of a report submitted without an account.
    access_token: String,
}

impl ReportsInEveryStatus {
    async fn make(w: &World) -> Self {
        let app = &w.app;
        let mut tracking_ids = Vec::new();
        for flags in [
            json!({}),
            json!({"anonymous": true}),
            json!({"confidential": true}),
        ] {
            let submitted = w.submitted(flags.clone()).await;
            let returned = w.submitted(flags.clone()).await;
            app.act(
                &returned,
                "verification",
                &w.national,
                json!({"decision": "return", "reason": "Lengkapi lokasinya."}),
            )
            .await
            .expect(200);
            let archived = w.submitted(flags.clone()).await;
            app.act(
                &archived,
                "verification",
                &w.national,
                json!({"decision": "archive", "reason": "Bukan pelayanan publik."}),
            )
            .await
            .expect(200);
            let disposed = w.disposed_to(&w.a1, flags.clone()).await;
            let in_progress = w.disposed_to(&w.a1, flags.clone()).await;
            follow_up(w, &in_progress).await;
            let closed = w.disposed_to(&w.a1, flags.clone()).await;
            follow_up(w, &closed).await;
            app.act(&closed, "close", &w.liaison_a1, json!({}))
                .await
                .expect(200);
            tracking_ids.extend([submitted, returned, archived, disposed, in_progress, closed]);
        }

        let requested = w.disposed_to(&w.a1, json!({})).await;
        let request = app
            .act(
                &requested,
                "not-authority-requests",
                &w.liaison_a1,
                json!({"reason": "Bukan kewenangan kami."}),
            )
            .await
            .expect(201);
        tracking_ids.push(requested);

        let attachment_id = app
            .upload(Some(&w.reporter), "foto.png", "image/png", lapor_tests::PNG)
            .await;
        let mut with_photo = lapor_tests::report(json!({"attachment_ids": [attachment_id]}));
        with_photo["target_agency_id"] = json!(w.a1);
        let submitted = app.submit(Some(&w.reporter), with_photo).await;
        tracking_ids.push(submitted["tracking_id"].as_str().unwrap().to_string());

        let public = app.submit(None, lapor_tests::report(json!({}))).await;
        let tracking = public["tracking_id"].as_str().unwrap().to_string();
        let opened = app
            .post(
                &format!("/v1/reports/{tracking}/access"),
                None,
                json!({"access_code": public["access_code"]}),
            )
            .await
            .expect(200);
        tracking_ids.push(tracking);

        Self {
            tracking_ids,
            request_id: request["request_id"].as_str().unwrap().to_string(),
            attachment_id,
            access_token: opened["access_token"].as_str().unwrap().to_string(),
        }
    }

    /// The schemathesis configuration: the checks, and the world's ids as the values its path
    /// parameters mostly take (else nearly every request would name a report that does not
    /// exist, and test nothing past the 404).
    fn config(&self, w: &World) -> String {
        let agencies = [&w.a, &w.a1, &w.a2, &w.b, &w.b1];
        let ids: Vec<&String> = agencies.into_iter().chain([&self.attachment_id]).collect();
        format!(
            r#"[checks.negative_data_rejection]
expected-statuses = {refusals:?}

[dictionaries.reports]
values = {reports}

[dictionaries.requests]
values = {requests}

[dictionaries.ids]
values = {ids}

[[operations]]
include-operation-id = "createUpload"
phases.stateful.enabled = false

# Bodies of optional fields only: schemathesis 4.32's coverage phase counts every property as
# required when it builds a negative case ("Missing required property: email"), and then takes
# the valid body without it for an invalid one. The other phases still send these operations
# invalid bodies.
[[operations]]
include-operation-id = "updateMe"
phases.coverage.enabled = false

[[operations]]
include-operation-id = "updateUser"
phases.coverage.enabled = false

[[operations]]
include-operation-id = "patchAgency"
phases.coverage.enabled = false

[parameters]
"path.tracking_id" = {{ dictionary = "reports", probability = 0.8 }}
"path.request_id" = {{ dictionary = "requests", probability = 0.8 }}
"path.id" = {{ dictionary = "ids", probability = 0.8 }}
"#,
            refusals = REFUSALS,
            reports = json!(self.tracking_ids),
            requests = json!([self.request_id]),
            ids = json!(ids),
        )
    }
}

/// What one run of schemathesis found.
struct Run {
    passed: bool,
    cases: u64,
    output: String,
}

/// Runs schemathesis over every operation of the app's document, as the holder of `token`.
async fn run_schemathesis(app: &TestApp, config: &Path, dir: &Path, token: Option<&str>) -> Run {
    let report = dir.join("report.json");
    let examples =
        std::env::var("LAPOR_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| EXAMPLES.to_string());
    let seed = std::env::var("LAPOR_SCHEMATHESIS_SEED").unwrap_or_else(|_| "1".to_string());
    let mut command = Command::new("schemathesis");
    command
        .arg("--no-color")
        .arg("--config-file")
        .arg(config)
        .arg("run")
        .arg(format!("{}/v1/openapi.json", app.base))
        .args(["--checks", "all", "--exclude-checks", EXCLUDED_CHECKS])
        .args(["--max-examples", &examples, "--seed", &seed])
        // Examples stay out of the working tree; each run starts from the same point.
        .args(["--generation-database", "none"])
        .args(["--report", "json", "--report-json-path"])
        .arg(&report)
        // One worker: hypothesis's source cache is not safe across schemathesis's threads.
        .args(["--workers", "1"])
        .current_dir(dir);
    if let Ok(seconds) = std::env::var("LAPOR_SCHEMATHESIS_SECONDS") {
        command.args(["--max-time", &seconds]);
    }
    if let Some(token) = token {
        command.args(["--header", &format!("Authorization: Bearer {token}")]);
    }
    // Run beside the server, which answers on this runtime's threads meanwhile.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|e| {
            panic!("schemathesis could not start ({e}): install it with `pip install schemathesis`")
        });
    let summary: Value = std::fs::read(&report)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null);
    Run {
        passed: output.status.success(),
        cases: summary["test_cases"]["generated"].as_u64().unwrap_or(0),
        output: String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    }
}

async fn follow_up(w: &World, tracking: &str) {
    w.app
        .act(
            tracking,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Sedang kami tangani."}),
        )
        .await
        .expect(200);
}

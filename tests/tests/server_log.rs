//! The harness keeps what each server under test logs apart from the other apps' (in the same
//! test, in tests running beside it), and a failing test shows its own server's log.

use std::process::Command;

use lapor_tests::TestApp;

/// The access-log line of a `GET /health?probe=<probe>` answered 200, if `log` has it.
fn probe_line<'a>(log: &'a str, probe: &str) -> Option<&'a str> {
    let uri = format!("uri=/health?probe={probe} ");
    log.lines()
        .find(|line| line.contains(&uri) && line.contains("status=200"))
}

#[tokio::test]
async fn each_app_keeps_the_log_of_its_own_requests() {
    let one = TestApp::builder().spawn().await;
    let two = TestApp::builder().spawn().await;
    // A third app in another test's place: its own thread and runtime.
    let elsewhere = std::thread::spawn(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let app = TestApp::builder().spawn().await;
                app.get("/health?probe=elsewhere", None).await.expect(200);
                app.log()
            })
    })
    .join()
    .unwrap();
    one.get("/health?probe=one", None).await.expect(200);
    two.get("/health?probe=two", None).await.expect(200);

    let log = one.log();
    let line = probe_line(&log, "one").unwrap_or_else(|| panic!("no access line: {log}"));
    assert!(line.contains("test_app{n="), "in the app's span: {line}");
    assert!(
        log.contains("created the bootstrap national admin"),
        "its building too: {log}"
    );
    assert!(probe_line(&log, "two").is_none(), "{log}");
    assert!(probe_line(&log, "elsewhere").is_none(), "{log}");
    let log = two.log();
    assert!(probe_line(&log, "two").is_some(), "{log}");
    assert!(probe_line(&log, "one").is_none(), "{log}");
    assert!(probe_line(&elsewhere, "elsewhere").is_some(), "{elsewhere}");
    assert!(probe_line(&elsewhere, "one").is_none(), "{elsewhere}");
}

/// Not a test of its own: fails after a request, for the tests below to read its output.
#[tokio::test]
#[ignore = "fails on purpose when started by the tests of the failure output"]
async fn fails_after_a_request() {
    if std::env::var_os("LAPOR_FAIL_ON_PURPOSE").is_none() {
        return;
    }
    let other = TestApp::builder().spawn().await;
    other.get("/health?probe=other", None).await.expect(200);
    drop(other);
    let app = TestApp::builder().spawn().await;
    app.get("/health?probe=failing", None).await.expect(200);
    panic!("failing on purpose");
}

/// Runs [`fails_after_a_request`] in a child process (on the embedded backend, with `TEST_LOG`
/// when `test_log`): its stdout and stderr.
fn run_failing_test(test_log: bool) -> (String, String) {
    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args(["--ignored", "--exact", "fails_after_a_request"])
        .env("LAPOR_FAIL_ON_PURPOSE", "1")
        .env_remove("LAPOR_TEST_BACKEND")
        .env_remove("TEST_LOG");
    if test_log {
        child.env("TEST_LOG", "1");
    }
    let output = child.output().unwrap();
    assert!(!output.status.success(), "the test failed");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_failing_test_prints_its_servers_log() {
    let (stdout, _) = run_failing_test(false);
    // libtest shows what the failed test wrote after its name.
    let (_, failure) = stdout
        .split_once("---- fails_after_a_request stdout ----")
        .unwrap_or_else(|| panic!("no failure output: {stdout}"));
    assert!(failure.contains("failing on purpose"), "{failure}");
    let (_, log) = failure
        .split_once("---- the log of test_app n=")
        .unwrap_or_else(|| panic!("no server log: {failure}"));
    assert!(probe_line(log, "failing").is_some(), "{log}");
    assert!(
        probe_line(log, "other").is_none(),
        "not the other app's: {log}"
    );
}

#[test]
fn with_test_log_the_server_log_goes_to_stderr_as_it_happens() {
    let (stdout, stderr) = run_failing_test(true);
    let line = probe_line(&stderr, "failing").unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        line.starts_with("[fails_after_a_request n="),
        "labelled: {line}"
    );
    assert!(
        probe_line(&stderr, "other").is_some(),
        "every app's: {stderr}"
    );
    assert!(
        !stdout.contains("---- the log of"),
        "not printed twice: {stdout}"
    );
}

//! Data survives a restart and a kill -9.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lapor_tests::{TestApp, World, report};
use serde_json::json;

#[tokio::test]
async fn reports_accounts_and_tokens_survive_a_restart() {
    let w = TestApp::builder().world().await;
    let t = w.disposed_to(&w.a1, json!({})).await;
    w.app
        .act(
            &t,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Sudah ditangani."}),
        )
        .await
        .expect(200);
    let before = w.app.report(&t, Some(&w.national)).await.expect(200);
    let World {
        mut app,
        reporter,
        liaison_a1,
        ..
    } = w;
    app.shutdown().await;
    let first = app;
    let app = TestApp::builder()
        .embedded()
        .data_dir(&first.data_dir)
        .spawn()
        .await;
    let after = app.report(&t, Some(&reporter)).await.expect(200);
    assert_eq!(after["version"], before["version"]);
    assert_eq!(
        after["timeline"].as_array().unwrap().len(),
        before["timeline"].as_array().unwrap().len()
    );
    // Old tokens still work: the secret was kept in the data dir.
    app.act(&t, "close", &liaison_a1, json!({}))
        .await
        .expect(200);
    app.login("siti@warga.test", lapor_tests::PASSWORD).await;
    app.stop().await;
}

/// Not a test of its own: the child process the kill -9 test starts and kills.
#[tokio::test]
#[ignore = "started by every_acknowledged_submission_survives_kill_9"]
async fn child_server() {
    let Ok(dir) = std::env::var("LAPOR_CHILD_DATA_DIR") else {
        return;
    };
    let port_file = std::env::var("LAPOR_CHILD_PORT_FILE").unwrap();
    let config = lapor_tests::config(std::path::Path::new(&dir), "127.0.0.1:0");
    let state = lapor_local::build(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    std::fs::write(
        &port_file,
        listener.local_addr().unwrap().port().to_string(),
    )
    .unwrap();
    lapor_local::serve(
        listener,
        state,
        lapor_local::ConnectionLimits::DEFAULT,
        std::future::pending(),
    )
    .await
    .unwrap();
}

/// 500 submissions at once, each with its own `Idempotency-Key`, and the server killed (SIGKILL:
/// no chance to flush or shut down) while they are in flight. After a restart every
/// acknowledged (201) report is there, and a retry of each of the 500 with its key answers
/// the first answer where there was one, and otherwise makes the report: 500 reports in all,
/// none twice.
#[tokio::test]
async fn every_acknowledged_submission_survives_kill_9() {
    const SUBMISSIONS: usize = 500;
    const KILL_AFTER: usize = 150;
    let dir = tempfile::tempdir().unwrap();
    let port_file = dir.path().join("port");
    let data_dir = dir.path().join("data");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_server", "--nocapture"])
        .env("LAPOR_CHILD_DATA_DIR", &data_dir)
        .env("LAPOR_CHILD_PORT_FILE", &port_file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let port = loop {
        if let Ok(p) = std::fs::read_to_string(&port_file)
            && let Ok(p) = p.trim().parse::<u16>()
        {
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the child server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let base = format!("http://127.0.0.1:{port}");
    let body = |i: usize| report(json!({"title": format!("Sebelum kill nomor {i}")}));
    let key = |i: usize| format!("kill-9-{i}");
    let client = reqwest::Client::new();
    let acknowledged_count = Arc::new(AtomicUsize::new(0));
    let submissions: Vec<_> = (0..SUBMISSIONS)
        .map(|i| {
            let (client, base, count) = (client.clone(), base.clone(), acknowledged_count.clone());
            let request = client
                .post(format!("{base}/v1/reports"))
                .header("Idempotency-Key", key(i))
                .json(&body(i));
            tokio::spawn(async move {
                let response = request.send().await.ok()?;
                if response.status() != 201 {
                    return None;
                }
                let answer: serde_json::Value = response.json().await.ok()?;
                count.fetch_add(1, Ordering::SeqCst);
                Some(answer)
            })
        })
        .collect();
    while acknowledged_count.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the submissions did not get through"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut first_answers = Vec::new();
    for submission in submissions {
        first_answers.push(submission.await.unwrap());
    }
    let acknowledged = first_answers.iter().flatten().count();
    assert!(
        (KILL_AFTER..SUBMISSIONS).contains(&acknowledged),
        "the kill came after every submission ({acknowledged} acknowledged)"
    );

    let app = TestApp::builder()
        .embedded()
        .data_dir(&data_dir)
        .spawn()
        .await;
    let admin = app.admin_token().await;
    for answer in first_answers.iter().flatten() {
        let tracking = answer["tracking_id"].as_str().unwrap();
        app.report(tracking, Some(&admin)).await.expect(200);
    }
    for (i, first) in first_answers.iter().enumerate() {
        let retry = app
            .client
            .post(format!("{}/v1/reports", app.base))
            .header("Idempotency-Key", key(i))
            .json(&body(i))
            .send()
            .await
            .unwrap();
        let retry = lapor_tests::into_answer(retry).await.expect(201);
        if let Some(first) = first {
            assert_eq!(
                &retry,
                first,
                "the retry of {} answers the first answer",
                key(i)
            );
        }
    }
    let inbox = app
        .get("/v1/inbox?box=verification", Some(&admin))
        .await
        .expect(200);
    assert_eq!(inbox["counts"]["verification"], SUBMISSIONS);
    app.stop().await;
}

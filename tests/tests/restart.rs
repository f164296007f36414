//! Data survives a restart and a kill -9.

use std::process::{Command, Stdio};
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

#[tokio::test]
async fn every_acknowledged_submission_survives_kill_9() {
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
    let client = reqwest::Client::new();
    let mut acknowledged = Vec::new();
    for i in 0..40 {
        let answer = client
            .post(format!("http://127.0.0.1:{port}/v1/reports"))
            .json(&report(json!({"title": format!("Sebelum kill nomor {i}")})))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
        let body: serde_json::Value = answer.json().await.unwrap();
        acknowledged.push(body["tracking_id"].as_str().unwrap().to_string());
    }
    // SIGKILL: no chance to flush or shut down.
    child.kill().unwrap();
    child.wait().unwrap();

    let app = TestApp::builder()
        .embedded()
        .data_dir(&data_dir)
        .spawn()
        .await;
    let admin = app.admin_token().await;
    for t in &acknowledged {
        app.report(t, Some(&admin)).await.expect(200);
    }
    let inbox = app
        .get("/v1/inbox?box=verification", Some(&admin))
        .await
        .expect(200);
    assert_eq!(inbox["counts"]["verification"], 40);
    app.stop().await;
}

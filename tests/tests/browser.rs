//! The web pages in a real browser: headless Chromium driven by Playwright
//! (`tests/browser/*.test.mjs`) through their accessible names, with JavaScript on and off,
//! axe-core checking each page, against the app started here on a world with reports to show.
//! On the backend `LAPOR_TEST_BACKEND` names. `tests/run.sh` installs Chromium and the npm
//! packages when missing.

use std::path::Path;
use std::process::Command;

use lapor_tests::{ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, TestApp, report};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizens_and_staff_use_the_site_in_a_browser() {
    let (gateway, _) = lapor_tests::gateway::start().await;
    let received = gateway.url.replace("/kirim", "/diterima");
    let w = TestApp::builder().webhooks(vec![gateway]).world().await;
    let dispose = json!({"decision": "verify", "dispose_to": w.a1});
    let published = |title: &str, overrides: serde_json::Value| {
        let mut body = report(overrides);
        body["title"] = json!(title);
        body
    };
    // Siti's report, answered: she may reply and rate it.
    let answered = w
        .app
        .submit(
            Some(&w.reporter),
            published("Lampu jalan mati di Jalan Merdeka", json!({})),
        )
        .await;
    let answered = answered["tracking_id"].as_str().unwrap().to_string();
    w.app
        .act(&answered, "verification", &w.national, dispose.clone())
        .await
        .expect(200);
    w.app
        .act(
            &answered,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Petugas sudah kami kirim."}),
        )
        .await
        .expect(200);
    // Her anonymous report: the public never sees her name on it.
    let anonymous = w
        .app
        .submit(
            Some(&w.reporter),
            published(
                "Pungutan liar di kantor kelurahan",
                json!({"anonymous": true}),
            ),
        )
        .await;
    let anonymous = anonymous["tracking_id"].as_str().unwrap().to_string();
    w.app
        .act(&anonymous, "verification", &w.national, dispose.clone())
        .await
        .expect(200);
    // Budi's confidential report: not for the public at all.
    let confidential = w
        .app
        .submit(
            Some(&w.other),
            published("Dugaan korupsi dana desa", json!({"confidential": true})),
        )
        .await;
    let confidential = confidential["tracking_id"].as_str().unwrap().to_string();
    w.app
        .act(&confidential, "verification", &w.national, dispose)
        .await
        .expect(200);

    // Two of her reports returned to her to complete, one for each run of the browser tests.
    let mut returned = Vec::new();
    for n in 1..=2 {
        let report = w
            .app
            .submit(
                Some(&w.reporter),
                published(&format!("Jalan rusak di kampung nomor {n}"), json!({})),
            )
            .await;
        let tracking = report["tracking_id"].as_str().unwrap().to_string();
        w.app
            .act(
                &tracking,
                "verification",
                &w.national,
                json!({"decision": "return", "reason": "Sebutkan nama jalannya."}),
            )
            .await
            .expect(200);
        returned.push(tracking);
    }

    // Two fresh reports for the console's flow, one for each run.
    let mut fresh = Vec::new();
    for n in 1..=2 {
        let report = w
            .app
            .submit(
                Some(&w.reporter),
                published(&format!("Jembatan retak di desa nomor {n}"), json!({})),
            )
            .await;
        fresh.push(report["tracking_id"].as_str().unwrap().to_string());
    }

    // Where the console's photographs go: README's folder when refreshing them.
    let screenshots = std::env::var("LAPOR_SCREENSHOTS").unwrap_or_else(|_| {
        Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("screenshots")
            .display()
            .to_string()
    });

    let fixture = json!({
        "base": w.app.base,
        "citizen": {"login": "siti@warga.test", "password": PASSWORD, "name": "Siti Aminah"},
        "answered": answered,
        "anonymous": anonymous,
        "confidential": confidential,
        "returned": returned,
        "gateway": received,
        "adminToken": w.national,
        "fresh": fresh,
        "staff": {
            "national": {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            "adminA": {"login": "admin.a@lapor.test", "password": PASSWORD},
            "officerA1": {"login": "petugas.a1@lapor.test", "password": PASSWORD},
        },
        "agencies": {"a": "Pemerintah Provinsi A", "a1": "Dinas Satu A", "b": "Kementerian B"},
        "screenshots": screenshots,
    });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser");
    assert!(
        dir.join("node_modules/playwright-core").exists()
            && Path::new("/usr/bin/chromium").exists(),
        "the browser tests need Chromium and tests/browser's npm packages: tests/run.sh installs them"
    );
    let run = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
            .current_dir(&dir)
            .env("LAPOR_BROWSER_FIXTURE", fixture.to_string())
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    println!("{output}");
    assert!(
        run.status.success(),
        "the browser tests failed:\n{output}\n\nserver log:\n{}",
        w.app.log()
    );
}

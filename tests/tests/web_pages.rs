//! What the pages show beyond the browser tests' flows: an agency's rating by its reporters.

use lapor_tests::{TestApp, World};
use serde_json::json;

/// A report of `w.reporter` disposed to A1, answered, and rated `stars`.
async fn rated(w: &World, stars: u8, confidential: bool) {
    let t = w
        .disposed_to(&w.a1, json!({"confidential": confidential}))
        .await;
    w.app
        .act(
            &t,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Sudah kami perbaiki."}),
        )
        .await
        .expect(200);
    w.app
        .act(&t, "rating", &w.reporter, json!({"stars": stars}))
        .await
        .expect(200);
}

#[tokio::test]
async fn an_agency_page_shows_its_reporters_rating_of_its_public_reports() {
    let w = TestApp::builder().world().await;
    let page = || async {
        reqwest::get(format!("{}/instansi/{}", w.app.base, w.a1))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert!(page().await.contains("Belum ada penilaian"));
    rated(&w, 4, false).await;
    rated(&w, 5, false).await;
    // A confidential report is no public report: its rating is not among them.
    rated(&w, 1, true).await;
    let shown = page().await;
    assert!(
        shown.contains("4,5 dari 5, rata-rata 2 laporan publik"),
        "{shown}"
    );
}

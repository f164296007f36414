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
async fn an_agency_shows_its_reporters_rating_of_every_answer_from_five_ratings() {
    let w = TestApp::builder().world().await;
    let page = || async {
        reqwest::get(format!("{}/instansi/{}", w.app.base, w.a1))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let api = || async {
        let agency = w.app.get(&format!("/v1/agencies/{}", w.a1), None).await;
        agency.expect(200)["rating"].clone()
    };
    assert!(page().await.contains("Belum ada penilaian"));
    assert_eq!(api().await, json!({"count": 0, "average": null}));
    rated(&w, 4, false).await;
    rated(&w, 5, false).await;
    // A confidential report is the agency's work too: its rating counts, unseen.
    rated(&w, 1, true).await;
    rated(&w, 5, false).await;
    // Four ratings: an average of so few could be one confidential report's stars.
    let shown = page().await;
    assert!(
        shown.contains("4 penilaian; rata-rata ditampilkan setelah 5 penilaian"),
        "{shown}"
    );
    assert_eq!(api().await, json!({"count": 4, "average": null}));
    rated(&w, 4, false).await;
    let shown = page().await;
    assert!(shown.contains("3,8 dari 5, dari 5 penilaian"), "{shown}");
    assert_eq!(api().await, json!({"count": 5, "average": 3.8}));
}

//! The reference data reports are filed with: the category tree (data the national admins
//! change) and Indonesia's official regions (`location.codes`), through the API.

use lapor_tests::{TestApp, World, report};
use serde_json::{Value, json};

/// The codes of a tree's categories, depth first.
fn codes(tree: &Value) -> Vec<String> {
    fn walk(nodes: &Value, out: &mut Vec<String>) {
        for node in nodes.as_array().into_iter().flatten() {
            out.push(node["code"].as_str().unwrap().to_string());
            walk(&node["children"], out);
        }
    }
    let mut out = Vec::new();
    walk(&tree["items"], &mut out);
    out
}

#[tokio::test]
async fn categories_are_data_the_national_admins_change() {
    let w = World::on(TestApp::builder().spawn().await).await;
    let app = &w.app;
    let tree = app.get("/v1/categories", None).await.expect(200);
    for seeded in [
        "dampak-lingkungan",
        "kemaritiman",
        "kesehatan",
        "infrastruktur.jalan",
    ] {
        assert!(codes(&tree).contains(&seeded.to_string()), "{seeded}");
    }
    let new = json!({"code": "kesehatan.obat", "name": "Obat dan Makanan"});
    app.post("/v1/categories", None, new.clone())
        .await
        .expect(401);
    for staff in [&w.admin_a, &w.liaison_a1, &w.reporter] {
        app.post("/v1/categories", Some(staff), new.clone())
            .await
            .expect(403);
    }
    let bad = app
        .post(
            "/v1/categories",
            Some(&w.national),
            json!({"code": "Obat Baru", "name": "x"}),
        )
        .await
        .expect(422);
    assert_eq!(bad["errors"].as_array().unwrap().len(), 2, "{bad}");
    let orphan = json!({"code": "tidak-ada.obat", "name": "Obat"});
    app.post("/v1/categories", Some(&w.national), orphan)
        .await
        .expect(422);
    let tree = app
        .post("/v1/categories", Some(&w.national), new.clone())
        .await
        .expect(201);
    assert!(codes(&tree).contains(&"kesehatan.obat".to_string()));
    app.post("/v1/categories", Some(&w.national), new)
        .await
        .expect(409);

    // A report names a category by code or by name in any case, and stores its code.
    let by_name = w.submitted(json!({"category": "OBAT DAN MAKANAN"})).await;
    let shown = app.report(&by_name, Some(&w.reporter)).await.expect(200);
    assert_eq!(shown["category"], "kesehatan.obat");
    let unknown = app
        .post(
            "/v1/reports",
            Some(&w.reporter),
            report(json!({"category": "Sembarang"})),
        )
        .await
        .expect(422);
    assert_eq!(unknown["errors"][0]["field"], "category", "{unknown}");

    // Retired: no new report is filed under it; the filed keep it.
    app.send(
        reqwest::Method::PATCH,
        "/v1/categories/kesehatan.obat",
        Some(&w.national),
        Some(&json!({"active": false})),
    )
    .await
    .expect(200);
    app.post(
        "/v1/reports",
        Some(&w.reporter),
        report(json!({"category": "kesehatan.obat"})),
    )
    .await
    .expect(422);
    assert_eq!(
        app.report(&by_name, Some(&w.reporter)).await.expect(200)["category"],
        "kesehatan.obat"
    );
    let missing = app
        .send(
            reqwest::Method::PATCH,
            "/v1/categories/tidak-ada",
            Some(&w.national),
            Some(&json!({"name": "Apa Saja"})),
        )
        .await;
    assert_eq!(missing.status, 404);

    // Verification corrects the category by name too.
    let t = w.submitted(json!({})).await;
    app.act(
        &t,
        "verification",
        &w.national,
        json!({"decision": "verify", "category": "Sembarang"}),
    )
    .await
    .expect(422);
    let verified = app
        .act(
            &t,
            "verification",
            &w.national,
            json!({"decision": "verify", "category": "kemaritiman"}),
        )
        .await
        .expect(200);
    assert_eq!(verified["category"], "kemaritiman");
}

#[tokio::test]
async fn locations_carry_the_official_region_codes() {
    let w = World::on(TestApp::builder().spawn().await).await;
    let app = &w.app;
    let provinces = app.get("/v1/regions", None).await.expect(200);
    assert_eq!(provinces["items"].as_array().unwrap().len(), 38);
    let west_java = app.get("/v1/regions/32", None).await.expect(200);
    assert_eq!(west_java["level"], "regency");
    assert!(
        west_java["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "32.73" && r["name"] == "Kota Bandung")
    );
    app.get("/v1/regions/99.99", None).await.expect(404);

    // Names are matched to codes; the test report names Kota Bandung, Sumur Bandung.
    let t = w.submitted(json!({})).await;
    let shown = app.report(&t, Some(&w.reporter)).await.expect(200);
    assert_eq!(
        shown["location"]["codes"],
        json!({"province": "32", "regency": "32.73", "district": "32.73.19"})
    );
    // Codes alone name the places.
    let coded = w
        .submitted(json!({"location": {"codes": {"village": "32.73.19.1001"}}}))
        .await;
    let shown = app.report(&coded, Some(&w.reporter)).await.expect(200);
    assert_eq!(shown["location"]["regency"], "Kota Bandung");
    assert_eq!(shown["location"]["codes"]["village"], "32.73.19.1001");
    // Codes that do not lie within one another are refused.
    let wrong = app
        .post(
            "/v1/reports",
            Some(&w.reporter),
            report(json!({"location": {"codes": {"province": "31", "regency": "32.73"}}})),
        )
        .await
        .expect(422);
    assert_eq!(
        wrong["errors"][0]["field"], "location.codes.regency",
        "{wrong}"
    );
}

#[tokio::test]
async fn agencies_are_found_by_the_words_of_their_name() {
    let w = World::on(TestApp::builder().spawn().await).await;
    let names = |body: Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    };
    let found = w
        .app
        .get("/v1/agencies?q=DINAS%20a", None)
        .await
        .expect(200);
    assert_eq!(names(found.clone()), ["Dinas Dua A", "Dinas Satu A"]);
    assert_eq!(found["next_cursor"], Value::Null);
    let one = w
        .app
        .get("/v1/agencies?q=satu&limit=1", None)
        .await
        .expect(200);
    assert_eq!(names(one), ["Dinas Satu A"]);
    let none = w
        .app
        .get("/v1/agencies?q=kepolisian", None)
        .await
        .expect(200);
    assert!(names(none).is_empty());
}

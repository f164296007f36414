//! The whole report lifecycle over HTTP, as each role would use it.

use lapor_tests::{TestApp, report};
use serde_json::{Value, json};

fn types(view: &Value) -> Vec<String> {
    view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn a_report_goes_from_submission_through_disposition_and_answer_to_its_rating() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let submitted = app.submit(Some(&w.reporter), report(json!({}))).await;
    assert_eq!(submitted["status"], "submitted");
    assert!(
        submitted.get("access_code").is_none(),
        "a signed-in reporter needs no code"
    );
    let t = submitted["tracking_id"].as_str().unwrap();

    // Not public before verification.
    app.report(t, None).await.expect(404);

    let view = app
        .act(
            t,
            "verification",
            &w.national,
            json!({"decision": "verify", "dispose_to": w.a}),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "disposed");
    assert_eq!(view["assigned_agency"]["id"], w.a.as_str());
    assert_eq!(types(&view), ["submitted", "verified", "disposed"]);

    let view = app
        .act(
            t,
            "dispositions",
            &w.admin_a,
            json!({"agency_id": w.a1, "note": "Mohon segera"}),
        )
        .await
        .expect(200);
    assert_eq!(view["assigned_agency"]["id"], w.a1.as_str());
    assert_eq!(view["due"]["kind"], "response");

    let view = app
        .act(
            t,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Tim kami sudah meninjau lokasi."}),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "in_progress");

    let view = app
        .act(
            t,
            "replies",
            &w.reporter,
            json!({"body": "Terima kasih, mohon segera diperbaiki."}),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "in_progress");

    let view = app
        .act(
            t,
            "close",
            &w.liaison_a1,
            json!({"note": "Jalan sudah diperbaiki."}),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "closed");

    let view = app
        .act(
            t,
            "reopen",
            &w.admin_a,
            json!({"reason": "Perbaikan belum tuntas."}),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "in_progress");

    let view = app
        .act(
            t,
            "rating",
            &w.reporter,
            json!({"stars": 4, "comment": "Cukup cepat"}),
        )
        .await
        .expect(200);
    assert_eq!(view["rating"]["stars"], 4);

    // The public sees it now, with its whole public story.
    let public = app.report(t, None).await.expect(200);
    assert_eq!(
        types(&public),
        [
            "submitted",
            "verified",
            "disposed",
            "disposed",
            "follow_up",
            "reply",
            "closed",
            "reopened",
            "rated"
        ]
    );
    assert_eq!(public["reporter"]["name"], "Siti Aminah");
    assert!(
        public["reporter"].get("id").is_none(),
        "the public does not see account ids"
    );
}

#[tokio::test]
async fn a_returned_report_is_completed_by_its_reporter_and_verified_again() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let t = w.submitted(json!({})).await;
    app.act(
        t.as_str(),
        "verification",
        &w.national,
        json!({"decision": "return"}),
    )
    .await
    .expect(422);
    let view = app
        .act(
            &t,
            "verification",
            &w.national,
            json!({"decision": "return", "reason": "Lengkapi alamat kejadian."}),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "returned");
    // Only the reporter completes it.
    app.put(
        &format!("/v1/reports/{t}"),
        Some(&w.other),
        report(json!({})),
    )
    .await
    .expect(404);
    let view = app
        .put(
            &format!("/v1/reports/{t}"),
            Some(&w.reporter),
            report(json!({"title": "Jalan berlubang di Jl. Merdeka 10"})),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "submitted");
    assert_eq!(view["title"], "Jalan berlubang di Jl. Merdeka 10");
    assert!(types(&view).ends_with(&["returned".to_string(), "completed".to_string()]));
    // A second completion is not possible: it is no longer returned.
    app.put(
        &format!("/v1/reports/{t}"),
        Some(&w.reporter),
        report(json!({})),
    )
    .await
    .expect(409);
    app.act(
        &t,
        "verification",
        &w.national,
        json!({"decision": "verify", "dispose_to": w.b}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn an_archived_report_stays_archived_and_private() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let t = w.submitted(json!({})).await;
    let view = app
        .act(
            &t,
            "verification",
            &w.national,
            json!({"decision": "archive", "reason": "Bukan pengaduan pelayanan publik."}),
        )
        .await
        .expect(200);
    assert_eq!(view["status"], "archived");
    app.report(&t, None).await.expect(404);
    let own = app.report(&t, Some(&w.reporter)).await.expect(200);
    assert_eq!(
        own["timeline"][1]["reason"],
        "Bukan pengaduan pelayanan publik."
    );
    app.act(
        &t,
        "verification",
        &w.national,
        json!({"decision": "verify"}),
    )
    .await
    .expect(409);
    app.act(&t, "comments", &w.reporter, json!({"body": "Mengapa?"}))
        .await
        .expect(409);
}

#[tokio::test]
async fn not_our_authority_accepted_goes_back_to_the_disposer_and_on() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let t = w.disposed_to(&w.a, json!({})).await;
    app.act(&t, "dispositions", &w.admin_a, json!({"agency_id": w.a1}))
        .await
        .expect(200);
    let answer = app
        .act(
            &t,
            "not-authority-requests",
            &w.liaison_a1,
            json!({"reason": "Jalan provinsi, bukan kabupaten."}),
        )
        .await
        .expect(201);
    let request = answer["request_id"].as_str().unwrap().to_string();
    assert_eq!(answer["requests"][0]["status"], "pending");
    // A second request while one is pending conflicts.
    app.act(
        &t,
        "not-authority-requests",
        &w.liaison_a1,
        json!({"reason": "Lagi."}),
    )
    .await
    .expect(409);
    // Only the disposer's admins decide.
    let decision = format!("not-authority-requests/{request}/decision");
    app.act(&t, &decision, &w.liaison_a1, json!({"decision": "accept"}))
        .await
        .expect(403);
    app.act(&t, &decision, &w.national, json!({"decision": "accept"}))
        .await
        .expect(403);
    let view = app
        .act(
            &t,
            &decision,
            &w.admin_a,
            json!({"decision": "accept", "dispose_to": w.a2}),
        )
        .await
        .expect(200);
    assert_eq!(view["assigned_agency"]["id"], w.a2.as_str());
    assert_eq!(view["status"], "disposed");
    assert!(
        types(&view).ends_with(&["not_authority_accepted".to_string(), "disposed".to_string()])
    );
    app.act(&t, &decision, &w.admin_a, json!({"decision": "accept"}))
        .await
        .expect(409);
    // The requests box of both agencies shows it.
    let inbox = app
        .get("/v1/inbox?box=requests", Some(&w.admin_a))
        .await
        .expect(200);
    assert_eq!(inbox["items"][0]["tracking_id"], t.as_str());
}

#[tokio::test]
async fn not_our_authority_rejected_keeps_the_report_where_it_is() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let t = w.disposed_to(&w.b1, json!({})).await;
    let answer = app
        .act(
            &t,
            "not-authority-requests",
            &w.liaison_b1,
            json!({"reason": "Bukan kami."}),
        )
        .await
        .expect(201);
    let request = answer["request_id"].as_str().unwrap();
    let view = app
        .act(
            &t,
            &format!("not-authority-requests/{request}/decision"),
            &w.national,
            json!({"decision": "reject", "reason": "Ini wewenang B1."}),
        )
        .await
        .expect(200);
    assert_eq!(view["assigned_agency"]["id"], w.b1.as_str());
    assert_eq!(view["requests"][0]["status"], "rejected");
    app.act(
        &t,
        "follow-ups",
        &w.liaison_b1,
        json!({"body": "Baik, kami tangani."}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn forward_hands_the_report_to_a_sibling_unit_and_copies_are_read_only() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let t = w.disposed_to(&w.a1, json!({})).await;
    // Only a sibling under the same parent.
    app.act(&t, "forward", &w.liaison_a1, json!({"agency_id": w.b1}))
        .await
        .expect(422);
    let view = app
        .act(
            &t,
            "forward",
            &w.liaison_a1,
            json!({"agency_id": w.a2, "note": "Urusan dinas dua"}),
        )
        .await
        .expect(200);
    assert_eq!(view["assigned_agency"]["id"], w.a2.as_str());
    // A1 no longer holds it.
    app.act(
        &t,
        "follow-ups",
        &w.liaison_a1,
        json!({"body": "Masih kami?"}),
    )
    .await
    .expect(403);
    // A copy for B: B reads, B cannot act.
    app.act(&t, "copies", &w.admin_a, json!({"agency_id": w.b}))
        .await
        .expect(200);
    app.act(&t, "copies", &w.admin_a, json!({"agency_id": w.b}))
        .await
        .expect(409);
    let copies = app
        .get("/v1/inbox?box=copies", Some(&w.admin_b))
        .await
        .expect(200);
    assert_eq!(copies["items"][0]["tracking_id"], t.as_str());
    app.act(&t, "follow-ups", &w.admin_b, json!({"body": "Kami jawab?"}))
        .await
        .expect(403);
}

#[tokio::test]
async fn close_needs_a_follow_up_and_rating_needs_an_answer() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let t = w.disposed_to(&w.a1, json!({})).await;
    app.act(&t, "close", &w.liaison_a1, json!({}))
        .await
        .expect(409);
    app.act(&t, "rating", &w.reporter, json!({"stars": 5}))
        .await
        .expect(409);
    app.act(
        &t,
        "follow-ups",
        &w.liaison_a1,
        json!({"body": "Sudah ditangani."}),
    )
    .await
    .expect(200);
    app.act(&t, "close", &w.liaison_a1, json!({}))
        .await
        .expect(200);
    app.act(&t, "close", &w.liaison_a1, json!({}))
        .await
        .expect(409);
    app.act(&t, "rating", &w.reporter, json!({"stars": 5}))
        .await
        .expect(200);
}

#[tokio::test]
async fn a_report_is_rated_once_per_closing() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let t = w.disposed_to(&w.a1, json!({})).await;
    let answer = json!({"body": "Sudah ditangani."});
    app.act(&t, "follow-ups", &w.liaison_a1, answer.clone())
        .await
        .expect(200);
    app.act(&t, "close", &w.liaison_a1, json!({}))
        .await
        .expect(200);
    // Twelve ratings at once, as the probe sent them: one is kept.
    let ratings: Vec<_> = (1..=12)
        .map(|i| {
            let rating = app
                .client
                .post(format!("{}/v1/reports/{t}/rating", app.base))
                .bearer_auth(&w.reporter)
                .json(&json!({"stars": 1 + i % 5}))
                .send();
            tokio::spawn(rating)
        })
        .collect();
    let mut statuses = Vec::new();
    for rating in ratings {
        let response = rating.await.unwrap().unwrap();
        statuses.push(lapor_tests::into_answer(response).await.status);
    }
    statuses.sort_unstable();
    let mut expected = vec![200];
    expected.extend([409; 11]);
    assert_eq!(statuses, expected);
    app.act(&t, "rating", &w.reporter, json!({"stars": 5}))
        .await
        .expect(409);
    // Reopened and closed again, the new answer is rated once more.
    app.act(&t, "reopen", &w.admin_a, json!({"reason": "Masih rusak."}))
        .await
        .expect(200);
    app.act(&t, "follow-ups", &w.liaison_a1, answer)
        .await
        .expect(200);
    app.act(&t, "close", &w.liaison_a1, json!({}))
        .await
        .expect(200);
    let view = app
        .act(&t, "rating", &w.reporter, json!({"stars": 5}))
        .await
        .expect(200);
    assert_eq!(view["rating"]["stars"], 5);
    app.act(&t, "rating", &w.reporter, json!({"stars": 1}))
        .await
        .expect(409);
    let rated = types(&app.report(&t, Some(&w.reporter)).await.expect(200))
        .iter()
        .filter(|t| *t == "rated")
        .count();
    assert_eq!(rated, 2, "one rating per closing");
}

#[tokio::test]
async fn an_anonymous_submission_gets_an_access_code_that_opens_its_report() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let submitted = app
        .submit(
            None,
            report(
                json!({"anonymous": true, "contact": {"name": "Warga", "phone": "081234567890"}}),
            ),
        )
        .await;
    let t = submitted["tracking_id"].as_str().unwrap();
    let code = submitted["access_code"]
        .as_str()
        .expect("an access code for a reporter without account");
    let wrong = app
        .post(
            &format!("/v1/reports/{t}/access"),
            None,
            json!({"access_code": "AAAA-BBBB-CCCC-DDDD"}),
        )
        .await;
    assert_eq!(wrong.status, 401);
    let token = app
        .post(
            &format!("/v1/reports/{t}/access"),
            None,
            json!({"access_code": code}),
        )
        .await
        .expect(200)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let own = app.report(t, Some(&token)).await.expect(200);
    assert_eq!(own["reporter"]["contact"]["phone"], "+6281234567890");
    app.act(
        t,
        "verification",
        &w.national,
        json!({"decision": "verify", "dispose_to": w.a1}),
    )
    .await
    .expect(200);
    app.act(
        t,
        "follow-ups",
        &w.liaison_a1,
        json!({"body": "Kami tindak lanjuti."}),
    )
    .await
    .expect(200);
    app.act(t, "replies", &token, json!({"body": "Terima kasih."}))
        .await
        .expect(200);
    // The unit never learns who it was.
    let unit_view = app.report(t, Some(&w.liaison_a1)).await.expect(200);
    assert!(unit_view["reporter"].is_null());
    assert!(!unit_view.to_string().contains("081234567890"));
    let roles: Vec<&str> = unit_view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"]["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "citizen",
            "national_admin",
            "national_admin",
            "liaison_officer",
            "citizen"
        ],
        "a reporter without an account is a citizen, never `system`"
    );
    // The token is for that report only.
    let other = w.disposed_to(&w.a1, json!({})).await;
    app.act(
        &other,
        "replies",
        &token,
        json!({"body": "Bukan laporan saya."}),
    )
    .await
    .expect(403);
}

#[tokio::test]
async fn wrong_access_codes_are_throttled() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let submitted = app.submit(None, report(json!({}))).await;
    let t = submitted["tracking_id"].as_str().unwrap();
    for _ in 0..5 {
        assert_eq!(
            app.post(
                &format!("/v1/reports/{t}/access"),
                None,
                json!({"access_code": "WRONG"})
            )
            .await
            .status,
            401
        );
    }
    let throttled = app
        .post(
            &format!("/v1/reports/{t}/access"),
            None,
            json!({"access_code": submitted["access_code"]}),
        )
        .await;
    assert_eq!(
        throttled.status, 429,
        "even the right code waits once the limit is reached"
    );
}

#[tokio::test]
async fn an_accounts_email_and_phone_share_one_allowance_of_guesses() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    app.post(
        "/v1/auth/register",
        None,
        json!({"name": "Budi", "email": "budi.baru@warga.test", "phone": "081234567890", "password": lapor_tests::PASSWORD}),
    )
    .await
    .expect(201);
    for login in ["budi.baru@warga.test", "081234567890"]
        .repeat(3)
        .into_iter()
        .take(5)
    {
        assert_eq!(sign_in(app, login, "salah-salah-salah").await, 401);
    }
    assert_eq!(
        sign_in(app, "081234567890", lapor_tests::PASSWORD).await,
        429
    );
}

/// The status of a sign-in.
async fn sign_in(app: &lapor_tests::TestApp, login: &str, password: &str) -> u16 {
    let body = json!({"login": login, "password": password});
    app.post("/v1/auth/login", None, body).await.status
}

#[tokio::test]
async fn wrong_passwords_are_throttled() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    for _ in 0..5 {
        assert_eq!(
            sign_in(app, "siti@warga.test", "salah-salah-salah").await,
            401
        );
    }
    assert_eq!(
        sign_in(app, "siti@warga.test", lapor_tests::PASSWORD).await,
        429
    );
}

#[tokio::test]
async fn a_retried_submission_with_the_same_idempotency_key_creates_nothing_new() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let send = |key: &'static str, body: Value| {
        app.client
            .post(format!("{}/v1/reports", app.base))
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = lapor_tests::into_answer(send("kunci-1", report(json!({}))).await.unwrap())
        .await
        .expect(201);
    let again = lapor_tests::into_answer(send("kunci-1", report(json!({}))).await.unwrap())
        .await
        .expect(201);
    assert_eq!(first, again, "the same answer, access code included");
    let code = first["access_code"].as_str().unwrap();
    let stored = app.stored_text().await;
    assert!(stored.contains(first["id"].as_str().unwrap()), "{stored}");
    assert!(
        !stored.contains(code),
        "the store keeps no usable access code"
    );
    assert!(!stored.contains("kunci-1"), "nor the key that unseals it");
    assert!(
        !stored.contains(&lapor_app::secrets::sha256_hex(b"kunci-1")),
        "nor a bare hash that a short key could be guessed back from"
    );
    let other_body = lapor_tests::into_answer(
        send(
            "kunci-1",
            report(json!({"title": "Judul yang lain sama sekali"})),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(other_body.status, 422);
    let third = lapor_tests::into_answer(send("kunci-2", report(json!({}))).await.unwrap())
        .await
        .expect(201);
    assert_ne!(third["tracking_id"], first["tracking_id"]);
    let inbox = app
        .get("/v1/inbox?box=verification", Some(&w.national))
        .await
        .expect(200);
    assert_eq!(inbox["counts"]["verification"], 2);
}

/// A key is honoured for 24 hours: the replay hands a public submission's access code to
/// whoever holds the key and the body, so it is not kept longer than a client's retries need.
#[tokio::test]
async fn an_idempotency_key_is_honoured_for_a_day_only() {
    let clock = std::sync::Arc::new(lapor_tests::TestClock::default());
    let w = TestApp::builder().clock(clock.clone()).world().await;
    let app = &w.app;
    let send = || async {
        let response = app
            .client
            .post(format!("{}/v1/reports", app.base))
            .header("Idempotency-Key", "kunci-sehari")
            .json(&report(json!({})))
            .send()
            .await
            .unwrap();
        lapor_tests::into_answer(response).await.expect(201)
    };
    let t0 = time::OffsetDateTime::now_utc();
    clock.set(t0);
    let first = send().await;
    assert!(first["access_code"].is_string());
    clock.set(t0 + time::Duration::hours(24) - time::Duration::seconds(1));
    assert_eq!(
        send().await,
        first,
        "a retry within the day is answered as the first"
    );
    clock.set(t0 + time::Duration::hours(24));
    let later = send().await;
    assert_ne!(
        later["tracking_id"], first["tracking_id"],
        "a day on, a new report"
    );
    assert_ne!(later["access_code"], first["access_code"]);
    let inbox = app
        .get("/v1/inbox?box=verification", Some(&w.national))
        .await
        .expect(200);
    assert_eq!(inbox["counts"]["verification"], 2);
}

#[tokio::test]
async fn the_public_feed_filters_and_pages() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let mut trackings = Vec::new();
    for i in 0..5 {
        let t = w
            .disposed_to(
                &w.a1,
                json!({"title": format!("Lampu jalan padam nomor {i}"), "category": "infrastruktur.listrik"}),
            )
            .await;
        trackings.push(t);
    }
    w.disposed_to(&w.b1, json!({"category": "kesehatan", "body": "Puskesmas tutup pada jam pelayanan tanpa pemberitahuan."})).await;
    w.disposed_to(&w.b1, json!({"confidential": true})).await;
    w.submitted(json!({})).await;

    let all = app.get("/v1/reports", None).await.expect(200);
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        6,
        "confidential and unverified stay out"
    );
    let lights = app
        .get("/v1/reports?category=infrastruktur.listrik&limit=2", None)
        .await
        .expect(200);
    assert_eq!(lights["items"].as_array().unwrap().len(), 2);
    let mut seen: Vec<String> = Vec::new();
    let mut page = lights;
    loop {
        for item in page["items"].as_array().unwrap() {
            seen.push(item["tracking_id"].as_str().unwrap().to_string());
        }
        let Some(cursor) = page["next_cursor"].as_str() else {
            break;
        };
        page = app
            .get(
                &format!("/v1/reports?category=infrastruktur.listrik&limit=2&cursor={cursor}"),
                None,
            )
            .await
            .expect(200);
    }
    trackings.reverse();
    assert_eq!(
        seen, trackings,
        "newest change first, no gaps, no duplicates"
    );
    let search = app
        .get("/v1/reports?q=puskesmas%20TUTUP", None)
        .await
        .expect(200);
    assert_eq!(search["items"].as_array().unwrap().len(), 1);
    let by_agency = app
        .get(&format!("/v1/reports?agency_id={}", w.b1), None)
        .await
        .expect(200);
    assert_eq!(by_agency["items"].as_array().unwrap().len(), 1);
    let closed = app.get("/v1/reports?status=closed", None).await.expect(200);
    assert_eq!(closed["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_work_list_counts_and_flags() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    for _ in 0..3 {
        w.disposed_to(&w.a1, json!({})).await;
    }
    let t = w.disposed_to(&w.a1, json!({})).await;
    app.act(
        &t,
        "follow-ups",
        &w.liaison_a1,
        json!({"body": "Sedang diproses."}),
    )
    .await
    .expect(200);
    w.submitted(json!({})).await;

    let pending = app
        .get("/v1/inbox?box=pending&limit=2", Some(&w.liaison_a1))
        .await
        .expect(200);
    assert_eq!(pending["counts"]["pending"], 3);
    assert_eq!(pending["counts"]["in_progress"], 1);
    assert_eq!(pending["items"].as_array().unwrap().len(), 2);
    assert_eq!(pending["items"][0]["overdue"], false);
    assert!(pending["items"][0]["working_days_waiting"].is_u64());
    let cursor = pending["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/v1/inbox?box=pending&limit=2&cursor={cursor}"),
            Some(&w.liaison_a1),
        )
        .await
        .expect(200);
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    // A cursor of A1's list is refused for B1's.
    let foreign = app
        .get(
            &format!("/v1/inbox?box=pending&limit=2&cursor={cursor}"),
            Some(&w.liaison_b1),
        )
        .await;
    assert_eq!(foreign.status, 400);
    // A cursor whose position was edited is refused, even by the list it came from.
    let (position, tag) = cursor.split_once('.').unwrap();
    let edited = if position.starts_with('e') { "f" } else { "e" };
    let forged = app
        .get(
            &format!(
                "/v1/inbox?box=pending&limit=2&cursor={edited}{}.{tag}",
                &position[1..]
            ),
            Some(&w.liaison_a1),
        )
        .await;
    assert_eq!(forged.status, 400);
    let national = app.get("/v1/inbox", Some(&w.national)).await.expect(200);
    assert_eq!(national["counts"]["verification"], 1);
    app.get("/v1/inbox", Some(&w.reporter)).await.expect(403);
    app.get("/v1/inbox", None).await.expect(401);
}

//! Bad input of every kind: each gets a clear problem+json answer with the right status, names
//! the fields at fault, and changes nothing. No input gets a 5xx.

use lapor_tests::{Answer, TestApp, World, report};
use reqwest::Method;
use serde_json::{Value, json};

/// Asserts an RFC 9457 problem with this status.
#[track_caller]
fn problem(answer: &Answer, status: u16) {
    assert_eq!(answer.status, status, "body: {}", answer.body);
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(answer.body["status"], status);
    for member in ["type", "title", "detail"] {
        assert!(
            answer.body[member].is_string(),
            "no {member} in {}",
            answer.body
        );
    }
}

/// The fields an answer's `errors` name.
fn fields(answer: &Answer) -> Vec<String> {
    answer.body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn raw(app: &lapor_tests::TestApp, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    lapor_tests::into_answer(response).await
}

async fn reports_awaiting_verification(w: &World) -> Value {
    let inbox = w
        .app
        .get("/v1/inbox?box=verification", Some(&w.national))
        .await
        .expect(200);
    inbox["counts"]["verification"].clone()
}

#[tokio::test]
async fn unreadable_bodies_are_refused_whole() {
    let app = TestApp::builder().spawn().await;
    problem(
        &raw(
            &app,
            "/v1/reports",
            "application/json",
            b"{\"title\": ".to_vec(),
        )
        .await,
        400,
    );
    problem(
        &raw(&app, "/v1/reports", "application/json", b"[1, 2]".to_vec()).await,
        400,
    );
    problem(
        &raw(
            &app,
            "/v1/reports",
            "application/json",
            vec![0xff, 0xfe, 0x00],
        )
        .await,
        400,
    );
    let form = b"title=Jalan+rusak".to_vec();
    problem(
        &raw(
            &app,
            "/v1/reports",
            "application/x-www-form-urlencoded",
            form,
        )
        .await,
        415,
    );
    let huge = serde_json::to_vec(&report(json!({"body": "x".repeat(300 * 1024)}))).unwrap();
    problem(
        &raw(&app, "/v1/reports", "application/json", huge).await,
        413,
    );
    // Nothing was created by any of them.
    let feed = app.get("/v1/reports", None).await.expect(200);
    assert_eq!(feed["items"], json!([]));
}

#[tokio::test]
async fn every_invalid_submission_field_is_named_and_nothing_is_stored() {
    let w = TestApp::builder().world().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"classification": "complaint!"}), "classification"),
        (json!({"title": "Ha"}), "title"),
        (json!({"title": "x".repeat(151)}), "title"),
        (json!({"title": 42}), "title"),
        (json!({"body": "Terlalu pendek"}), "body"),
        (json!({"category": ""}), "category"),
        (json!({"incident_date": "2999-01-01"}), "incident_date"),
        (json!({"incident_date": "01-02-2025"}), "incident_date"),
        (json!({"incident_date": "2025-02-30"}), "incident_date"),
        (json!({"location": "Bandung"}), "location"),
        (
            json!({"location": {"regency": "Kota Bandung"}}),
            "location.province",
        ),
        (
            json!({"location": {"province": "Jawa Barat", "regency": "Bandung", "lat": 91, "lon": 107.6}}),
            "location.lat",
        ),
        (
            json!({"location": {"province": "Jawa Barat", "regency": "Bandung", "lat": -6.9, "lon": "timur"}}),
            "location.lon",
        ),
        (json!({"target_agency_id": "dinas-pu"}), "target_agency_id"),
        (
            json!({"target_agency_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}),
            "target_agency_id",
        ),
        (json!({"anonymous": "ya"}), "anonymous"),
        (json!({"confidential": null}), "confidential"),
        (
            json!({"contact": {"email": "bukan-surel"}}),
            "contact.email",
        ),
        (json!({"contact": {"phone": "12"}}), "contact.phone"),
        (json!({"attachment_ids": "satu"}), "attachment_ids"),
        (
            json!({"attachment_ids": ["01ARZ3NDEKTSV4RRFFQ69G5FAV"]}),
            "attachment_ids[0]",
        ),
        (json!({"attachment_ids": ["bukan-id"]}), "attachment_ids[0]"),
        (
            json!({"attachment_ids": vec!["01ARZ3NDEKTSV4RRFFQ69G5FAV"; 6]}),
            "attachment_ids",
        ),
    ];
    for (overrides, field) in cases {
        let answer = w
            .app
            .post("/v1/reports", None, report(overrides.clone()))
            .await;
        problem(&answer, 422);
        assert!(
            fields(&answer).contains(&field.to_string()),
            "{overrides}: expected {field} in {}",
            answer.body
        );
    }
    // Several faults at once: every one is named.
    let answer = w
        .app
        .post(
            "/v1/reports",
            None,
            json!({"title": "Ha", "anonymous": true}),
        )
        .await;
    problem(&answer, 422);
    let named = fields(&answer);
    for field in [
        "classification",
        "title",
        "body",
        "category",
        "incident_date",
        "location",
        "confidential",
    ] {
        assert!(
            named.contains(&field.to_string()),
            "{field} missing from {named:?}"
        );
    }
    assert_eq!(reports_awaiting_verification(&w).await, 0);
}

#[tokio::test]
async fn bad_actions_change_nothing() {
    let w = TestApp::builder().world().await;
    let t = w.submitted(json!({})).await;
    let before = w.app.report(&t, Some(&w.national)).await.expect(200);
    let cases = [
        ("verification", json!({"decision": "maybe"}), 422),
        ("verification", json!({"decision": "return"}), 422),
        (
            "verification",
            json!({"decision": "verify", "dispose_to": "dinas"}),
            422,
        ),
        (
            "verification",
            json!({"decision": "verify", "dispose_to": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}),
            422,
        ),
        (
            "verification",
            json!({"decision": "verify", "title": "Ha"}),
            422,
        ),
        ("dispositions", json!({"agency_id": w.a1}), 409),
        ("follow-ups", json!({"body": "Sudah."}), 403),
        ("close", json!({}), 403),
        ("rating", json!({"stars": 9}), 422),
        ("nonsense", json!({}), 404),
    ];
    for (action, body, status) in cases {
        let answer = w.app.act(&t, action, &w.national, body).await;
        assert_eq!(answer.status, status, "{action}: {}", answer.body);
        problem(&answer, status);
    }
    // A stale If-Match is a conflict.
    let response = w
        .app
        .client
        .post(format!("{}/v1/reports/{t}/verification", w.app.base))
        .bearer_auth(&w.national)
        .header("if-match", "7")
        .json(&json!({"decision": "verify"}))
        .send()
        .await
        .unwrap();
    problem(&lapor_tests::into_answer(response).await, 409);
    let after = w.app.report(&t, Some(&w.national)).await.expect(200);
    assert_eq!(before, after, "no bad action changed the report");
}

#[tokio::test]
async fn tokens_paths_methods_and_lists() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    for token in ["", "garbage", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"] {
        problem(&app.get("/v1/me", Some(token)).await, 401);
    }
    problem(&app.get("/v1/me", None).await, 401);
    problem(&app.get("/v1/reports/99999999", None).await, 404);
    problem(&app.get("/v1/reports/bukan-nomor", None).await, 404);
    problem(&app.get("/v1/tidak-ada", None).await, 404);
    for path in ["/v1/reports/%FF", "/v1/agencies/%FF%FE"] {
        problem(&app.get(path, None).await, 404);
    }
    let code = json!({"access_code": "AAAA-AAAA-AAAA-AAAA"});
    problem(&app.post("/v1/reports/%C3/access", None, code).await, 404);
    problem(
        &app.get("/v1/agencies/01ARZ3NDEKTSV4RRFFQ69G5FAV", None)
            .await,
        404,
    );
    problem(
        &app.send(Method::DELETE, "/v1/reports", None, None).await,
        405,
    );
    for query in [
        "limit=0",
        "limit=abc",
        "limit=-1",
        // Beyond the document's int64.
        "limit=9223372036854775808",
        "status=lost",
        "cursor=abc",
        "cursor=%ff",
    ] {
        let answer = app.get(&format!("/v1/reports?{query}"), None).await;
        assert!(
            [400, 422].contains(&answer.status),
            "{query}: {}",
            answer.status
        );
        problem(&answer, answer.status);
    }
    problem(
        &app.get("/v1/inbox?box=everything", Some(&w.national)).await,
        422,
    );
    problem(
        &app.get("/v1/inbox?overdue=maybe", Some(&w.national)).await,
        422,
    );
    let bad_login = app
        .post(
            "/v1/auth/login",
            None,
            json!({"login": "siti@warga.test", "password": "salah-sekali"}),
        )
        .await;
    problem(&bad_login, 401);
    // An endless password is refused before any hashing, field by field.
    let long_login = app
        .post(
            "/v1/auth/login",
            None,
            json!({"login": "siti@warga.test", "password": "x".repeat(201)}),
        )
        .await;
    problem(&long_login, 422);
    assert_eq!(long_login.body["errors"][0]["field"], "password");
    let bad_register = app
        .post(
            "/v1/auth/register",
            None,
            json!({"name": "", "password": "pendek"}),
        )
        .await;
    problem(&bad_register, 422);
    let named = fields(&bad_register);
    for field in ["name", "password", "email"] {
        assert!(
            named.contains(&field.to_string()),
            "{field} missing from {named:?}"
        );
    }
    let bad_agency = app
        .post(
            "/v1/agencies",
            Some(&w.national),
            json!({"name": "A", "timezone": "Asia/Tokyo"}),
        )
        .await;
    problem(&bad_agency, 422);
    assert!(fields(&bad_agency).contains(&"timezone".to_string()));
    problem(
        &app.post(
            "/v1/reports/99999999/access",
            None,
            json!({"access_code": "SALAH"}),
        )
        .await,
        401,
    );
}

/// Every field of every body replaced by every kind of hostile value: a 4xx problem each time.
#[tokio::test]
async fn no_input_gets_a_server_error() {
    let w = TestApp::builder().world().await;
    let t = w.disposed_to(&w.a1, json!({})).await;
    let hostile = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1e308),
        json!(18446744073709551615u64),
        json!(""),
        json!(" "),
        json!("\u{0000}"),
        json!("🙂".repeat(5000)),
        json!("' OR 1=1; DROP TABLE reports; --"),
        json!([]),
        json!([[[[[]]]]]),
        json!({}),
        json!({"$ne": null}),
    ];
    let bodies: Vec<(Method, String, Option<&str>, Value)> = vec![
        (Method::POST, "/v1/reports".into(), None, report(json!({}))),
        (
            Method::POST,
            "/v1/auth/register".into(),
            None,
            json!({"name": "Budi", "email": "budi@warga.test", "password": lapor_tests::PASSWORD}),
        ),
        (
            Method::POST,
            "/v1/auth/login".into(),
            None,
            json!({"login": "budi@warga.test", "password": lapor_tests::PASSWORD}),
        ),
        (
            Method::POST,
            "/v1/agencies".into(),
            Some(&w.national),
            json!({"name": "Dinas Baru", "parent_id": w.a, "timezone": "Asia/Makassar"}),
        ),
        (
            Method::PATCH,
            format!("/v1/agencies/{}", w.a1),
            Some(&w.admin_a),
            json!({"name": "Dinas Satu", "description": "Profil."}),
        ),
        (
            Method::POST,
            "/v1/users".into(),
            Some(&w.admin_a),
            json!({"name": "Petugas", "email": "p@lapor.test", "password": lapor_tests::PASSWORD, "role": "liaison_officer", "agency_id": w.a1}),
        ),
        (
            Method::POST,
            format!("/v1/reports/{t}/forward"),
            Some(&w.liaison_a1),
            json!({"agency_id": w.a2, "note": "Catatan"}),
        ),
        (
            Method::POST,
            format!("/v1/reports/{t}/copies"),
            Some(&w.admin_a),
            json!({"agency_id": w.b}),
        ),
        (
            Method::POST,
            format!("/v1/reports/{t}/comments"),
            Some(&w.liaison_a1),
            json!({"body": "Komentar", "internal": true}),
        ),
        (
            Method::POST,
            format!("/v1/reports/{t}/not-authority-requests"),
            Some(&w.liaison_a1),
            json!({"reason": "Bukan kami."}),
        ),
        (
            Method::POST,
            format!("/v1/reports/{t}/rating"),
            Some(&w.reporter),
            json!({"stars": 4, "comment": "Baik"}),
        ),
        (
            Method::POST,
            format!("/v1/reports/{t}/access"),
            None,
            json!({"access_code": "ABCD"}),
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, token, body) in &bodies {
        let Value::Object(valid) = body else {
            unreachable!()
        };
        for field in valid.keys() {
            for value in &hostile {
                let mut mutated = valid.clone();
                mutated.insert(field.clone(), value.clone());
                let answer = w
                    .app
                    .send(method.clone(), path, *token, Some(&Value::Object(mutated)))
                    .await;
                if answer.status >= 500 {
                    failures.push(format!(
                        "{method} {path} {field}={value}: {} {}",
                        answer.status, answer.body
                    ));
                } else if answer.status >= 400 && answer.content_type != "application/problem+json"
                {
                    failures.push(format!(
                        "{method} {path} {field}={value}: not a problem: {}",
                        answer.content_type
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The message an answer's `errors` give for `field`.
fn message(answer: &Answer, field: &str) -> String {
    answer.body["errors"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no error on {field} in {}", answer.body))
        .to_string()
}

const INVISIBLE: &str = "must not be empty (invisible characters do not count)";
const BIDI: &str = "must not contain bidirectional control characters";

/// Text that shows nothing (zero-width characters, joiners, byte order marks, soft hyphens), or
/// shows other than it is (bidirectional overrides and isolates), is refused in every free-text
/// field, each named with its message; what is kept is in NFC.
#[tokio::test]
async fn invisible_or_reordered_text_is_refused_in_every_text_field() {
    let w = TestApp::builder().world().await;
    let app = &w.app;
    let submission = report(json!({
        "title": "\u{200B}".repeat(20),
        "body": "\u{FEFF}\u{2060}\u{200D}".repeat(10),
        "category": "\u{00AD}\u{00AD}\u{00AD}",
        "location": {"province": "Jawa\u{202E} Barat", "regency": "\u{200C}\u{200C}"},
        "contact": {"name": "Admin\u{202E} Nasional"},
    }));
    let answer = app.post("/v1/reports", None, submission).await;
    problem(&answer, 422);
    for (field, expected) in [
        ("title", INVISIBLE),
        ("body", INVISIBLE),
        ("category", INVISIBLE),
        ("location.province", BIDI),
        ("location.regency", INVISIBLE),
        ("contact.name", BIDI),
    ] {
        assert_eq!(message(&answer, field), expected, "{field}");
    }
    assert_eq!(reports_awaiting_verification(&w).await, 0);

    // Names of people and agencies, agency profiles, file names.
    let cases = [
        (
            Method::POST,
            "/v1/auth/register".to_string(),
            None,
            json!({"name": "\u{2067}Admin Nasional\u{2069}", "email": "palsu@warga.test", "password": lapor_tests::PASSWORD}),
            "name",
            BIDI,
        ),
        (
            Method::POST,
            "/v1/users".to_string(),
            Some(w.national.as_str()),
            json!({"name": "\u{2800}\u{2800}", "email": "kosong@lapor.test", "password": lapor_tests::PASSWORD, "role": "liaison_officer", "agency_id": w.a1}),
            "name",
            INVISIBLE,
        ),
        (
            Method::POST,
            "/v1/agencies".to_string(),
            Some(w.national.as_str()),
            json!({"name": "Dinas\u{202D} Palsu"}),
            "name",
            BIDI,
        ),
        (
            Method::PATCH,
            format!("/v1/agencies/{}", w.a1),
            Some(w.admin_a.as_str()),
            json!({"description": "\u{200B}\u{200B}"}),
            "description",
            INVISIBLE,
        ),
        (
            Method::POST,
            "/v1/attachments".to_string(),
            Some(w.reporter.as_str()),
            json!({"filename": "foto\u{202E}gnp.exe", "content_type": "image/png", "size": 10}),
            "filename",
            BIDI,
        ),
    ];
    for (method, path, token, body, field, expected) in cases {
        let answer = app.send(method, &path, token, Some(&body)).await;
        problem(&answer, 422);
        assert_eq!(message(&answer, field), expected, "{path}");
    }
    let agency = app
        .get(&format!("/v1/agencies/{}", w.a1), None)
        .await
        .expect(200);
    assert!(agency.to_string().contains("Dinas Satu A"), "{agency}");

    // Follow-ups, comments, replies and reasons.
    let t = w.disposed_to(&w.a1, json!({})).await;
    let before = app.report(&t, Some(&w.national)).await.expect(200);
    let actions = [
        (
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "\u{200B}"}),
            "body",
            INVISIBLE,
        ),
        (
            "comments",
            &w.reporter,
            json!({"body": "Lihat\u{202E}ini"}),
            "body",
            BIDI,
        ),
        (
            "replies",
            &w.reporter,
            json!({"body": "\u{FEFF}"}),
            "body",
            INVISIBLE,
        ),
        (
            "not-authority-requests",
            &w.liaison_a1,
            json!({"reason": "\u{2066}Bukan kami\u{2069}"}),
            "reason",
            BIDI,
        ),
    ];
    for (action, token, body, field, expected) in actions {
        let answer = app.act(&t, action, token, body).await;
        problem(&answer, 422);
        assert_eq!(message(&answer, field), expected, "{action}");
    }
    let after = app.report(&t, Some(&w.national)).await.expect(200);
    assert_eq!(before, after, "no refused text changed the report");

    // Accepted text is kept composed (NFC): one text, one form.
    let decomposed = "Jalan rusak di depan Cafe\u{301} Kopi";
    let t = w.submitted(json!({"title": decomposed})).await;
    let view = app.report(&t, Some(&w.reporter)).await.expect(200);
    assert_eq!(view["title"], "Jalan rusak di depan Caf\u{E9} Kopi");
}

/// An `Idempotency-Key` holding a tab (the one control character HTTP lets through) is refused
/// as an invalid field, and nothing is created.
#[tokio::test]
async fn an_idempotency_key_with_a_tab_is_refused() {
    let w = TestApp::builder().world().await;
    for key in ["kunci\tsatu", "kunci\t\tsatu"] {
        let response = w
            .app
            .client
            .post(format!("{}/v1/reports", w.app.base))
            .header("Idempotency-Key", key)
            .json(&report(json!({})))
            .send()
            .await
            .unwrap();
        let answer = lapor_tests::into_answer(response).await;
        problem(&answer, 422);
        assert_eq!(fields(&answer), ["Idempotency-Key"], "{key:?}");
    }
    assert_eq!(reports_awaiting_verification(&w).await, 0);
}

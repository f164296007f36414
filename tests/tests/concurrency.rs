//! Concurrent writers: exactly one of conflicting actions wins, and no submission is lost.

use std::collections::HashSet;

use lapor_tests::{TestApp, World, into_answer, report};
use serde_json::json;

/// Fifty verification decisions at once, of every kind, on one report: one lands, 49 are told
/// the report changed, and the timeline holds one decision.
#[tokio::test]
async fn of_fifty_conflicting_decisions_exactly_one_wins() {
    let w = TestApp::builder().world().await;
    let t = w.submitted(json!({})).await;
    let kinds = [
        json!({"decision": "verify", "dispose_to": w.a}),
        json!({"decision": "verify", "dispose_to": w.b}),
        json!({"decision": "return", "reason": "Lengkapi."}),
        json!({"decision": "archive", "reason": "Arsipkan."}),
        json!({"decision": "verify", "dispose_to": w.a1}),
        json!({"decision": "verify"}),
        json!({"decision": "return", "reason": "Kurang jelas."}),
        json!({"decision": "archive", "reason": "Duplikat."}),
    ];
    let decisions: Vec<_> = kinds.iter().cycle().take(50).collect();
    let attempts = decisions.iter().map(|body| {
        w.app
            .client
            .post(format!("{}/v1/reports/{t}/verification", w.app.base))
            .bearer_auth(&w.national)
            .json(body)
            .send()
    });
    let mut statuses = Vec::new();
    for response in futures_join(attempts).await {
        statuses.push(into_answer(response.expect("sent")).await.status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    let view = w.app.report(&t, Some(&w.national)).await.expect(200);
    assert_eq!(view["version"], 2, "one change, one version");
    let decided = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            matches!(
                e["type"].as_str(),
                Some("verified" | "returned" | "archived")
            )
        })
        .count();
    assert_eq!(decided, 1, "one decision in the timeline");
}

/// Follow-ups, comments and replies do not contradict each other: sent at once without
/// `If-Match`, every one lands, each once; with a stale `If-Match`, one is still refused.
#[tokio::test]
async fn thirty_concurrent_follow_ups_on_one_report_all_land_once() {
    let w = TestApp::builder().world().await;
    let t = w.disposed_to(&w.a1, json!({})).await;
    let staff = [&w.liaison_a1, &w.admin_a1];
    let follow_ups = (0..30).map(|i| {
        w.app
            .client
            .post(format!("{}/v1/reports/{t}/follow-ups", w.app.base))
            .bearer_auth(staff[i % 2])
            .json(&json!({"body": format!("Tindak lanjut nomor {i}")}))
            .send()
    });
    let mut statuses = Vec::new();
    for response in futures_join(follow_ups).await {
        statuses.push(into_answer(response.expect("sent")).await.status);
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let view = w.app.report(&t, Some(&w.national)).await.expect(200);
    let bodies: Vec<&str> = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "follow_up")
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.len(), 30, "{bodies:?}");
    let distinct: HashSet<&str> = bodies.iter().copied().collect();
    assert_eq!(distinct.len(), 30, "each follow-up once: {bodies:?}");
    assert_eq!(view["status"], "in_progress");

    let stale = w
        .app
        .client
        .post(format!("{}/v1/reports/{t}/comments", w.app.base))
        .bearer_auth(&w.reporter)
        .header("if-match", "2")
        .json(&json!({"body": "Terima kasih."}))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        into_answer(stale).await.status,
        409,
        "If-Match still guards"
    );
}

#[tokio::test]
async fn two_hundred_concurrent_submissions_are_all_kept() {
    let w = TestApp::builder().world().await;
    let submissions = (0..200).map(|i| {
        w.app
            .client
            .post(format!("{}/v1/reports", w.app.base))
            .json(&report(
                json!({"title": format!("Laporan serentak nomor {i}")}),
            ))
            .send()
    });
    let mut trackings = HashSet::new();
    for response in futures_join(submissions).await {
        let body = into_answer(response.expect("sent")).await.expect(201);
        trackings.insert(body["tracking_id"].as_str().unwrap().to_string());
    }
    assert_eq!(trackings.len(), 200, "200 distinct tracking ids");
    let inbox = w
        .app
        .get("/v1/inbox?box=verification", Some(&w.national))
        .await
        .expect(200);
    assert_eq!(inbox["counts"]["verification"], 200);
    for t in trackings.iter().take(20) {
        w.app.report(t, Some(&w.national)).await.expect(200);
    }
}

#[tokio::test]
async fn concurrent_retries_with_one_idempotency_key_create_one_report() {
    let w = TestApp::builder().world().await;
    let retries = (0..10).map(|_| {
        w.app
            .client
            .post(format!("{}/v1/reports", w.app.base))
            .header("Idempotency-Key", "sekali-saja")
            .json(&report(json!({})))
            .send()
    });
    let mut answers = Vec::new();
    for response in futures_join(retries).await {
        answers.push(into_answer(response.expect("sent")).await.expect(201));
    }
    assert!(
        answers.windows(2).all(|p| p[0] == p[1]),
        "every retry gets the first answer"
    );
    let inbox = w
        .app
        .get("/v1/inbox?box=verification", Some(&w.national))
        .await
        .expect(200);
    assert_eq!(inbox["counts"]["verification"], 1);
}

/// Runs futures concurrently on the test's runtime and collects their outputs in order.
#[tokio::test]
async fn concurrent_profile_changes_to_one_agency_are_all_kept() {
    let w = TestApp::builder().world().await;
    let fields = ["name", "description", "address", "contact"];
    let url = format!("{}/v1/agencies/{}", w.app.base, w.a1);
    let changes: Vec<_> = fields
        .iter()
        .flat_map(|field| (0..2).map(move |round| (field, round)))
        .map(|(field, round)| {
            w.app
                .client
                .patch(&url)
                .bearer_auth(&w.admin_a)
                .json(&json!({ *field: format!("Isian {field} ke-{round}") }))
                .send()
        })
        .collect();
    for response in futures_join(changes).await {
        assert_eq!(into_answer(response.expect("sent")).await.status, 200);
    }
    let agency = w
        .app
        .get(&format!("/v1/agencies/{}", w.a1), None)
        .await
        .expect(200);
    for field in fields {
        let value = agency[field].as_str().or(agency["profile"][field].as_str());
        assert!(
            value.is_some_and(|v| v.starts_with(&format!("Isian {field}"))),
            "{field} kept: {agency}"
        );
    }
}

/// Sends the same body to `path` `n` times at once and returns the statuses, sorted.
async fn statuses_of_concurrent_posts(
    w: &World,
    path: &str,
    body: serde_json::Value,
    n: usize,
) -> Vec<u16> {
    let attempts = (0..n).map(|_| {
        w.app
            .client
            .post(format!("{}{path}", w.app.base))
            .json(&body)
            .send()
    });
    let mut statuses = Vec::new();
    for response in futures_join(attempts).await {
        statuses.push(into_answer(response.expect("sent")).await.status);
    }
    statuses.sort_unstable();
    statuses
}

#[tokio::test]
async fn concurrent_wrong_passwords_get_no_more_guesses_than_the_limit() {
    let w = TestApp::builder().world().await;
    let body = json!({"login": "siti@warga.test", "password": "salah-salah-salah"});
    let statuses = statuses_of_concurrent_posts(&w, "/v1/auth/login", body, 20).await;
    let mut expected = vec![401; 5];
    expected.extend([429; 15]);
    assert_eq!(statuses, expected);
}

#[tokio::test]
async fn concurrent_wrong_access_codes_get_no_more_guesses_than_the_limit() {
    let w = TestApp::builder().world().await;
    let t = w.app.submit(None, report(json!({}))).await["tracking_id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"access_code": "AAAA-AAAA-AAAA-AAAA"});
    let statuses =
        statuses_of_concurrent_posts(&w, &format!("/v1/reports/{t}/access"), body, 20).await;
    let mut expected = vec![401; 5];
    expected.extend([429; 15]);
    assert_eq!(statuses, expected);
}

async fn futures_join<F, T>(futures: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

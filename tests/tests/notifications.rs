//! Notifications end to end, on the embedded backend (the in-process relay worker) and
//! (`LAPOR_TEST_BACKEND=aws`) on DynamoDB, SQS and EventBridge on moto, where the tests play
//! the notifier Lambda on what the queue holds: who hears what, in Bahasa Indonesia and without
//! anything private, once, whatever is redelivered or down for a while.

use lapor_lambda::notifier::{ItemFailure, SqsEvent, SqsRecord, deliver_batch};
use lapor_tests::{TestApp, World};
use serde_json::{Value, json};

/// The events a token's holder was told of about `tracking`, oldest first.
async fn heard(w: &World, token: Option<&str>, tracking: &str) -> Vec<String> {
    let answer = w
        .app
        .get("/v1/notifications?limit=100", token)
        .await
        .expect(200);
    let mut events: Vec<String> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["tracking_id"] == tracking)
        .map(|n| n["event"].as_str().unwrap().to_string())
        .collect();
    events.reverse();
    events
}

#[tokio::test]
async fn each_person_hears_what_happened_to_the_report_they_care_about() {
    let w = TestApp::builder().world().await;
    let t = w
        .submitted(json!({"title": "Pungutan liar di kantor kelurahan", "confidential": true}))
        .await;
    let verify = json!({"decision": "verify", "dispose_to": w.a1});
    w.app
        .act(&t, "verification", &w.national, verify)
        .await
        .expect(200);
    let follow_up = json!({"body": "Petugas yang bersangkutan sudah diperiksa."});
    w.app
        .act(&t, "follow-ups", &w.liaison_a1, follow_up)
        .await
        .expect(200);
    w.app
        .act(&t, "replies", &w.reporter, json!({"body": "Terima kasih."}))
        .await
        .expect(200);
    w.app
        .act(&t, "close", &w.liaison_a1, json!({}))
        .await
        .expect(200);
    w.app.settle().await;

    assert_eq!(
        heard(&w, Some(&w.reporter), &t).await,
        ["verified", "disposed", "follow_up", "closed"]
    );
    assert_eq!(
        heard(&w, Some(&w.liaison_a1), &t).await,
        ["disposed", "reply"]
    );
    assert_eq!(
        heard(&w, Some(&w.admin_a1), &t).await,
        ["disposed", "reply"]
    );
    assert_eq!(heard(&w, Some(&w.national), &t).await, ["submitted"]);
    for outsider in [&w.other, &w.liaison_b1, &w.admin_b, &w.liaison_a2] {
        assert!(heard(&w, Some(outsider), &t).await.is_empty());
    }
    // The texts name the report and what happened: never its content or its reporter.
    let mine = w
        .app
        .get("/v1/notifications", Some(&w.reporter))
        .await
        .expect(200);
    let first = &mine["items"][0];
    assert_eq!(
        first["text"],
        format!("Laporan #{t} telah selesai ditindaklanjuti.")
    );
    assert_eq!(first["read"], false);
    let everything = mine.to_string()
        + &w.app
            .get("/v1/notifications", Some(&w.liaison_a1))
            .await
            .body
            .to_string();
    for private in ["Pungutan", "Siti", "siti@warga.test"] {
        assert!(!everything.contains(private), "{private} in {everything}");
    }
    // Only a signed-in user or a report's token has notifications.
    assert_eq!(w.app.get("/v1/notifications", None).await.status, 401);
}

#[tokio::test]
async fn a_reporter_without_an_account_hears_through_the_reports_token() {
    let w = TestApp::builder().world().await;
    let submitted = w
        .app
        .submit(None, lapor_tests::report(json!({"anonymous": true})))
        .await;
    let t = submitted["tracking_id"].as_str().unwrap().to_string();
    let code = json!({"access_code": submitted["access_code"]});
    let opened = w
        .app
        .post(&format!("/v1/reports/{t}/access"), None, code)
        .await
        .expect(200);
    let token = opened["access_token"].as_str().unwrap().to_string();
    w.app
        .act(
            &t,
            "verification",
            &w.national,
            json!({"decision": "verify", "dispose_to": w.a1}),
        )
        .await
        .expect(200);
    w.app.settle().await;
    assert_eq!(heard(&w, Some(&token), &t).await, ["verified", "disposed"]);
    // The agency is told, and learns nothing of who reported.
    let agency = w
        .app
        .get("/v1/notifications", Some(&w.liaison_a1))
        .await
        .expect(200);
    assert_eq!(agency["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn read_marks_are_each_readers_own_and_lists_page() {
    let w = TestApp::builder().world().await;
    for _ in 0..3 {
        let t = w.submitted(json!({})).await;
        let verify = json!({"decision": "verify", "dispose_to": w.a1});
        w.app
            .act(&t, "verification", &w.national, verify)
            .await
            .expect(200);
    }
    w.app.settle().await;
    let page = w
        .app
        .get("/v1/notifications?limit=4", Some(&w.reporter))
        .await
        .expect(200);
    let first: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(first.len(), 4);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = w
        .app
        .get(
            &format!("/v1/notifications?limit=4&cursor={cursor}"),
            Some(&w.reporter),
        )
        .await
        .expect(200);
    assert_eq!(rest["items"].as_array().unwrap().len(), 2);
    assert_eq!(rest["next_cursor"], Value::Null);
    // Another reader's cursor is refused.
    assert_eq!(
        w.app
            .get(
                &format!("/v1/notifications?cursor={cursor}"),
                Some(&w.other)
            )
            .await
            .status,
        400
    );

    let marked = w
        .app
        .post(
            "/v1/notifications/read",
            Some(&w.reporter),
            json!({"ids": [first[0]]}),
        )
        .await
        .expect(200);
    assert_eq!(marked["marked"], 1);
    let again = w
        .app
        .get("/v1/notifications?limit=4", Some(&w.reporter))
        .await
        .expect(200);
    assert_eq!(again["items"][0]["read"], true);
    assert_eq!(again["items"][1]["read"], false);
    // An agency's notification read by one officer is still unread for the others.
    let officer = w
        .app
        .get("/v1/notifications", Some(&w.liaison_a1))
        .await
        .expect(200);
    let shared = officer["items"][0]["id"].clone();
    w.app
        .post(
            "/v1/notifications/read",
            Some(&w.liaison_a1),
            json!({"ids": [shared]}),
        )
        .await
        .expect(200);
    let admin = w
        .app
        .get("/v1/notifications", Some(&w.admin_a1))
        .await
        .expect(200);
    assert_eq!(admin["items"][0]["id"], shared);
    assert_eq!(admin["items"][0]["read"], false);
    let bad = w
        .app
        .post(
            "/v1/notifications/read",
            Some(&w.reporter),
            json!({"ids": ["x"]}),
        )
        .await;
    assert_eq!(bad.status, 422);
}

/// The report's first timeline entry of `kind`.
fn entry(view: &Value, kind: &str) -> Value {
    let timeline = view["timeline"].as_array().expect("a timeline");
    timeline
        .iter()
        .find(|e| e["type"] == kind)
        .expect("the entry")
        .clone()
}

/// The outbox message a notification came from, rebuilt from what the report shows.
fn message_of(view: &Value, entry: &Value, notification: &Value) -> Value {
    json!({
        "id": notification["id"],
        "at": entry["at"],
        "report_id": view["id"],
        "tracking_id": view["tracking_id"],
        "entry_id": entry["id"],
        "event": entry["type"],
        "recipients": [{"kind": "reporter"}],
    })
}

#[tokio::test]
async fn a_redelivered_message_tells_nobody_twice_and_a_poison_one_fails_alone() {
    let w = TestApp::builder().world().await;
    let t = w.disposed_to(&w.a1, json!({})).await;
    w.app.settle().await;
    let before = w
        .app
        .get("/v1/notifications", Some(&w.reporter))
        .await
        .expect(200);
    let view = w.app.report(&t, Some(&w.reporter)).await.expect(200);
    let disposed = entry(&view, "disposed");
    let notification = before["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["event"] == "disposed")
        .unwrap()
        .clone();
    let again = message_of(&view, &disposed, &notification);
    // The same message twice (SQS delivers at least once), with a poison message between.
    let batch = SqsEvent {
        records: vec![
            SqsRecord {
                message_id: "m1".into(),
                body: again.to_string(),
            },
            SqsRecord {
                message_id: "m2".into(),
                body: "{\"bukan\": \"pesan\"}".into(),
            },
            SqsRecord {
                message_id: "m3".into(),
                body: again.to_string(),
            },
        ],
    };
    let answer = deliver_batch(&w.app.core, batch).await;
    assert_eq!(
        answer.failures,
        [ItemFailure {
            item_identifier: "m2".into()
        }]
    );
    let after = w
        .app
        .get("/v1/notifications", Some(&w.reporter))
        .await
        .expect(200);
    assert_eq!(after["items"], before["items"]);
}

#[tokio::test]
async fn integration_events_say_what_happened_and_nothing_private() {
    let w = TestApp::builder().world().await;
    let t = w
        .submitted(json!({"title": "Pungutan liar di kantor kelurahan", "anonymous": true}))
        .await;
    w.app
        .act(
            &t,
            "verification",
            &w.national,
            json!({"decision": "verify", "dispose_to": w.a1}),
        )
        .await
        .expect(200);
    w.app
        .act(
            &t,
            "follow-ups",
            &w.liaison_a1,
            json!({"body": "Sudah diperiksa."}),
        )
        .await
        .expect(200);
    w.app.settle().await;
    let events = w.app.integration_events().await;
    let mine: Vec<&Value> = events
        .iter()
        .filter(|e| e["detail"]["tracking_id"] == t)
        .collect();
    // A queue does not keep the order of what it carries.
    let mut types: Vec<&str> = mine
        .iter()
        .map(|e| e["detail-type"].as_str().unwrap())
        .collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "report.disposed",
            "report.followed_up",
            "report.submitted",
            "report.verified"
        ]
    );
    for event in &mine {
        assert_eq!(event["source"], "lapor");
        let detail = event["detail"].as_object().unwrap();
        let keys: Vec<&str> = detail.keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{keys:?}");
        for key in ["event_id", "event", "report_id", "tracking_id", "entry_id"] {
            assert!(detail.contains_key(key), "{key}");
        }
    }
    let text = serde_json::to_string(&mine).unwrap();
    assert!(
        !text.contains("Pungutan") && !text.contains("Siti"),
        "{text}"
    );
}

#[tokio::test]
async fn a_change_made_while_the_queue_is_down_is_told_once_it_is_back() {
    let w = TestApp::builder().world().await;
    let Some((queue, _)) = w.app.queues() else {
        // The embedded backend has no queue: its worker's retries are shown with a webhook
        // that is down (`webhooks_are_signed_retried_and_sent_once`).
        return;
    };
    let t = w.submitted(json!({})).await;
    w.app.settle().await;
    // A server whose queue and bus are out of reach (nothing listens there).
    let unreachable = lapor_aws::testing::moto_environment()
        .to_builder()
        .endpoint_url("http://127.0.0.1:9")
        .build();
    let down = TestApp::builder()
        .beside(&w.app)
        .notifier(
            lapor_app::notifications::Delivery::Queue(std::sync::Arc::new(
                lapor_aws::SqsQueue::from_config(&unreachable, queue.url()),
            )),
            std::sync::Arc::new(lapor_aws::EventBridgeBus::from_config(
                &unreachable,
                "lapor",
            )),
        )
        .spawn()
        .await;
    let verify = json!({"decision": "verify", "dispose_to": w.a1});
    down.act(&t, "verification", &w.national, verify)
        .await
        .expect(200);
    // The change is kept, its messages wait in the outbox, nobody was told yet.
    let waiting = w.app.core.outbox.outbox_pending(10).await.unwrap();
    assert_eq!(
        waiting.iter().map(|m| m.event.as_str()).collect::<Vec<_>>(),
        ["verified", "disposed"]
    );
    assert!(heard(&w, Some(&w.reporter), &t).await.is_empty());
    // SQS is back: the sweep sends them, and once only.
    let swept = lapor_lambda::notifier::sweep(&w.app.core).await.unwrap();
    assert_eq!((swept.sent, swept.left), (2, 0));
    w.app.settle().await;
    assert_eq!(
        heard(&w, Some(&w.reporter), &t).await,
        ["verified", "disposed"]
    );
    assert_eq!(
        lapor_lambda::notifier::sweep(&w.app.core)
            .await
            .unwrap()
            .sent,
        0
    );
}

#[tokio::test]
async fn a_poison_message_ends_in_the_dead_letter_queue_and_the_others_are_delivered() {
    let w = TestApp::builder().world().await;
    let Some((queue, _)) = w.app.queues() else {
        // No queue on the embedded backend: the outbox holds only messages lapor wrote.
        return;
    };
    let t = w.submitted(json!({})).await;
    lapor_aws::testing::send_raw(queue, "{\"bukan\": \"pesan\"}").await;
    let verify = json!({"decision": "verify", "dispose_to": w.a1});
    w.app
        .act(&t, "verification", &w.national, verify)
        .await
        .expect(200);
    // The notifier's event source mapping, receive after receive: the good messages are
    // delivered and deleted, the poison one fails each time until SQS moves it aside.
    for _ in 0..8 {
        w.app.notifier_round(queue).await;
    }
    let dead = lapor_aws::testing::dead_letters(queue).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].body(), Some("{\"bukan\": \"pesan\"}"));
    assert!(lapor_aws::testing::receive_now(queue, 10).await.is_empty());
    assert_eq!(
        heard(&w, Some(&w.reporter), &t).await,
        ["verified", "disposed"]
    );
}

/// What a webhook receiver got: each call's headers and body.
type Calls = std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, String, u16)>>>;

/// A webhook receiver on a free port that fails its first `failures` notifications with 503.
/// One-time codes (sent as the world's citizens register) it takes at once and keeps apart.
async fn receiver(failures: usize) -> (String, Calls, Calls) {
    let calls: Calls = Default::default();
    let codes: Calls = Default::default();
    let (seen, coded) = (calls.clone(), codes.clone());
    let app = axum::Router::new().route(
        "/kirim",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let (seen, coded) = (seen.clone(), coded.clone());
            async move {
                if body.contains("\"contact_confirmation\"") {
                    coded.lock().unwrap().push((headers, body, 200));
                    return axum::http::StatusCode::OK;
                }
                let mut calls = seen.lock().unwrap();
                let status = if calls.len() < failures { 503 } else { 200 };
                calls.push((headers, body, status));
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/kirim", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, calls, codes)
}

/// Confirms the address of the citizen signed in with `token` with the code `codes` got.
async fn confirm(w: &World, token: &str, email: &str, codes: &Calls) {
    let code = codes
        .lock()
        .unwrap()
        .iter()
        .filter_map(|(_, body, _)| serde_json::from_str::<Value>(body).ok())
        .filter(|m| m["to"]["email"] == email)
        .find_map(|m| {
            m["text"].as_str().and_then(|t| {
                t.split(|c: char| !c.is_ascii_digit())
                    .find(|w| w.len() == 6)
                    .map(str::to_string)
            })
        })
        .expect("a confirmation code");
    w.app
        .post(
            "/v1/me/confirmation",
            Some(token),
            json!({"channel": "email", "code": code}),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_sent_once() {
    const SECRET: &str = "rahasia-gerbang-sms";
    // Down for its first 4 calls: one delivery's 3 tries, then the next attempt's first.
    let (url, calls, codes) = receiver(4).await;
    let channel = lapor_setup::WebhookChannel {
        name: "sms".into(),
        url,
        secret: SECRET.into(),
    };
    let w = TestApp::builder().webhooks(vec![channel]).world().await;
    // Webhooks carry an account's address once it is confirmed.
    confirm(&w, &w.reporter, "siti@warga.test", &codes).await;
    let t = w
        .disposed_to(&w.a1, json!({"title": "Pungutan liar di kantor kelurahan"}))
        .await;
    w.app.settle().await;

    let calls = calls.lock().unwrap().clone();
    let delivered: Vec<&(axum::http::HeaderMap, String, u16)> = calls
        .iter()
        .filter(|(_, _, status)| *status == 200)
        .collect();
    let mut ids: Vec<&str> = delivered
        .iter()
        .map(|(h, _, _)| h["x-lapor-delivery"].to_str().unwrap())
        .collect();
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "each delivery posted once");
    // Webhooks reach the reporter (staff read the app): verified, disposed.
    assert_eq!(total, 2, "{ids:?}");
    for (headers, body, _) in &calls {
        let timestamp: i64 = headers["x-lapor-timestamp"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let expected = lapor_setup::webhooks::signature(SECRET, timestamp, body);
        assert_eq!(headers["x-lapor-signature"], expected.as_str());
        assert!(!body.contains("Pungutan"), "{body}");
    }
    let to_reporter: Vec<Value> = delivered
        .iter()
        .map(|(_, body, _)| serde_json::from_str::<Value>(body).unwrap())
        .filter(|p| p["event"] == "disposed" && p["tracking_id"] == t && p["to"].is_object())
        .collect();
    assert_eq!(to_reporter.len(), 1);
    assert_eq!(to_reporter[0]["to"]["email"], "siti@warga.test");
    assert_eq!(
        to_reporter[0]["text"],
        format!("Laporan #{t} telah didisposisikan kepada instansi berwenang.")
    );
}

#[tokio::test]
async fn a_webhook_that_refuses_for_good_is_given_up_and_holds_nothing_back() {
    const MESSAGE_ID: &str = "01JDF5M000000000000000000Z";
    let (url, calls, _) = receiver(usize::MAX).await;
    let channel = lapor_setup::WebhookChannel {
        name: "sms".into(),
        url,
        secret: "rahasia-gerbang-sms".into(),
    };
    let w = TestApp::builder().webhooks(vec![channel]).world().await;
    let t = w.disposed_to(&w.a1, json!({})).await;
    let view = w.app.report(&t, Some(&w.reporter)).await.expect(200);
    let disposed = entry(&view, "disposed");
    let message: lapor_app::OutboxMessage =
        serde_json::from_value(message_of(&view, &disposed, &json!({"id": MESSAGE_ID}))).unwrap();
    // Each delivery fails on the webhook until the count of failures reaches the limit.
    let mut tries = 0;
    while w.app.core.deliver(&message).await.is_err() {
        tries += 1;
        assert!(
            tries < lapor_app::notifications::WEBHOOK_GIVE_UP,
            "given up in time"
        );
    }
    // Given up: delivering it again calls nobody, and the outbox drains. (Only this message's
    // calls count: the relay meanwhile keeps trying the world's own messages on the webhook.)
    let calls_for_it = || {
        let calls = calls.lock().unwrap();
        calls
            .iter()
            .filter(|(_, body, _)| body.contains(MESSAGE_ID))
            .count()
    };
    let before = calls_for_it();
    assert!(before > 0, "the webhook was called for the message");
    w.app.core.deliver(&message).await.unwrap();
    assert_eq!(calls_for_it(), before);
    // The in-app notification was kept all along.
    assert!(
        heard(&w, Some(&w.reporter), &t)
            .await
            .contains(&"disposed".to_string())
    );
}

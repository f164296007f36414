//! Guesses at passwords and access codes are slowed per account (or report) *and* client
//! address, in a sliding window: a guesser cannot lock the owner out from elsewhere, nor spend a
//! window's allowance twice across its boundary. The address is the connection's peer, or behind
//! a trusted proxy the address it forwarded.

use std::net::IpAddr;
use std::sync::Arc;

use lapor_tests::{PASSWORD, TestApp, TestClock, World, report};
use serde_json::json;
use time::macros::datetime;

const GUESSER: &str = "203.0.113.66";
const OWNER: &str = "198.51.100.7";

/// A world behind a proxy on loopback, which the app trusts to tell each client's address.
async fn behind_a_proxy(clock: Option<Arc<TestClock>>) -> World {
    let mut builder = TestApp::builder().adjust(|state| {
        state.trusted_proxies = vec!["127.0.0.1".parse::<IpAddr>().unwrap()];
    });
    if let Some(clock) = clock {
        builder = builder.clock(clock);
    }
    builder.world().await
}

async fn sign_in_from(w: &World, from: &str, login: &str, password: &str) -> u16 {
    let answer = w
        .app
        .client
        .post(format!("{}/v1/auth/login", w.app.base))
        .header("x-forwarded-for", from)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    answer.status().as_u16()
}

#[tokio::test]
async fn a_guesser_elsewhere_cannot_lock_the_owner_out() {
    let w = behind_a_proxy(None).await;
    for _ in 0..5 {
        assert_eq!(
            sign_in_from(&w, GUESSER, "siti@warga.test", "tebak-tebakan").await,
            401
        );
    }
    assert_eq!(
        sign_in_from(&w, GUESSER, "siti@warga.test", "tebak-lagi").await,
        429
    );
    assert_eq!(
        sign_in_from(&w, GUESSER, "siti@warga.test", PASSWORD).await,
        429
    );
    assert_eq!(
        sign_in_from(&w, OWNER, "siti@warga.test", PASSWORD).await,
        200
    );
    // Still refused where the guesses came from.
    assert_eq!(
        sign_in_from(&w, GUESSER, "siti@warga.test", PASSWORD).await,
        429
    );
}

#[tokio::test]
async fn a_forged_forwarded_address_buys_no_guesses_without_a_trusted_proxy() {
    let w = TestApp::builder().world().await;
    for n in 0..5 {
        let from = format!("203.0.113.{n}");
        assert_eq!(
            sign_in_from(&w, &from, "siti@warga.test", "tebak-tebakan").await,
            401
        );
    }
    assert_eq!(
        sign_in_from(&w, "192.0.2.1", "siti@warga.test", PASSWORD).await,
        429
    );
}

#[tokio::test]
async fn the_window_slides_across_its_boundary() {
    let clock = Arc::new(TestClock::default());
    let w = behind_a_proxy(Some(clock.clone())).await;
    // Five wrong guesses just before a window ends, one just after it began: in fixed windows
    // that would be a fresh allowance.
    clock.set(datetime!(2026-03-02 10:14:50 +07:00));
    for _ in 0..5 {
        assert_eq!(
            sign_in_from(&w, GUESSER, "siti@warga.test", "tebak-tebakan").await,
            401
        );
    }
    clock.set(datetime!(2026-03-02 10:15:05 +07:00));
    assert_eq!(
        sign_in_from(&w, GUESSER, "siti@warga.test", "tebak-lagi").await,
        429
    );
    // Most of a window later the old guesses have slid out.
    clock.set(datetime!(2026-03-02 10:28:00 +07:00));
    assert_eq!(
        sign_in_from(&w, GUESSER, "siti@warga.test", PASSWORD).await,
        200
    );
}

#[tokio::test]
async fn access_codes_are_throttled_per_report_and_client() {
    let w = behind_a_proxy(None).await;
    let submitted = w.app.submit(None, report(json!({}))).await;
    let tracking = submitted["tracking_id"].as_str().unwrap();
    let open_from = |from: &'static str, code: serde_json::Value| {
        let request = w
            .app
            .client
            .post(format!("{}/v1/reports/{tracking}/access", w.app.base))
            .header("x-forwarded-for", from)
            .json(&json!({"access_code": code}));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    for _ in 0..5 {
        assert_eq!(open_from(GUESSER, json!("SALAH")).await, 401);
    }
    assert_eq!(
        open_from(GUESSER, submitted["access_code"].clone()).await,
        429
    );
    assert_eq!(
        open_from(OWNER, submitted["access_code"].clone()).await,
        200
    );
}

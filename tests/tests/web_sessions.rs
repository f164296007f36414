//! The web pages' sessions end at once when they must: signing out, a deactivation, a new
//! password, a changed role (UI.md, "Every page"; issue: sessions on the server, not in a
//! cookie that outlives its account's rights).

use lapor_tests::web_client::Browser;
use lapor_tests::{PASSWORD, TestApp};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_session_ends_when_its_account_signs_out_changes_or_is_stopped() {
    let w = TestApp::builder().world().await;

    // Signing out ends the session on the server: its id no longer works, even if kept.
    let mut browser = Browser::new(&w);
    assert_eq!(browser.sign_in("siti@warga.test").await, "/saya");
    assert!(browser.signed_in().await);
    let kept = browser.cookies.clone();
    let csrf = browser.csrf().await;
    let (status, _, _) = browser
        .request(Method::POST, "/keluar", &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 303);
    assert!(!browser.signed_in().await);
    browser.cookies = kept;
    assert!(
        !browser.signed_in().await,
        "a session id kept after signing out"
    );

    // A new password ends the sessions begun before it.
    let mut browser = Browser::new(&w);
    browser.sign_in("siti@warga.test").await;
    let new_password = json!({"password": "kata-sandi-baru-sekali", "current_password": PASSWORD});
    w.app
        .send(
            Method::PATCH,
            "/v1/me",
            Some(&w.reporter),
            Some(&new_password),
        )
        .await
        .expect(200);
    assert!(
        !browser.signed_in().await,
        "a session after a password change"
    );

    // A deactivated officer's session ends at once.
    let mut browser = Browser::new(&w);
    assert_eq!(
        browser.sign_in("petugas.a1@lapor.test").await,
        "/admin/laporan"
    );
    assert!(browser.signed_in().await);
    let me = w.app.get("/v1/me", Some(&w.liaison_a1)).await.expect(200);
    let path = format!("/v1/users/{}", me["id"].as_str().unwrap());
    w.app
        .send(
            Method::PATCH,
            &path,
            Some(&w.national),
            Some(&json!({"active": false})),
        )
        .await
        .expect(200);
    assert!(
        !browser.signed_in().await,
        "a session of a deactivated account"
    );

    // A session id nobody was given is no session.
    let mut browser = Browser::new(&w);
    browser.cookies.push(("lapor_sesi".into(), "0".repeat(64)));
    assert!(!browser.signed_in().await);
}

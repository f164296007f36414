//! The web pages' sessions end at once when they must: signing out, a deactivation, a new
//! password, a changed role (UI.md, "Every page"; issue: sessions on the server, not in a
//! cookie that outlives its account's rights).

use lapor_tests::{PASSWORD, TestApp, World};
use reqwest::Method;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;

/// A browser without JavaScript: its cookies, and no redirect followed.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn new(w: &World) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: w.app.base.clone(),
            cookies: Vec::new(),
        }
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all(SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !value.is_empty() {
                self.cookies.push((name.to_string(), value.to_string()));
            }
        }
    }

    async fn request(
        &mut self,
        method: Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, String, String) {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header(COOKIE, cookie.join("; "));
        if !form.is_empty() {
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish();
            request = request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        let response = request.send().await.unwrap();
        self.keep(&response);
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location, response.text().await.unwrap())
    }

    /// The form token of this browser, from a page's form.
    async fn csrf(&mut self) -> String {
        let (_, _, page) = self.request(Method::GET, "/masuk", &[]).await;
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..at + 64].to_string()
    }

    async fn sign_in(&mut self, login: &str) -> String {
        let csrf = self.csrf().await;
        let form = [
            ("csrf", csrf.as_str()),
            ("login", login),
            ("sandi", PASSWORD),
        ];
        let (status, location, _) = self.request(Method::POST, "/masuk", &form).await;
        assert_eq!(status, 303, "signing in as {login}");
        location
    }

    /// True while the browser is signed in: `/saya` shows the page, not the way to `/masuk`.
    async fn signed_in(&mut self) -> bool {
        let (status, location, _) = self.request(Method::GET, "/saya", &[]).await;
        match status {
            200 => true,
            303 if location == "/masuk" => false,
            other => panic!("/saya answered {other}"),
        }
    }
}

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

//! A browser without JavaScript for the pages' tests: it keeps cookies, follows no redirect
//! and posts forms with the page's form token, as a person with scripts off does.

use reqwest::Method;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, World};

/// A browser without JavaScript: its cookies, and no redirect followed.
pub struct Browser {
    client: reqwest::Client,
    base: String,
    /// Its cookies, by name.
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn new(w: &World) -> Self {
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

    /// A request with the browser's cookies (a form when `form` has pairs): its status,
    /// `Location` and body.
    pub async fn request(
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
    pub async fn csrf(&mut self) -> String {
        let (_, _, page) = self.request(Method::GET, "/masuk", &[]).await;
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..at + 64].to_string()
    }

    /// Signs in with the test password; where the browser is sent.
    pub async fn sign_in(&mut self, login: &str) -> String {
        // The world's accounts share one password; the bootstrap admin has its own.
        let password = if login == ADMIN_EMAIL {
            ADMIN_PASSWORD
        } else {
            PASSWORD
        };
        let csrf = self.csrf().await;
        let form = [
            ("csrf", csrf.as_str()),
            ("login", login),
            ("sandi", password),
        ];
        let (status, location, _) = self.request(Method::POST, "/masuk", &form).await;
        assert_eq!(status, 303, "signing in as {login}");
        location
    }

    /// True while the browser is signed in: `/saya` shows the page, not the way to `/masuk`.
    pub async fn signed_in(&mut self) -> bool {
        let (status, location, _) = self.request(Method::GET, "/saya", &[]).await;
        match status {
            200 => true,
            303 if location == "/masuk" => false,
            other => panic!("/saya answered {other}"),
        }
    }
}

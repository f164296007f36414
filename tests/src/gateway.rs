//! A webhook gateway for tests: a receiver on a free port that keeps what it is sent, as an SMS
//! or e-mail gateway would get it, and reads the one-time codes out of it.

use std::sync::{Arc, Mutex};

use serde_json::Value;

/// What the gateway received, in order.
#[derive(Clone, Default)]
pub struct Received(Arc<Mutex<Vec<Value>>>);

impl Received {
    /// Every payload received.
    pub fn all(&self) -> Vec<Value> {
        self.0.lock().unwrap().clone()
    }

    /// The six-digit code of the last message sent to `to` (an e-mail address or a phone
    /// number), if any.
    pub fn last_code(&self, to: &str) -> Option<String> {
        self.all()
            .iter()
            .rev()
            .filter(|m| m["to"]["email"] == to || m["to"]["phone"] == to)
            .find_map(|m| {
                m["text"].as_str().and_then(|text| {
                    text.split(|c: char| !c.is_ascii_digit())
                        .find(|word| word.len() == 6)
                        .map(str::to_string)
                })
            })
    }
}

/// Starts a gateway: the channel to configure, and what it will receive.
pub async fn start() -> (lapor_setup::WebhookChannel, Received) {
    let received = Received::default();
    let kept = received.clone();
    let shown = received.clone();
    let app = axum::Router::new()
        .route(
            "/kirim",
            axum::routing::post(move |body: String| {
                let kept = kept.clone();
                async move {
                    if let Ok(value) = serde_json::from_str(&body) {
                        kept.0.lock().unwrap().push(value);
                    }
                    axum::http::StatusCode::OK
                }
            }),
        )
        // What it received, for a test in another process (the browser tests).
        .route(
            "/diterima",
            axum::routing::get(move || {
                let shown = shown.clone();
                async move { axum::Json(shown.all()) }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/kirim", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let channel = lapor_setup::WebhookChannel {
        name: "sms".into(),
        url,
        secret: "rahasia-gerbang-uji-coba".into(),
    };
    (channel, received)
}

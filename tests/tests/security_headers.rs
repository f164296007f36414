//! What every answer tells a browser, whatever it answers: no sniffing, no framing, no referrer,
//! no caching, and behind https, https only; no cross-origin access unless configured; and a body
//! over the limit refused on its declared length, before it is read.

use std::time::Duration;

use lapor_tests::TestApp;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn assert_guarded(what: &str, headers: &HeaderMap) {
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("content-security-policy", "frame-ancestors 'none'"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(
            headers.get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "{what}: {name}"
        );
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::builder().embedded().spawn().await;
    let client = &app.client;
    let too_large = "x".repeat(lapor_http::BODY_LIMIT + 1);
    let requests = [
        ("a list", client.get(format!("{}/v1/agencies", app.base))),
        (
            "the document",
            client.get(format!("{}/v1/openapi.json", app.base)),
        ),
        (
            "the health check",
            client.get(format!("{}/health", app.base)),
        ),
        (
            "an unknown route",
            client.get(format!("{}/v1/nothing", app.base)),
        ),
        (
            "a wrong method",
            client.delete(format!("{}/v1/reports", app.base)),
        ),
        (
            "a missing token",
            client.get(format!("{}/v1/inbox", app.base)),
        ),
        (
            "invalid fields",
            client
                .post(format!("{}/v1/reports", app.base))
                .json(&json!({"title": ""})),
        ),
        (
            "a body too large",
            client
                .post(format!("{}/v1/reports", app.base))
                .header("content-type", "application/json")
                .body(too_large),
        ),
        (
            "a forged blob URL",
            client.get(format!("{}/v1/blobs/attachments/kept/x?sig=0", app.base)),
        ),
    ];
    for (what, request) in requests {
        let answer = request.send().await.unwrap();
        assert_guarded(what, answer.headers());
        assert!(
            answer.headers().get("strict-transport-security").is_none(),
            "{what}: HSTS over plain http"
        );
    }
}

#[tokio::test]
async fn behind_https_browsers_are_told_to_keep_to_it() {
    let app = TestApp::builder().embedded().spawn().await;
    let answer = app
        .client
        .get(format!("{}/v1/agencies", app.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

/// `lapor-local` serves its own pages and allows no other origin: a browser on another site
/// gets no permission to read an answer. (On AWS, API Gateway answers CORS from the template's
/// `AllowedOrigins`.)
#[tokio::test]
async fn no_other_origin_is_allowed_to_read_answers() {
    let app = TestApp::builder().embedded().spawn().await;
    let preflight = app
        .client
        .request(Method::OPTIONS, format!("{}/v1/reports", app.base))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let read = app
        .client
        .get(format!("{}/v1/agencies", app.base))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(read.headers().get("access-control-allow-origin").is_none());
}

/// A body declared larger than the limit is refused on its `Content-Length`: the answer comes
/// at once, though not a byte of the body was sent.
#[tokio::test]
async fn a_body_over_the_limit_is_refused_before_it_is_read() {
    let app = TestApp::builder().embedded().spawn().await;
    let address = app.base.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /v1/reports HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        100 * lapor_http::BODY_LIMIT
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut answer))
        .await
        .expect("an answer before the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
}

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

/// `lapor-local` serves its own pages and allows only the origins it is configured with
/// (`LAPOR_CORS_ORIGINS`; none by default): a browser on another site gets no permission to read
/// an answer. (On AWS, API Gateway answers CORS from the template's `AllowedOrigins`.)
#[tokio::test]
async fn no_other_origin_is_allowed_to_read_answers() {
    let app = TestApp::builder()
        .embedded()
        .adjust(|state| state.cors_origins = vec![FRONT_END.into()])
        .spawn()
        .await;
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

const FRONT_END: &str = "https://lapor.example.go.id";

#[tokio::test]
async fn a_configured_front_end_may_call_the_api() {
    let app = TestApp::builder()
        .embedded()
        .adjust(|state| state.cors_origins = vec![FRONT_END.into()])
        .spawn()
        .await;
    let preflight = app
        .client
        .request(
            Method::OPTIONS,
            format!("{}/v1/reports/12345678/follow-ups", app.base),
        )
        .header("origin", FRONT_END)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type, idempotency-key, if-match",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], FRONT_END);
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    for header in [
        "authorization",
        "content-type",
        "idempotency-key",
        "if-match",
    ] {
        assert!(allowed.contains(header), "{allowed}");
    }
    let read = app
        .client
        .get(format!("{}/v1/agencies", app.base))
        .header("origin", FRONT_END)
        .send()
        .await
        .unwrap();
    assert_eq!(read.headers()["access-control-allow-origin"], FRONT_END);
    assert_eq!(
        read.headers()["access-control-expose-headers"],
        "retry-after"
    );
}

/// A target or headers over the limits are refused as problems, like any other refusal.
#[tokio::test]
async fn an_oversized_request_head_is_a_problem() {
    let app = TestApp::builder().embedded().spawn().await;
    let long_query = format!(
        "{}/v1/reports?q={}",
        app.base,
        "a".repeat(lapor_http::request_head::MAX_TARGET)
    );
    let mut many = HeaderMap::new();
    for n in 0..=lapor_http::request_head::MAX_HEADERS {
        many.insert(
            reqwest::header::HeaderName::try_from(format!("x-extra-{n}")).unwrap(),
            "1".parse().unwrap(),
        );
    }
    let requests = [
        (414, app.client.get(long_query)),
        (
            431,
            app.client.get(format!("{}/v1/agencies", app.base)).header(
                "x-big",
                "b".repeat(lapor_http::request_head::MAX_HEADER_BYTES),
            ),
        ),
        (
            431,
            app.client
                .get(format!("{}/v1/agencies", app.base))
                .headers(many),
        ),
    ];
    for (status, request) in requests {
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status().as_u16(), status);
        assert_guarded("an oversized head", answer.headers());
        assert_eq!(answer.headers()["content-type"], "application/problem+json");
        let problem: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(problem["status"], status);
    }
}

/// Without a configured public address the signed blob URLs are built on the `Host` the client
/// used, and only on a loopback one: a page of another site resolving its name to this machine
/// gets a 421 and nothing is done.
#[tokio::test]
async fn blob_urls_are_made_only_for_loopback_hosts() {
    let app = TestApp::builder().embedded().spawn().await;
    let upload = json!({"filename": "foto.png", "content_type": "image/png", "size": 68});
    let before = database(&app);
    let answer = app
        .client
        .post(format!("{}/v1/attachments", app.base))
        .header("host", "lapor.evil.example")
        .json(&upload)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 421);
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    assert!(
        before == database(&app),
        "the refused request changed the store"
    );
    let answer = app
        .client
        .post(format!("{}/v1/attachments", app.base))
        .json(&upload)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let ticket: serde_json::Value = answer.json().await.unwrap();
    let url = ticket["upload"]["url"].as_str().unwrap();
    assert!(url.starts_with(&app.base), "{url}");
    assert!(
        before != database(&app),
        "the loopback request made an upload"
    );
}

/// The bytes of the SQLite database and its write-ahead log (not its shared-memory index, which
/// reads change too).
fn database(app: &TestApp) -> Vec<u8> {
    ["lapor.db", "lapor.db-wal"]
        .iter()
        .flat_map(|file| std::fs::read(app.data_dir.join(file)).unwrap_or_default())
        .collect()
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

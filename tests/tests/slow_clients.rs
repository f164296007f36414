//! Slow and greedy clients cannot hold lapor-local for everyone: a half-sent request, an idle
//! kept-alive connection and a trickled body are cut by their timeouts, and connections beyond
//! the cap wait to be accepted instead of being served at once.

use std::time::Duration;

use lapor_local::ConnectionLimits;
use lapor_tests::TestApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIMITS: ConnectionLimits = ConnectionLimits {
    header_timeout: Duration::from_secs(1),
    body_timeout: Duration::from_secs(1),
    max_connections: 4,
};

/// Far longer than any limit: a connection still open by then was not cut.
const PATIENCE: Duration = Duration::from_secs(10);

async fn app() -> TestApp {
    TestApp::builder()
        .embedded()
        .connections(LIMITS)
        .spawn()
        .await
}

async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.base.trim_start_matches("http://");
    TcpStream::connect(addr).await.expect("connects")
}

/// Reads until the server closes the connection; `None` if it is still open after `PATIENCE`.
async fn until_closed(stream: &mut TcpStream) -> Option<String> {
    let mut seen = Vec::new();
    let read = tokio::time::timeout(PATIENCE, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&seen).into_owned())
}

#[tokio::test]
async fn a_half_sent_request_is_cut() {
    let app = app().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: lapor\r\n")
        .await
        .unwrap();
    assert!(
        until_closed(&mut stream).await.is_some(),
        "the server kept a connection whose headers never ended"
    );
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = app().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: lapor\r\n\r\n")
        .await
        .unwrap();
    let answered = until_closed(&mut stream)
        .await
        .expect("the server kept an idle connection open");
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
}

#[tokio::test]
async fn a_trickled_body_is_cut() {
    let app = app().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"POST /v1/reports HTTP/1.1\r\nHost: lapor\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"title\": ",
        )
        .await
        .unwrap();
    let answer = until_closed(&mut stream)
        .await
        .expect("the server waited for a body that never came");
    assert!(
        answer.is_empty() || !answer.starts_with("HTTP/1.1 2"),
        "{answer}"
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_their_turn() {
    let app = app().await;
    // Four silent connections take every slot until the header timeout cuts them.
    let mut silent = Vec::new();
    for _ in 0..LIMITS.max_connections {
        silent.push(connect(&app).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let client = reqwest::Client::new();
    let health = format!("{}/health", app.base);
    let early = client
        .get(&health)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(early.is_err(), "a fifth connection was served beside four");
    // Once they are cut, everyone is served again.
    let later = client.get(&health).timeout(PATIENCE).send().await;
    let later = later.unwrap_or_else(|e| panic!("not served once the slots free: {e:?}"));
    assert_eq!(later.status(), 200);
    drop(silent);
}

#[tokio::test]
async fn a_silent_connection_is_cut() {
    let app = app().await;
    let mut stream = connect(&app).await;
    assert!(
        until_closed(&mut stream).await.is_some(),
        "the server kept a connection that never sent a byte"
    );
}

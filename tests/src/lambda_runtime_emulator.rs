//! A minimal AWS Lambda Runtime API on a free loopback port, enough to start a function's binary
//! on this machine and invoke it as Lambda does: the runtime in the binary (`lambda_runtime`)
//! long-polls `/next` for an event, posts the answer to `/{id}/response` or `/{id}/error`, and an
//! error before its first poll to `/init/error`. The emulator notes the instant of the first poll
//! (the end of the function's init) and when each event is handed out and answered, which is
//! what `bench-lambda` measures a cold start with.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::bail;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::sync::watch;

/// The deadline each invocation is given, as `Lambda-Runtime-Deadline-Ms` tells the function:
/// API Gateway's integration timeout.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Lambda's limit on a synchronous response.
const MAX_PAYLOAD: usize = 6 * 1024 * 1024;

/// The API's path prefix.
const API: &str = "/2018-06-01/runtime";

/// A running Runtime API; it stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

/// What the handlers share: the runtime's state behind a watch channel, so that a waiter (a
/// long-polling `/next`, or the caller waiting for an answer) wakes on each change.
struct Shared {
    state: watch::Sender<Runtime>,
    function_arn: String,
}

/// Everything that happened so far.
#[derive(Default)]
struct Runtime {
    queue: VecDeque<Event>,
    invocations: u64,
    first_next: Option<Instant>,
    handed_out: HashMap<String, Instant>,
    outcomes: HashMap<String, Outcome>,
    init_error: Option<String>,
    closed: bool,
}

/// A queued event.
struct Event {
    number: u64,
    request_id: String,
    payload: Bytes,
}

/// How the function answered an invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Posted to `/{id}/response`.
    Response,
    /// Posted to `/{id}/error`, with its `Lambda-Runtime-Function-Error-Type`.
    Error(String),
}

/// An answered invocation.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Response or error.
    pub verdict: Verdict,
    /// The body the function posted.
    pub body: Bytes,
    /// When `/next` handed the event out.
    pub handed_out: Instant,
    /// When the answer arrived.
    pub answered: Instant,
}

impl Outcome {
    /// From handing the event out to receiving the answer: the invocation's duration as the
    /// runtime sees it.
    pub fn duration(&self) -> Duration {
        self.answered.duration_since(self.handed_out)
    }

    /// The HTTP status of an API Gateway (payload 2.0) response, as lambda_http posts it.
    pub fn http_status(&self) -> Option<u16> {
        let body: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        body["statusCode"].as_u64()?.try_into().ok()
    }
}

impl Emulator {
    /// Serves the API on a free port of 127.0.0.1, for a function named `function_name`.
    pub async fn start(function_name: &str) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: watch::Sender::new(Runtime::default()),
            function_arn: format!(
                "arn:aws:lambda:ap-southeast-3:123456789012:function:{function_name}"
            ),
        });
        let app = router(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            addr,
            shared,
            server,
        })
    }

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API` for the function.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// Queues an event for the function's next `/next`; returns its request id.
    pub fn invoke(&self, payload: impl Into<Bytes>) -> String {
        let payload = payload.into();
        let mut request_id = String::new();
        self.shared.state.send_modify(|state| {
            state.invocations += 1;
            request_id = format!("b3d5c1a0-0000-4000-8000-{:012x}", state.invocations);
            state.queue.push_back(Event {
                number: state.invocations,
                request_id: request_id.clone(),
                payload,
            });
        });
        request_id
    }

    /// Waits for the function's first `/next` and returns when it came; fails when the function
    /// reported an init error instead.
    pub async fn first_next(&self) -> anyhow::Result<Instant> {
        let mut changes = self.shared.state.subscribe();
        let state = changes
            .wait_for(|s| s.first_next.is_some() || s.init_error.is_some())
            .await?;
        match (state.first_next, &state.init_error) {
            (Some(at), _) => Ok(at),
            (None, error) => bail!("init error: {}", error.as_deref().unwrap_or_default()),
        }
    }

    /// Waits for the answer to the invocation `request_id`.
    pub async fn outcome(&self, request_id: &str) -> anyhow::Result<Outcome> {
        let mut changes = self.shared.state.subscribe();
        let state = changes
            .wait_for(|s| s.outcomes.contains_key(request_id))
            .await?;
        Ok(state.outcomes[request_id].clone())
    }

    /// The body of `/init/error`, if the function posted one.
    pub fn init_error(&self) -> Option<String> {
        self.shared.state.borrow().init_error.clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Ends the long polls still waiting (their connections outlive the server task).
        self.shared.state.send_modify(|s| s.closed = true);
        self.server.abort();
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(&format!("{API}/invocation/next"), get(next))
        .route(&format!("{API}/invocation/{{id}}/response"), post(response))
        .route(&format!("{API}/invocation/{{id}}/error"), post(error))
        .route(&format!("{API}/init/error"), post(init_error))
        .layer(DefaultBodyLimit::max(MAX_PAYLOAD))
        .with_state(shared)
}

/// `GET /next`: the oldest queued event, waiting until there is one.
async fn next(State(shared): State<Arc<Shared>>) -> Response {
    let polled = Instant::now();
    shared.state.send_if_modified(|s| {
        let first = s.first_next.is_none();
        s.first_next.get_or_insert(polled);
        first
    });
    let mut changes = shared.state.subscribe();
    loop {
        let closed = match changes.wait_for(|s| s.closed || !s.queue.is_empty()).await {
            Ok(state) => state.queue.is_empty(),
            Err(_) => true,
        };
        if closed {
            return StatusCode::GONE.into_response();
        }
        let mut taken = None;
        shared.state.send_if_modified(|s| {
            taken = s.queue.pop_front();
            if let Some(event) = &taken {
                s.handed_out
                    .insert(event.request_id.clone(), Instant::now());
            }
            taken.is_some()
        });
        if let Some(event) = taken {
            return handed_out(event, &shared.function_arn);
        }
    }
}

/// An event with the headers `lambda_runtime` builds its `Context` from.
fn handed_out(event: Event, function_arn: &str) -> Response {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let deadline = (now + TIMEOUT).as_millis();
    let trace_id = format!(
        "Root=1-{:08x}-{:024x};Parent={:016x};Sampled=0",
        now.as_secs(),
        event.number,
        event.number,
    );
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::HeaderName::from_static("lambda-runtime-aws-request-id"),
                event.request_id,
            ),
            (
                header::HeaderName::from_static("lambda-runtime-deadline-ms"),
                deadline.to_string(),
            ),
            (
                header::HeaderName::from_static("lambda-runtime-invoked-function-arn"),
                function_arn.to_string(),
            ),
            (
                header::HeaderName::from_static("lambda-runtime-trace-id"),
                trace_id,
            ),
        ],
        event.payload,
    )
        .into_response()
}

/// `POST /{id}/response`.
async fn response(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    answer(&shared, id, Verdict::Response, body)
}

/// `POST /{id}/error`.
async fn error(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let error_type = headers
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("Unhandled")
        .to_string();
    answer(&shared, id, Verdict::Error(error_type), body)
}

/// Records the answer to an event handed out and not yet answered; 202 as Lambda does.
fn answer(shared: &Shared, id: String, verdict: Verdict, body: Bytes) -> Response {
    let answered = Instant::now();
    let mut recorded = false;
    shared.state.send_if_modified(|s| {
        let Some(&handed_out) = s.handed_out.get(&id) else {
            return false;
        };
        if s.outcomes.contains_key(&id) {
            return false;
        }
        let outcome = Outcome {
            verdict,
            body,
            handed_out,
            answered,
        };
        s.outcomes.insert(id, outcome);
        recorded = true;
        true
    });
    if recorded {
        accepted()
    } else {
        let body = json!({
            "errorMessage": "no invocation awaits an answer with this request id",
            "errorType": "InvalidRequestID",
        });
        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
    }
}

/// `POST /init/error`.
async fn init_error(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body).into_owned();
    shared.state.send_modify(|s| s.init_error = Some(text));
    accepted()
}

fn accepted() -> Response {
    (StatusCode::ACCEPTED, axum::Json(json!({"status": "OK"}))).into_response()
}

#[cfg(test)]
mod tests {
    use std::process::{Command, Stdio};

    use lambda_http::{Body, Request, service_fn};
    use serde_json::Value;

    use super::*;

    /// Set for the child process the test starts, in which [`function`] serves.
    const CHILD: &str = "LAPOR_EMULATOR_TEST_CHILD";

    /// How long a step of a test may take.
    const PATIENCE: Duration = Duration::from_secs(20);

    /// A lambda_http function, run by `a_lambda_http_function_is_invoked_through_the_emulator`
    /// as a child process of this test binary (the runtime reads its configuration from the
    /// environment, which a test must not change in its own process). It answers with the
    /// request's path, and fails when the request has an `x-fail` header.
    #[tokio::test]
    #[ignore = "run by another test, in a child process"]
    async fn function() {
        if std::env::var_os(CHILD).is_none() {
            return;
        }
        let handler = service_fn(|request: Request| async move {
            if request.headers().contains_key("x-fail") {
                return Err(lambda_http::Error::from("asked to fail"));
            }
            Ok(lambda_http::Response::new(Body::from(
                request.uri().path().to_string(),
            )))
        });
        lambda_http::run(handler).await.expect("the runtime runs");
    }

    /// One of lapor's functions, as its `main` runs it (`lapor_lambda::serve`), on the embedded
    /// backend: run by `a_lapor_function_logs_json_lines_with_the_request_id` as a child.
    #[tokio::test]
    #[ignore = "run by another test, in a child process"]
    async fn lapor_function() {
        if std::env::var_os(CHILD).is_none() {
            return;
        }
        lapor_lambda::serve(&[lapor_http::RouteGroup::Queries])
            .await
            .expect("the function runs");
    }

    /// The child process, killed when dropped.
    struct Child(std::process::Child);

    impl Drop for Child {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// Runs the ignored test `name` of this binary as a Lambda function against `emulator`.
    fn spawn_child(emulator: &Emulator, name: &str, env: &[(&str, &str)], out: Stdio) -> Child {
        let child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                &format!("lambda_runtime_emulator::tests::{name}"),
                "--exact",
                "--ignored",
            ])
            .args(["--nocapture", "--quiet"])
            .env(CHILD, "1")
            .env("AWS_LAMBDA_RUNTIME_API", emulator.address())
            .env("AWS_LAMBDA_FUNCTION_NAME", "emulated")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .envs(env.iter().copied())
            .stdout(out)
            .spawn()
            .expect("the child starts");
        Child(child)
    }

    fn spawn_function(emulator: &Emulator) -> Child {
        spawn_child(emulator, "function", &[], Stdio::null())
    }

    /// The sample health-check event, with `headers` added.
    fn event(headers: Value) -> Vec<u8> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events/queries/health.json");
        let mut event: Value =
            serde_json::from_slice(&std::fs::read(path).expect("the event")).expect("JSON");
        if let (Some(all), Value::Object(more)) = (event["headers"].as_object_mut(), headers) {
            all.extend(more);
        }
        serde_json::to_vec(&event).expect("JSON")
    }

    async fn within<T>(step: impl Future<Output = anyhow::Result<T>>) -> T {
        tokio::time::timeout(PATIENCE, step)
            .await
            .expect("in time")
            .expect("no error")
    }

    #[tokio::test]
    async fn a_lambda_http_function_is_invoked_through_the_emulator() {
        let emulator = Emulator::start("emulated").await.unwrap();
        let started = Instant::now();
        let _child = spawn_function(&emulator);
        let ready = within(emulator.first_next()).await;
        assert!(ready > started);

        let ok = emulator.invoke(event(json!({})));
        let outcome = within(emulator.outcome(&ok)).await;
        assert_eq!(outcome.verdict, Verdict::Response);
        assert_eq!(outcome.http_status(), Some(200));
        let body: Value = serde_json::from_slice(&outcome.body).unwrap();
        assert_eq!(body["body"], "/health");
        assert!(outcome.handed_out >= ready && outcome.answered >= outcome.handed_out);
        assert_eq!(outcome.duration(), outcome.answered - outcome.handed_out);

        let failing = emulator.invoke(event(json!({"x-fail": "1"})));
        let outcome = within(emulator.outcome(&failing)).await;
        assert!(matches!(outcome.verdict, Verdict::Error(_)), "{outcome:?}");
        assert!(String::from_utf8_lossy(&outcome.body).contains("asked to fail"));
        // The first poll stays the one that ended init.
        assert_eq!(within(emulator.first_next()).await, ready);
        assert_eq!(emulator.init_error(), None);
    }

    #[tokio::test]
    async fn next_waits_for_an_event_and_answers_are_checked() {
        let emulator = Emulator::start("emulated").await.unwrap();
        let base = format!("http://{}{API}", emulator.address());
        let client = reqwest::Client::new();
        let poll = tokio::spawn({
            let (client, base) = (client.clone(), base.clone());
            async move { client.get(format!("{base}/invocation/next")).send().await }
        });
        let ready = within(emulator.first_next()).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!poll.is_finished(), "/next waits while nothing is queued");

        let id = emulator.invoke(r#"{"hello":"world"}"#);
        let event = poll.await.unwrap().unwrap();
        assert_eq!(event.status(), 200);
        let headers = event.headers();
        assert_eq!(headers["lambda-runtime-aws-request-id"], id.as_str());
        let deadline: u128 = headers["lambda-runtime-deadline-ms"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        assert!(deadline > now.as_millis());
        assert!(
            headers["lambda-runtime-invoked-function-arn"]
                .to_str()
                .unwrap()
                .ends_with(":function:emulated")
        );
        assert!(headers.contains_key("lambda-runtime-trace-id"));
        assert_eq!(event.text().await.unwrap(), r#"{"hello":"world"}"#);

        let post = |path: String| client.post(format!("{base}{path}")).body("{}").send();
        let unknown = post("/invocation/someone-else/response".into()).await;
        assert_eq!(unknown.unwrap().status(), 400);
        let first = post(format!("/invocation/{id}/response")).await;
        assert_eq!(first.unwrap().status(), 202);
        let again = post(format!("/invocation/{id}/error")).await;
        assert_eq!(again.unwrap().status(), 400, "answered once only");
        assert_eq!(
            within(emulator.outcome(&id)).await.verdict,
            Verdict::Response
        );
        assert_eq!(within(emulator.first_next()).await, ready);
    }

    #[tokio::test]
    async fn an_init_error_is_recorded_and_ends_the_wait_for_init() {
        let emulator = Emulator::start("emulated").await.unwrap();
        let url = format!("http://{}{API}/init/error", emulator.address());
        let posted = reqwest::Client::new()
            .post(url)
            .header("lambda-runtime-function-error-type", "Runtime.InitError")
            .body(r#"{"errorType":"Config","errorMessage":"no secret"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 202);
        let waited = tokio::time::timeout(PATIENCE, emulator.first_next()).await;
        let error = waited.unwrap().unwrap_err().to_string();
        assert!(error.contains("no secret"), "{error}");
        assert!(emulator.init_error().unwrap().contains("Config"));
    }

    #[tokio::test]
    async fn a_lapor_function_logs_json_lines_with_the_request_id() {
        let emulator = Emulator::start("emulated").await.unwrap();
        let data = tempfile::tempdir().unwrap();
        let env = [
            ("AWS_LAMBDA_LOG_FORMAT", "JSON"),
            ("AWS_LAMBDA_LOG_LEVEL", "INFO"),
            ("LAPOR_BACKEND", "embedded"),
            ("LAPOR_DATA_DIR", data.path().to_str().unwrap()),
            ("LAPOR_JWT_SECRET", lapor_setup::dev::SECRET),
        ];
        let mut child = spawn_child(&emulator, "lapor_function", &env, Stdio::piped());
        within(emulator.first_next()).await;
        let id = emulator.invoke(event(json!({})));
        let outcome = within(emulator.outcome(&id)).await;
        assert_eq!(outcome.http_status(), Some(200));
        let mut stdout = child.0.stdout.take().expect("piped");
        drop(child);
        let mut logged = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut logged).unwrap();
        let access = logged
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|line| line["fields"]["status"] == 200)
            .unwrap_or_else(|| panic!("no access log line in {logged}"));
        let spans = access["spans"].as_array().unwrap();
        assert!(
            spans.iter().any(|span| span["requestId"] == id.as_str()),
            "{access}"
        );
    }
}

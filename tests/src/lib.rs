//! The test harness: `TestApp::builder()` chooses the backend, the clock, the notifier, the data
//! directory and the world of a test, then starts the whole API on a free port; `TestApp`
//! speaks HTTP to it as each role would, and keeps what the server logs (printed when the test
//! fails; see [`server_log`]).
//!
//! ```no_run
//! # async fn f() {
//! use lapor_tests::{TestApp, TestClock};
//! let clock = std::sync::Arc::new(TestClock::default());
//! let w = TestApp::builder().clock(clock.clone()).world().await;
//! let app = TestApp::builder().embedded().spawn().await;
//! # }
//! ```

pub mod bench;
pub mod costs;
pub mod gateway;
pub mod lambda_bench;
pub mod lambda_runtime_emulator;
pub mod server_log;
pub mod web_bench;
pub mod web_client;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lapor_app::notifications::Delivery;
use lapor_app::{EventBus, Store};
use lapor_lambda::notifier::{SqsEvent, SqsRecord, deliver_batch};
use lapor_local::Assembly;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tracing::Instrument as _;

/// The bootstrap national admin of every test app.
pub const ADMIN_EMAIL: &str = "admin@lapor.test";
/// Their password.
pub const ADMIN_PASSWORD: &str = "rahasia-admin-123";
/// The password of every account the tests create.
pub const PASSWORD: &str = "kata-sandi-panjang";

/// The queues of an app on moto: the notifications', and one receiving every integration event
/// published on its bus.
pub type AwsQueues = (lapor_aws::SqsQueue, lapor_aws::SqsQueue);

/// A running app.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The data directory (kept until the app is dropped, unless it was given).
    pub data_dir: PathBuf,
    /// The use cases the server runs on, for what has no route (the jobs, the outbox).
    pub core: lapor_app::App,
    /// The store behind every store port of `core`.
    store: Arc<dyn Store>,
    /// The DynamoDB table, on the aws backend.
    table: Option<lapor_aws::Dynamo>,
    /// On the aws backend, unless the notifier was replaced: the notifications' queue, and a
    /// queue receiving every integration event published on the bus.
    queues: Option<AwsQueues>,
    /// What the server logged.
    log: Arc<server_log::Log>,
    _temp: Option<tempfile::TempDir>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// An answer: status and JSON body (`Value::Null` when the body is not JSON).
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: Value,
    /// The content type.
    pub content_type: String,
}

impl Answer {
    /// Asserts the status and returns the body.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self.body
    }
}

/// A clock the tests set: the system's time until [`TestClock::set`], then that moment.
#[derive(Debug, Default)]
pub struct TestClock {
    at: std::sync::Mutex<Option<time::OffsetDateTime>>,
}

impl TestClock {
    /// From now on, it is `at`.
    pub fn set(&self, at: time::OffsetDateTime) {
        *self
            .at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(at);
    }
}

impl lapor_app::Clock for TestClock {
    fn now(&self) -> time::OffsetDateTime {
        self.at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .unwrap_or_else(time::OffsetDateTime::now_utc)
    }
}

/// The backend a test app runs on.
#[derive(Clone, Debug)]
pub enum TestBackend {
    /// SQLite and a folder in the data directory; notifications by the in-process relay.
    Embedded,
    /// A fresh DynamoDB table, bucket, queue and bus of this process's moto server, the table's
    /// requests counted on the meter.
    Aws(lapor_aws::Meter),
}

impl TestBackend {
    /// The aws backend when `LAPOR_TEST_BACKEND=aws` (the test script runs the HTTP-level tests
    /// so once more), else the embedded one.
    pub fn from_env() -> Self {
        if std::env::var("LAPOR_TEST_BACKEND").as_deref() == Ok("aws") {
            Self::Aws(lapor_aws::Meter::default())
        } else {
            Self::Embedded
        }
    }
}

/// A change to the app before it serves.
type Adjustment = Box<dyn FnOnce(&mut lapor_http::AppState) + Send>;

/// A running app's store, table and data directory, for a second server beside it.
struct Beside {
    store: Arc<dyn Store>,
    table: lapor_aws::Dynamo,
    data_dir: PathBuf,
}

/// An app as a test wants it, step by step, then [`Builder::spawn`] (or [`Builder::world`]).
/// Every step is optional: `TestApp::builder().spawn().await` is a fresh app on the backend
/// of [`TestBackend::from_env`], with a fresh temporary data directory.
#[must_use = "an app starts only once spawned"]
pub struct Builder {
    backend: TestBackend,
    clock: Option<Arc<TestClock>>,
    data_dir: Option<PathBuf>,
    beside: Option<Beside>,
    notifier: Option<(Delivery, Arc<dyn EventBus>)>,
    webhooks: Vec<lapor_setup::WebhookChannel>,
    connections: Option<lapor_local::ConnectionLimits>,
    ports: Option<Assembly>,
    adjust: Vec<Adjustment>,
}

impl TestApp {
    /// An app to build: see [`Builder`].
    pub fn builder() -> Builder {
        Builder {
            backend: TestBackend::from_env(),
            clock: None,
            data_dir: None,
            beside: None,
            notifier: None,
            webhooks: Vec::new(),
            connections: None,
            ports: None,
            adjust: Vec::new(),
        }
    }
}

impl Builder {
    /// On `backend` rather than the one of [`TestBackend::from_env`].
    pub fn backend(mut self, backend: TestBackend) -> Self {
        self.backend = backend;
        self
    }

    /// On the embedded backend, whatever `LAPOR_TEST_BACKEND` says.
    pub fn embedded(self) -> Self {
        self.backend(TestBackend::Embedded)
    }

    /// On a fresh table of the moto server whose requests are counted on `meter`.
    pub fn metered(self, meter: &lapor_aws::Meter) -> Self {
        self.backend(TestBackend::Aws(meter.clone()))
    }

    /// On `clock`: the app's actions happen at its time. Tokens are checked against the real
    /// time, so sign in (build the world) before setting the clock to another moment.
    pub fn clock(mut self, clock: Arc<TestClock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// On an existing data directory, which stays when the app is dropped: to start again on
    /// what an earlier server left (restarts). On the embedded backend, that is its data.
    pub fn data_dir(mut self, dir: &Path) -> Self {
        self.data_dir = Some(dir.to_path_buf());
        self
    }

    /// A second server beside `app`, on its store and data directory (so the same tokens work),
    /// with its own blobs, queue and bus unless [`Builder::notifier`] says otherwise: to put a
    /// part out of reach of one server. On the aws backend only.
    pub fn beside(mut self, app: &TestApp) -> Self {
        let table = app
            .table
            .clone()
            .expect("a second server is for the aws backend");
        self.beside = Some(Beside {
            store: app.store.clone(),
            table,
            data_dir: app.data_dir.clone(),
        });
        self
    }

    /// The notifier reached through `delivery`, and integration events published on `events`,
    /// in place of the backend's own (a queue out of reach, say). The app then has no
    /// [`TestApp::queues`].
    pub fn notifier(mut self, delivery: Delivery, events: Arc<dyn EventBus>) -> Self {
        self.notifier = Some((delivery, events));
        self
    }

    /// The notifier also posts to these webhook channels, as `LAPOR_WEBHOOKS` configures them.
    pub fn webhooks(mut self, channels: Vec<lapor_setup::WebhookChannel>) -> Self {
        self.webhooks = channels;
        self
    }

    /// Serves within these limits, as `LAPOR_HEADER_TIMEOUT`, `LAPOR_BODY_TIMEOUT` and
    /// `LAPOR_MAX_CONNECTIONS` set them.
    pub fn connections(mut self, limits: lapor_local::ConnectionLimits) -> Self {
        self.connections = Some(limits);
        self
    }

    /// On these ports, made by the test (on a service out of reach, say), in place of the
    /// backend's. No bootstrap admin is made: that would need them.
    pub fn ports(mut self, assembly: Assembly) -> Self {
        self.ports = Some(assembly);
        self
    }

    /// Adjusts the app (its ports, its tokens) before it serves, after the other steps.
    pub fn adjust(
        mut self,
        adjust: impl FnOnce(&mut lapor_http::AppState) + Send + 'static,
    ) -> Self {
        self.adjust.push(Box::new(adjust));
        self
    }

    /// Builds the app and serves it on a free port.
    pub async fn spawn(self) -> TestApp {
        let (log, span) = server_log::open();
        let (temp, data_dir) = match (&self.beside, self.data_dir) {
            (Some(beside), _) => (None, beside.data_dir.clone()),
            (None, Some(dir)) => (None, dir),
            (None, None) => {
                let temp = tempfile::tempdir().expect("temp dir");
                let dir = temp.path().to_path_buf();
                (Some(temp), dir)
            }
        };
        let mut config = config(&data_dir, "127.0.0.1:0");
        config.webhooks = self.webhooks;
        if let Some(limits) = self.connections {
            config.connections = limits;
        }
        if self.ports.is_some() {
            config.bootstrap_admin = None;
        }
        let (mut assembly, table, mut queues) = async {
            match (self.ports, self.beside, self.backend) {
                (Some(ports), _, _) => (ports, None, None),
                (None, Some(beside), _) => {
                    let (assembly, queues) = aws_assembly(beside.store).await;
                    (assembly, Some(beside.table), Some(queues))
                }
                (None, None, TestBackend::Embedded) => {
                    let assembly = lapor_local::assemble(&config)
                        .await
                        .expect("the data directory opens");
                    (assembly, None, None)
                }
                (None, None, TestBackend::Aws(meter)) => {
                    let table = lapor_aws::testing::fresh_metered_table(&meter).await;
                    let (assembly, queues) = aws_assembly(Arc::new(table.clone())).await;
                    (assembly, Some(table), Some(queues))
                }
            }
        }
        .instrument(span.clone())
        .await;
        if let Some((delivery, events)) = self.notifier {
            assembly.delivery = delivery;
            assembly.events = events;
            queues = None;
        }
        let store = assembly.store.clone();
        let mut state = lapor_local::build_on(&config, assembly)
            .instrument(span.clone())
            .await
            .expect("app builds");
        if let Some(clock) = self.clock {
            state.app.clock = clock;
        }
        for adjust in self.adjust {
            adjust(&mut state);
        }
        let core = state.app.clone();
        let (stop, server, base) = serve(state, config.connections, span).await;
        TestApp {
            base,
            client: reqwest::Client::new(),
            data_dir,
            core,
            store,
            table,
            queues,
            log,
            _temp: temp,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// Spawns the app and builds the [`World`] on it.
    pub async fn world(self) -> World {
        World::on(self.spawn().await).await
    }
}

/// What an app on moto needs beside its `store`: a fresh bucket, queue and bus; and the queues
/// to read the notifications and the integration events from.
pub async fn aws_assembly(store: Arc<dyn Store>) -> (Assembly, AwsQueues) {
    use lapor_aws::testing::{bus_with_capture, fresh_bucket, fresh_queue};
    let queue = fresh_queue().await;
    let (bus, capture) = bus_with_capture().await;
    let assembly = Assembly {
        store,
        blobs: Arc::new(fresh_bucket().await),
        delivery: Delivery::Queue(Arc::new(queue.clone())),
        events: Arc::new(bus),
    };
    (assembly, (queue, capture))
}

/// Serves the app on a free port with `lapor_local::serve_router`, everything it does in
/// `span`: the relay worker, the server, and each request, entered before the router's layers
/// (the access log's span is its child).
/// Returns how to stop it, the server's task and its base URL.
async fn serve(
    state: lapor_http::AppState,
    limits: lapor_local::ConnectionLimits,
    span: tracing::Span,
) -> (oneshot::Sender<()>, tokio::task::JoinHandle<()>, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let in_span = {
        let span = span.clone();
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            next.run(request).instrument(span.clone())
        }
    };
    let app = state.app.clone();
    let router = lapor_local::router(state).layer(axum::middleware::from_fn(in_span));
    let server = tokio::spawn(
        async move {
            let _ = lapor_local::serve_router(listener, &app, router, limits, async {
                let _ = stopped.await;
            })
            .await;
        }
        .instrument(span),
    );
    (stop, server, format!("http://{addr}"))
}

/// The configuration of a test app.
pub fn config(data_dir: &Path, addr: &str) -> lapor_local::Config {
    let vars = [
        ("LAPOR_ADDR", addr.to_string()),
        ("LAPOR_DATA_DIR", data_dir.display().to_string()),
        ("LAPOR_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL.to_string()),
        ("LAPOR_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD.to_string()),
    ];
    lapor_local::Config::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .expect("valid test config")
}

impl TestApp {
    /// Everything the store holds, as text: the files of the data directory, or the items of
    /// the DynamoDB table.
    pub async fn stored_text(&self) -> String {
        if let Some(table) = &self.table {
            return lapor_aws::testing::table_text(table).await;
        }
        let mut text = String::new();
        for file in std::fs::read_dir(&self.data_dir).expect("the data directory") {
            let bytes = std::fs::read(file.expect("an entry").path()).unwrap_or_default();
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
        text
    }

    /// The bytes of the DynamoDB table's items, on the aws backend.
    pub async fn stored_bytes(&self) -> Option<usize> {
        match &self.table {
            Some(table) => Some(lapor_aws::testing::table_bytes(table).await),
            None => None,
        }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        self.shutdown().await;
    }

    /// Stops the server gracefully but keeps the data directory (to restart on it).
    pub async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    /// Sends a request with an optional token and JSON body.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        into_answer(request.send().await.expect("request sent")).await
    }

    /// GET.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, token, Some(&body))
            .await
    }

    /// PUT with a JSON body.
    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.send(reqwest::Method::PUT, path, token, Some(&body))
            .await
    }

    /// Signs in and returns the token.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let body = self
            .post(
                "/v1/auth/login",
                None,
                json!({"login": login, "password": password}),
            )
            .await
            .expect(200);
        body["access_token"].as_str().expect("token").to_string()
    }

    /// The bootstrap national admin's token.
    pub async fn admin_token(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Registers an agency and returns its id.
    pub async fn agency(&self, token: &str, name: &str, parent: Option<&str>) -> String {
        let body = self
            .post(
                "/v1/agencies",
                Some(token),
                json!({"name": name, "parent_id": parent}),
            )
            .await
            .expect(201);
        body["id"].as_str().expect("agency id").to_string()
    }

    /// Creates a staff account and returns its token.
    pub async fn staff(
        &self,
        admin: &str,
        email: &str,
        role: &str,
        agency: Option<&str>,
    ) -> String {
        self.post(
            "/v1/users",
            Some(admin),
            json!({"name": email, "email": email, "password": PASSWORD, "role": role, "agency_id": agency}),
        )
        .await
        .expect(201);
        self.login(email, PASSWORD).await
    }

    /// Registers a citizen and returns their token.
    pub async fn citizen(&self, email: &str, name: &str) -> String {
        self.post(
            "/v1/auth/register",
            None,
            json!({"name": name, "email": email, "password": PASSWORD}),
        )
        .await
        .expect(201);
        self.login(email, PASSWORD).await
    }

    /// Submits a report and returns the answer's body.
    pub async fn submit(&self, token: Option<&str>, report: Value) -> Value {
        self.post("/v1/reports", token, report).await.expect(201)
    }

    /// Takes an action on a report.
    pub async fn act(&self, tracking: &str, action: &str, token: &str, body: Value) -> Answer {
        self.post(
            &format!("/v1/reports/{tracking}/{action}"),
            Some(token),
            body,
        )
        .await
    }

    /// Asks for an upload URL for `bytes` and sends them to it as the answer says; returns the
    /// attachment's id.
    pub async fn upload(
        &self,
        token: Option<&str>,
        filename: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> String {
        let declared =
            json!({"filename": filename, "content_type": content_type, "size": bytes.len()});
        let ticket = self
            .post("/v1/attachments", token, declared)
            .await
            .expect(201);
        let status = self.put_upload(&ticket, bytes, None).await;
        assert!((200..300).contains(&status), "upload refused: {status}");
        ticket["id"].as_str().expect("attachment id").to_string()
    }

    /// Sends `bytes` to the upload URL of `ticket` (the answer of `POST /v1/attachments`) with
    /// its headers, the `Content-Type` replaced by `content_type` if given; returns the status.
    pub async fn put_upload(
        &self,
        ticket: &Value,
        bytes: &[u8],
        content_type: Option<&str>,
    ) -> u16 {
        let upload = &ticket["upload"];
        assert_eq!(upload["method"], "PUT");
        let url = upload["url"].as_str().expect("an upload URL");
        let mut request = self.client.put(url).body(bytes.to_vec());
        for (name, value) in upload["headers"].as_object().expect("headers") {
            // The length is the body's own: a client cannot send another.
            let replaced = name.eq_ignore_ascii_case("content-type") && content_type.is_some();
            if !name.eq_ignore_ascii_case("content-length") && !replaced {
                request = request.header(name, value.as_str().expect("a header value"));
            }
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send().await.expect("upload sent").status().as_u16()
    }

    /// `GET /v1/attachments/{id}` without following the redirect: the status and `Location`.
    pub async fn attachment_link(&self, id: &str, token: Option<&str>) -> (u16, Option<String>) {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        let mut request = client.get(format!("{}/v1/attachments/{id}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let answer = request.send().await.expect("request sent");
        let location = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        (answer.status().as_u16(), location)
    }

    /// Waits until every notification of the writes so far is delivered: by the relay worker on
    /// the embedded backend; on AWS, this plays the notifier Lambda on what the queue holds
    /// (deleting what it delivered, as the event source mapping does).
    pub async fn settle(&self) {
        // A deadline, not a count of rounds: on a loaded machine each round against moto is slow.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            if let Some((queue, _)) = &self.queues
                && self.notifier_round(queue).await > 0
            {
                continue;
            }
            let pending = self
                .core
                .outbox
                .outbox_pending(1)
                .await
                .expect("the outbox");
            if pending.is_empty() {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the outbox did not drain: {pending:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// One invocation of the notifier Lambda as its event source mapping makes it: receives what
    /// `queue` holds, delivers it, deletes what was delivered. A message that failed is seen
    /// again at once, as after its visibility timeout. Answers how many messages it received.
    pub async fn notifier_round(&self, queue: &lapor_aws::SqsQueue) -> usize {
        let messages = lapor_aws::testing::receive_and_release(queue, 10).await;
        let records = messages
            .iter()
            .map(|m| SqsRecord {
                message_id: m.message_id().unwrap_or_default().to_string(),
                body: m.body().unwrap_or_default().to_string(),
            })
            .collect();
        let answer = deliver_batch(&self.core, SqsEvent { records }).await;
        for m in &messages {
            let failed = answer
                .failures
                .iter()
                .any(|f| Some(f.item_identifier.as_str()) == m.message_id());
            if !failed {
                lapor_aws::testing::delete(queue, m.receipt_handle().unwrap_or_default()).await;
            }
        }
        messages.len()
    }

    /// Every integration event published so far, as a consumer receives them: from the
    /// events file of the data directory, or from the queue a rule on the bus feeds.
    pub async fn integration_events(&self) -> Vec<Value> {
        let Some((_, capture)) = &self.queues else {
            let file = self.data_dir.join(lapor_embedded::EVENTS_FILE);
            let text = std::fs::read_to_string(file).unwrap_or_default();
            return text
                .lines()
                .map(|l| serde_json::from_str(l).expect("a JSON line"))
                .collect();
        };
        let mut events = Vec::new();
        loop {
            let messages = lapor_aws::testing::receive_now(capture, 10).await;
            if messages.is_empty() {
                return events;
            }
            for m in &messages {
                events.push(serde_json::from_str(m.body().unwrap_or_default()).expect("an event"));
                lapor_aws::testing::delete(capture, m.receipt_handle().unwrap_or_default()).await;
            }
        }
    }

    /// The queues of the aws backend: the notifications', and the integration events' capture.
    pub fn queues(&self) -> Option<&AwsQueues> {
        self.queues.as_ref()
    }

    /// True on the AWS backend (DynamoDB and S3 on moto).
    pub fn on_aws(&self) -> bool {
        self.table.is_some()
    }

    /// Reads a report as the holder of `token`.
    pub async fn report(&self, tracking: &str, token: Option<&str>) -> Answer {
        self.get(&format!("/v1/reports/{tracking}"), token).await
    }
}

impl TestApp {
    /// What the server logged so far: its building, its requests and relay, and what the test's
    /// thread logged outside any other app (see [`server_log`]).
    pub fn log(&self) -> String {
        self.log.text()
    }
}

impl Drop for TestApp {
    /// Stops the server; when the test is failing (its thread panics), prints the server's log
    /// first, which libtest shows with the failure (unless `TEST_LOG` already showed it).
    fn drop(&mut self) {
        if std::thread::panicking() && !server_log::echo() {
            eprintln!(
                "\n---- {} ----\n{}---- end of {} ----",
                self.log.title(),
                self.log.text(),
                self.log.title()
            );
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Reads a response into an [`Answer`].
pub async fn into_answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        body,
        content_type,
    }
}

/// A valid report body; `overrides` replaces top-level fields.
pub fn report(overrides: Value) -> Value {
    let mut body = json!({
        "classification": "complaint",
        "title": "Jalan berlubang di depan pasar",
        "body": "Jalan di depan Pasar Baru berlubang besar sejak sebulan dan membahayakan pengendara.",
        "category": "infrastruktur",
        "incident_date": "2025-01-02",
        "location": {"province": "Jawa Barat", "regency": "Kota Bandung", "district": "Sumur Bandung"},
        "anonymous": false,
        "confidential": false,
    });
    if let (Some(target), Value::Object(changes)) = (body.as_object_mut(), overrides) {
        for (k, v) in changes {
            target.insert(k, v);
        }
    }
    body
}

/// A small country: agency A with units A1 and A2, agency B with unit B1, their staff, and two
/// citizens. Tokens are named after who holds them.
pub struct World {
    /// The running app.
    pub app: TestApp,
    /// National admin.
    pub national: String,
    /// Agency ids.
    pub a: String,
    /// Unit A1 (under A).
    pub a1: String,
    /// Unit A2 (under A).
    pub a2: String,
    /// Agency B.
    pub b: String,
    /// Unit B1 (under B).
    pub b1: String,
    /// Admin of A.
    pub admin_a: String,
    /// Admin of A1.
    pub admin_a1: String,
    /// Liaison officer of A1.
    pub liaison_a1: String,
    /// Liaison officer of A2.
    pub liaison_a2: String,
    /// Admin of B.
    pub admin_b: String,
    /// Liaison officer of B1.
    pub liaison_b1: String,
    /// The citizen who reports.
    pub reporter: String,
    /// Another citizen.
    pub other: String,
}

impl World {
    /// Builds the world on `app`.
    pub async fn on(app: TestApp) -> Self {
        let national = app.admin_token().await;
        let a = app.agency(&national, "Pemerintah Provinsi A", None).await;
        let a1 = app.agency(&national, "Dinas Satu A", Some(&a)).await;
        let a2 = app.agency(&national, "Dinas Dua A", Some(&a)).await;
        let b = app.agency(&national, "Kementerian B", None).await;
        let b1 = app.agency(&national, "Direktorat B1", Some(&b)).await;
        let admin_a = app
            .staff(&national, "admin.a@lapor.test", "agency_admin", Some(&a))
            .await;
        let admin_a1 = app
            .staff(&national, "admin.a1@lapor.test", "agency_admin", Some(&a1))
            .await;
        let liaison_a1 = app
            .staff(
                &national,
                "petugas.a1@lapor.test",
                "liaison_officer",
                Some(&a1),
            )
            .await;
        let liaison_a2 = app
            .staff(
                &national,
                "petugas.a2@lapor.test",
                "liaison_officer",
                Some(&a2),
            )
            .await;
        let admin_b = app
            .staff(&national, "admin.b@lapor.test", "agency_admin", Some(&b))
            .await;
        let liaison_b1 = app
            .staff(
                &national,
                "petugas.b1@lapor.test",
                "liaison_officer",
                Some(&b1),
            )
            .await;
        let reporter = app.citizen("siti@warga.test", "Siti Aminah").await;
        let other = app.citizen("budi@warga.test", "Budi Santoso").await;
        Self {
            app,
            national,
            a,
            a1,
            a2,
            b,
            b1,
            admin_a,
            admin_a1,
            liaison_a1,
            liaison_a2,
            admin_b,
            liaison_b1,
            reporter,
            other,
        }
    }

    /// Submits a report by the reporter and returns its tracking id.
    pub async fn submitted(&self, overrides: Value) -> String {
        let body = self
            .app
            .submit(Some(&self.reporter), report(overrides))
            .await;
        body["tracking_id"]
            .as_str()
            .expect("tracking id")
            .to_string()
    }

    /// A report verified by the national admin and disposed to `agency`.
    pub async fn disposed_to(&self, agency: &str, overrides: Value) -> String {
        let tracking = self.submitted(overrides).await;
        self.app
            .act(
                &tracking,
                "verification",
                &self.national,
                json!({"decision": "verify", "dispose_to": agency}),
            )
            .await
            .expect(200);
        tracking
    }
}

/// A whole PNG, the smallest: one transparent pixel.
pub use lapor_domain::photo::samples::PNG;

//! Faults of what lapor stands on: a full disk, a read-only data directory, an AWS endpoint that
//! stops answering. Each answers 503 problem+json with `Retry-After`, within a bounded time,
//! changes nothing half-way, and service resumes by itself once the fault is gone.
//!
//! The disk faults mount small filesystems, so they need root (as the test machines run).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lapor_app::notifications::Delivery;
use lapor_local::Assembly;
use lapor_tests::{Answer, TestApp, into_answer, report};
use serde_json::{Value, json};

/// A filesystem mounted for one test, unmounted when dropped.
struct Mount {
    point: PathBuf,
}

impl Mount {
    /// A tmpfs of `size` (such as `4m`) at `point`.
    fn tmpfs(point: &Path, size: &str) -> Self {
        let options = format!("size={size},mode=0700");
        run_mount(&["-t", "tmpfs", "-o", &options, "tmpfs"], point);
        Self {
            point: point.to_path_buf(),
        }
    }

    /// `source` once more at `point`, read-only.
    fn read_only(source: &Path, point: &Path) -> Self {
        run_mount(&["--bind", &source.display().to_string()], point);
        let mount = Self {
            point: point.to_path_buf(),
        };
        run_mount(&["-o", "remount,ro,bind"], point);
        mount
    }

    /// Makes a read-only mount writable again.
    fn make_writable(&self) {
        run_mount(&["-o", "remount,rw,bind"], &self.point);
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.point).status();
    }
}

fn run_mount(args: &[&str], point: &Path) {
    let status = Command::new("mount")
        .args(args)
        .arg(point)
        .status()
        .expect("mount runs");
    assert!(
        status.success(),
        "mount {args:?} {} failed (the disk-fault tests need root)",
        point.display()
    );
}

/// Writes to `path` until the filesystem is full.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).expect("a filler file");
    let chunk = vec![0u8; 64 * 1024];
    while file
        .write_all(&chunk)
        .and_then(|()| file.sync_all())
        .is_ok()
    {}
    // The last bytes that fit, in smaller writes.
    while file
        .write_all(&chunk[..512])
        .and_then(|()| file.sync_all())
        .is_ok()
    {}
}

/// A report body as long as a report may be: each one grows the database.
fn large_report(key: usize) -> Value {
    report(json!({
        "title": format!("Laporan disk penuh nomor {key}"),
        "body": format!("{key} ").repeat(3000).chars().take(10_000).collect::<String>(),
    }))
}

async fn submit_with_key(app: &TestApp, key: &str, body: &Value) -> Answer {
    let response = app
        .client
        .post(format!("{}/v1/reports", app.base))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("sent");
    let retry_after = response.headers().get("retry-after").cloned();
    let answer = into_answer(response).await;
    if answer.status == 503 {
        assert_eq!(answer.content_type, "application/problem+json");
        assert!(retry_after.is_some(), "a 503 without Retry-After");
    }
    answer
}

async fn in_verification(app: &TestApp, admin: &str) -> u64 {
    let inbox = app
        .get("/v1/inbox?box=verification", Some(admin))
        .await
        .expect(200);
    inbox["counts"]["verification"].as_u64().unwrap()
}

#[tokio::test]
async fn a_full_disk_answers_503_keeps_what_was_acknowledged_and_recovers() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let _disk = Mount::tmpfs(&data, "6m");
    let app = TestApp::builder().embedded().data_dir(&data).spawn().await;
    let admin = app.admin_token().await;
    let before = in_verification(&app, &admin).await;

    fill(&data.join("filler"));
    let mut acknowledged = 0;
    let mut refused = None;
    for key in 0..400 {
        let body = large_report(key);
        let answer = submit_with_key(&app, &format!("penuh-{key}"), &body).await;
        match answer.status {
            201 => acknowledged += 1,
            503 => {
                refused = Some((key, body));
                break;
            }
            other => panic!("a full disk answered {other}: {}", answer.body),
        }
    }
    let (key, body) = refused.expect("the disk filled up");
    // Reads still work, and hold exactly what was acknowledged: the refused report is nowhere.
    assert_eq!(in_verification(&app, &admin).await, before + acknowledged);

    std::fs::remove_file(data.join("filler")).unwrap();
    let answer = submit_with_key(&app, &format!("penuh-{key}"), &body).await;
    assert_eq!(answer.status, 201, "no recovery: {}", answer.body);
    let again = submit_with_key(&app, &format!("penuh-{key}"), &body).await;
    assert_eq!(
        again.body, answer.body,
        "the retry answers the first answer"
    );
    assert_eq!(
        in_verification(&app, &admin).await,
        before + acknowledged + 1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_read_only_data_directory_answers_503_and_recovers_when_writable() {
    let temp = tempfile::tempdir().unwrap();
    let (data, view) = (temp.path().join("data"), temp.path().join("view"));
    std::fs::create_dir(&data).unwrap();
    std::fs::create_dir(&view).unwrap();
    // The disk turns read-only under a running server (as the kernel does after errors): its
    // files as they are then, the write-ahead log and its index among them.
    let running = TestApp::builder().embedded().spawn().await;
    let kept = running.submit(None, report(json!({}))).await;
    // Signing in is a write (the attempt is counted): before, on the same token secret.
    let admin = running.admin_token().await;
    let copied = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", running.data_dir.display()))
        .arg(&data)
        .status()
        .unwrap();
    assert!(copied.success());
    running.stop().await;

    let mount = Mount::read_only(&data, &view);
    let app = TestApp::builder().embedded().data_dir(&view).spawn().await;
    let tracking = kept["tracking_id"].as_str().unwrap();
    app.report(tracking, Some(&admin)).await.expect(200);
    let body = report(json!({"title": "Laporan saat hanya-baca"}));
    let refused = submit_with_key(&app, "hanya-baca", &body).await;
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(in_verification(&app, &admin).await, 1);

    mount.make_writable();
    // The first write may still meet a reader opened while the disk was read-only: it closes
    // them all, and the next one writes.
    let mut answer = submit_with_key(&app, "hanya-baca", &body).await;
    if answer.status == 503 {
        answer = submit_with_key(&app, "hanya-baca", &body).await;
    }
    assert_eq!(answer.status, 201, "no recovery: {}", answer.body);
    assert_eq!(in_verification(&app, &admin).await, 2);
    app.stop().await;
}

/// An endpoint that accepts connections and never answers: a service that stopped, or a
/// network that drops everything past the handshake.
async fn black_hole() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((connection, _)) = listener.accept().await {
            held.push(connection);
        }
    });
    url
}

/// Longer than any request may take: lapor's SDK timeouts, with room to spare.
const NEVER_HANGS: Duration = Duration::from_secs(20);

/// Sends a request that must be answered 503 with `Retry-After`, in a bounded time.
async fn assert_unavailable(what: &str, request: reqwest::RequestBuilder) {
    let started = Instant::now();
    let response = tokio::time::timeout(NEVER_HANGS, request.send())
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer in {NEVER_HANGS:?}"))
        .expect("sent");
    assert!(
        response.headers().contains_key("retry-after"),
        "{what}: no Retry-After"
    );
    let answer = into_answer(response).await;
    assert_eq!(answer.status, 503, "{what}: {}", answer.body);
    assert_eq!(answer.content_type, "application/problem+json", "{what}");
    assert!(
        started.elapsed() <= lapor_aws::timeouts::OPERATION + Duration::from_secs(3),
        "{what}: took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_black_holed_aws_answers_503_within_the_sdk_timeouts() {
    let environment = lapor_aws::testing::environment_at(&black_hole().await);
    let ports = Assembly {
        store: Arc::new(lapor_aws::Dynamo::from_config(&environment, "lapor")),
        blobs: Arc::new(lapor_aws::S3Blobs::from_config(&environment, "lapor")),
        delivery: Delivery::Queue(Arc::new(lapor_aws::SqsQueue::from_config(
            &environment,
            "http://sqs/lapor",
        ))),
        events: Arc::new(lapor_aws::EventBridgeBus::from_config(
            &environment,
            "lapor",
        )),
    };
    let app = TestApp::builder().ports(ports).spawn().await;
    let url = |path: &str| format!("{}{path}", app.base);
    let client = &app.client;
    let requests = [
        (
            "a submission",
            client.post(url("/v1/reports")).json(&report(json!({}))),
        ),
        ("a report", client.get(url("/v1/reports/12345678"))),
        ("a list", client.get(url("/v1/agencies"))),
        (
            "a sign-in",
            client
                .post(url("/v1/auth/login"))
                .json(&json!({"login": "admin@lapor.test", "password": "kata-sandi-rahasia"})),
        ),
        (
            "an upload",
            client
                .post(url("/v1/attachments"))
                .json(&json!({"filename": "foto.png", "content_type": "image/png", "size": 68})),
        ),
    ];
    let checks = requests
        .into_iter()
        .map(|(what, request)| assert_unavailable(what, request));
    futures_join(checks).await;
    app.stop().await;
}

/// S3 out of reach while DynamoDB answers: a submission naming a photo cannot check the photo,
/// and answers 503 having written nothing.
#[tokio::test]
async fn a_black_holed_s3_answers_503_and_writes_nothing() {
    let table = lapor_aws::testing::fresh_table().await;
    let (mut ports, _queues) = lapor_tests::aws_assembly(Arc::new(table.clone())).await;
    let environment = lapor_aws::testing::environment_at(&black_hole().await);
    ports.blobs = Arc::new(lapor_aws::S3Blobs::from_config(&environment, "lapor"));
    let app = TestApp::builder().ports(ports).spawn().await;
    // Signing an upload URL needs no call to S3.
    let declared = json!({"filename": "foto.png", "content_type": "image/png", "size": 68});
    let ticket = app
        .post("/v1/attachments", None, declared)
        .await
        .expect(201);
    let before = table_items(&table).await;
    let submission = app
        .client
        .post(format!("{}/v1/reports", app.base))
        .json(&report(json!({"attachment_ids": [ticket["id"]]})));
    assert_unavailable("a submission with a photo", submission).await;
    assert_eq!(
        before,
        table_items(&table).await,
        "the refused submission wrote to the table"
    );
    app.stop().await;
}

/// The items of a table, by count and size in bytes.
async fn table_items(table: &lapor_aws::Dynamo) -> (usize, usize) {
    let count = lapor_aws::testing::table_text(table).await.lines().count();
    (count, lapor_aws::testing::table_bytes(table).await)
}

/// Runs futures concurrently on the test's runtime and waits for all.
async fn futures_join<F>(futures: impl IntoIterator<Item = F>)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let tasks: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    for task in tasks {
        task.await.expect("a check");
    }
}

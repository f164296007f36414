//! The cold-start benchmark behind the `bench-lambda` binary. A cold start is what a Lambda
//! function's users wait for and what it is billed for beyond its warm invocations: the init
//! (from the process's start to its first poll of the Runtime API), then the first invocation;
//! the resident set must fit the function's memory size, and the zip is what Lambda fetches and
//! unpacks. Each of lapor's functions is measured beside `lambda-hello`, the smallest lambda_http
//! function that builds one DynamoDB client, built with the same profile, so that the figures say
//! what is lapor's own.
//!
//! The binaries are the deployed ones (without the embedded backend, which deployed builds leave
//! out), configured as the stack configures them: DynamoDB, and the token secret read from
//! Secrets Manager at start. Both are served by the local moto server the aws-backend tests use,
//! over plain HTTP on loopback: AWS's round trips and TLS handshakes are not in the figures.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
use lapor_http::{AppState, RouteGroup};
use serde_json::Value;
use tower::ServiceExt as _;

use crate::lambda_runtime_emulator::{Emulator, Verdict};

/// The baseline function.
pub const HELLO: &str = "lambda-hello";

/// The aim for init: at most this many times hello-world's.
pub const INIT_AIM: f64 = 1.5;
/// The aim for the peak resident set: at most this many times hello-world's.
pub const RSS_AIM: f64 = 2.0;
/// The aim for the arm64 `bootstrap.zip`, in bytes (5 MB).
pub const ZIP_AIM: u64 = 5_000_000;

/// How long the function may take to start or to answer: Lambda's init limit is 10 s, so a
/// function this slow has failed anyway.
const PATIENCE: Duration = Duration::from_secs(30);

/// The functions' memory size (the default of `infra/template.yaml`): on this machine only the
/// runtime's context reads it, the hello-world function has the same.
const MEMORY_MB: &str = "256";

/// The tracking id the sample events name; a real one is put in its place.
const SAMPLE_TRACKING: &str = "12345678";

/// The region of the functions' AWS clients: moto keeps each region's resources apart, and the
/// tables of `lapor_aws::testing` are in this one.
const REGION: &str = "us-east-1";

/// A function under test.
#[derive(Clone, Copy, Debug)]
pub struct Function {
    /// Its package and binary, and its folder under `target/lambda/`.
    pub name: &'static str,
    /// The sample event it is invoked with: `events/<event>.json`.
    pub event: &'static str,
    /// The HTTP status that event must get: another one would measure an error path.
    pub status: u16,
    /// The events played (in this process, before the function starts) on the development
    /// world so that the measured event acts on a real record, as most invocations do: a
    /// report in the state the event needs, or the account it signs in to.
    pub before: &'static [&'static str],
}

/// Hello-world first (the baseline), then lapor's functions.
pub const FUNCTIONS: [Function; 8] = [
    Function {
        name: HELLO,
        event: "queries/feed",
        status: 200,
        before: &[],
    },
    Function {
        name: "submission",
        event: "submission/submit",
        status: 201,
        before: &[],
    },
    Function {
        name: "verification",
        event: "verification/verify",
        status: 200,
        before: &["submission/submit"],
    },
    Function {
        name: "disposition",
        event: "disposition/dispose",
        status: 200,
        before: &["submission/submit", "verification/verify"],
    },
    Function {
        name: "follow-up",
        event: "follow-up/follow-up",
        status: 200,
        before: &[
            "submission/submit",
            "verification/verify",
            "disposition/dispose",
        ],
    },
    Function {
        name: "queries",
        event: "queries/feed",
        status: 200,
        // A verified report, so that the feed has one to list.
        before: &["submission/submit", "verification/verify"],
    },
    Function {
        name: "accounts",
        event: "accounts/login",
        status: 200,
        before: &["accounts/register"],
    },
    Function {
        name: "web",
        event: "web/home",
        status: 200,
        before: &[],
    },
];

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Cold starts measured per function (after one discarded warm-up).
    pub runs: usize,
    /// Where the release binaries are.
    pub bin_dir: PathBuf,
    /// Build the arm64 zips with cargo-lambda first.
    pub zips: bool,
    /// Give the functions the token secret in their environment (`LAPOR_JWT_SECRET`) instead
    /// of its ARN: what init costs without its one read of Secrets Manager. Not how lapor is
    /// deployed (the key never sits in a function's configuration); a measurement only.
    pub secret_in_env: bool,
}

impl Options {
    /// Reads `--runs N --bin-dir PATH --zips --secret-in-env`; the binaries default to those built beside this
    /// one.
    pub fn from_args(args: impl Iterator<Item = String>) -> anyhow::Result<Self> {
        let here = std::env::current_exe()?;
        let mut options = Self {
            runs: 5,
            bin_dir: here.parent().context("no folder")?.to_path_buf(),
            zips: false,
            secret_in_env: false,
        };
        let mut args = args.peekable();
        while let Some(flag) = args.next() {
            if flag == "--zips" {
                options.zips = true;
                continue;
            }
            if flag == "--secret-in-env" {
                options.secret_in_env = true;
                continue;
            }
            let value = args
                .next()
                .with_context(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--runs" => options.runs = value.parse()?,
                "--bin-dir" => options.bin_dir = value.into(),
                _ => bail!("unknown option {flag}; use --runs, --bin-dir, --zips, --secret-in-env"),
            }
        }
        if options.runs == 0 {
            bail!("--runs must be at least 1");
        }
        Ok(options)
    }

    /// cargo-lambda's zip of `function`: `target/lambda/<name>/bootstrap.zip`, the binaries
    /// being in `target/release/`.
    fn zip(&self, function: &str) -> PathBuf {
        let target = self.bin_dir.parent().unwrap_or(&self.bin_dir);
        target.join("lambda").join(function).join("bootstrap.zip")
    }
}

/// One cold start.
#[derive(Clone, Copy, Debug)]
struct Sample {
    init: Duration,
    first_invoke: Duration,
    peak_kib: u64,
    status: u16,
}

/// A function's medians.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The function.
    pub name: String,
    /// The HTTP status of its first invocation.
    pub status: u16,
    /// From spawn to the first `/next`, in ms.
    pub init_ms: f64,
    /// From handing the event out to the response, in ms.
    pub invoke_ms: f64,
    /// Peak resident set (VmHWM), in MiB.
    pub peak_mib: f64,
    /// The arm64 `bootstrap.zip`, in bytes, when built.
    pub zip_bytes: Option<u64>,
}

/// What was measured: hello-world's row first.
#[derive(Clone, Debug)]
pub struct Report {
    /// Cold starts per function.
    pub runs: usize,
    /// One row per function.
    pub rows: Vec<Row>,
}

/// Builds the arm64 `bootstrap.zip` of every function with cargo-lambda, in one build of their
/// packages only (`-p`): with `--bin` from the workspace root, cargo would resolve features for
/// every member and give the functions the embedded backend that lapor-tests enables.
pub fn build_zips() -> anyhow::Result<()> {
    let status = Command::new("cargo")
        .args([
            "lambda",
            "build",
            "--release",
            "--arm64",
            "--output-format",
            "zip",
        ])
        .args(FUNCTIONS.iter().flat_map(|f| ["-p", f.name]))
        .current_dir(workspace())
        .status()
        .context("cannot run cargo lambda (pip install cargo-lambda)")?;
    if !status.success() {
        bail!("cargo lambda build failed: {status}");
    }
    Ok(())
}

/// Runs the benchmark: a discarded warm-up round (it brings every binary into the page cache),
/// then `runs` rounds of one cold start per function, functions interleaved so that a slow
/// moment of the machine does not fall on one of them only.
pub async fn run(options: &Options) -> anyhow::Result<Report> {
    if options.zips {
        build_zips()?;
    }
    let aws = Aws::start().await?;
    let mut samples = vec![Vec::new(); FUNCTIONS.len()];
    for round in 0..=options.runs {
        eprintln!("round {round} of {}{}", options.runs, warm_up(round));
        for (function, samples) in FUNCTIONS.iter().zip(&mut samples) {
            let binary = options.bin_dir.join(function.name);
            let sample = cold_start(&binary, function, &aws, options.secret_in_env)
                .await
                .with_context(|| format!("{} on {}", function.event, function.name))?;
            if round > 0 {
                samples.push(sample);
            }
        }
    }
    let rows = FUNCTIONS
        .iter()
        .zip(samples)
        .map(|(function, samples)| row(function, &samples, options))
        .collect();
    Ok(Report {
        runs: options.runs,
        rows,
    })
}

fn warm_up(round: usize) -> &'static str {
    if round == 0 { " (warm-up)" } else { "" }
}

fn row(function: &Function, samples: &[Sample], options: &Options) -> Row {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Row {
        name: function.name.to_string(),
        status: samples.first().map_or(0, |s| s.status),
        init_ms: median(samples.iter().map(|s| ms(s.init))),
        invoke_ms: median(samples.iter().map(|s| ms(s.first_invoke))),
        peak_mib: median(samples.iter().map(|s| s.peak_kib as f64 / 1024.0)),
        zip_bytes: std::fs::metadata(options.zip(function.name))
            .ok()
            .map(|m| m.len()),
    }
}

/// The median; the mean of the middle two of an even count.
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The AWS services the functions use, on the local moto server.
struct Aws {
    endpoint: &'static str,
    secret_arn: String,
}

impl Aws {
    /// Starts moto and stores the development token secret in its Secrets Manager, as the
    /// stack stores the generated one.
    async fn start() -> anyhow::Result<Self> {
        let endpoint = lapor_aws::testing::moto_endpoint();
        let config = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("test", "test", None, None, "moto"))
            .build();
        let created = aws_sdk_secretsmanager::Client::from_conf(config)
            .create_secret()
            .name(format!("lapor-bench-{}", std::process::id()))
            .secret_string(lapor_setup::dev::SECRET)
            .send()
            .await
            .context("cannot store the token secret in moto")?;
        Ok(Self {
            endpoint,
            secret_arn: created
                .arn()
                .context("a secret without an ARN")?
                .to_string(),
        })
    }
}

/// What the stack gives each function: its table, the notifications' queue, the integration
/// events' bus and the attachments' bucket, fresh on moto for each cold start.
struct Resources {
    table: lapor_aws::Dynamo,
    queue: lapor_aws::SqsQueue,
    bus: lapor_aws::EventBridgeBus,
    bucket: lapor_aws::S3Blobs,
}

/// One cold start of `function` on a fresh table holding the development world. Seeding it
/// happens here, and not in the function's init (`LAPOR_DEV_SEED=1`), because a real cold start
/// finds a table that already holds the agencies and accounts: seeding hashes four passwords
/// with argon2, work that no deployed function does at start.
async fn cold_start(
    binary: &Path,
    function: &Function,
    aws: &Aws,
    secret_in_env: bool,
) -> anyhow::Result<Sample> {
    let resources = Resources {
        table: lapor_aws::testing::fresh_table().await,
        queue: lapor_aws::testing::fresh_queue().await,
        bus: lapor_aws::testing::fresh_bus().await,
        bucket: lapor_aws::testing::fresh_bucket().await,
    };
    let assembly = lapor_local::Assembly {
        store: Arc::new(resources.table.clone()),
        blobs: Arc::new(resources.bucket.clone()),
        delivery: lapor_app::notifications::Delivery::Queue(Arc::new(resources.queue.clone())),
        events: Arc::new(resources.bus.clone()),
    };
    let state = lapor_setup::build_on(&dev_config()?, assembly).await?;
    let event = prepare(&state, function).await?;
    drop(state);
    let emulator = Emulator::start(function.name).await?;
    let started = Instant::now();
    let secret = match secret_in_env {
        true => ("LAPOR_JWT_SECRET", lapor_setup::dev::SECRET.to_string()),
        false => ("LAPOR_JWT_SECRET_ARN", aws.secret_arn.clone()),
    };
    let mut process = start(
        binary,
        function.name,
        &emulator.address(),
        aws,
        &resources,
        secret,
    )?;
    let ready = process.until(emulator.first_next()).await.context("init")?;
    let request_id = emulator.invoke(event);
    let outcome = process
        .until(emulator.outcome(&request_id))
        .await
        .context("the first invocation")?;
    let peak_kib = peak_memory_kib(process.0.id()).context("no VmHWM in /proc/<pid>/status")?;
    drop(process);

    let answer = String::from_utf8_lossy(&outcome.body);
    if outcome.verdict != Verdict::Response {
        bail!("{} failed: {answer}", function.event);
    }
    let status = outcome.http_status().unwrap_or(0);
    if status != function.status {
        bail!(
            "{} answered {status}, not {}: {answer}",
            function.event,
            function.status
        );
    }
    Ok(Sample {
        init: ready.duration_since(started),
        first_invoke: outcome.duration(),
        peak_kib,
        status,
    })
}

/// Plays `function.before` on the development world of `state`, then returns the measured
/// event, naming the report just submitted.
async fn prepare(state: &AppState, function: &Function) -> anyhow::Result<String> {
    let mut tracking = None::<String>;
    for event in function.before {
        let text = event_text(event, tracking.as_deref())?;
        let (status, body) = play(state, event, &text).await?;
        if !(200..300).contains(&status) {
            bail!(
                "{event}, played before {}, answered {status}: {body}",
                function.event
            );
        }
        if *event == "submission/submit" {
            tracking = body["tracking_id"].as_str().map(String::from);
        }
    }
    event_text(function.event, tracking.as_deref())
}

/// The configuration that seeds the development world, with the secret the sample events'
/// tokens are signed with.
fn dev_config() -> anyhow::Result<lapor_setup::Config> {
    lapor_setup::Config::from_lookup(|name| match name {
        "LAPOR_JWT_SECRET" => Some(lapor_setup::dev::SECRET.to_string()),
        "LAPOR_DEV_SEED" => Some("1".to_string()),
        _ => None,
    })
}

/// `events/<event>.json`, naming `tracking` instead of the sample's report.
fn event_text(event: &str, tracking: Option<&str>) -> anyhow::Result<String> {
    let path = workspace().join("events").join(format!("{event}.json"));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(match tracking {
        Some(tracking) => text.replace(SAMPLE_TRACKING, tracking),
        None => text,
    })
}

/// Serves an event in process with its function's routes, as lambda_http hands it to them.
async fn play(state: &AppState, event: &str, text: &str) -> anyhow::Result<(u16, Value)> {
    let group = match event.split('/').next() {
        Some("submission") => RouteGroup::Submission,
        Some("verification") => RouteGroup::Verification,
        Some("disposition") => RouteGroup::Disposition,
        Some("follow-up") => RouteGroup::FollowUp,
        Some("queries") => RouteGroup::Queries,
        Some("accounts") => RouteGroup::Accounts,
        Some("web") => return answer(lapor_lambda::web_router(state.clone()), text).await,
        _ => bail!("{event}: no function of that name"),
    };
    answer(lapor_lambda::router(state.clone(), &[group]), text).await
}

/// The status and JSON body (`Value::Null` for a page) `router` answers an event with.
async fn answer(router: axum::Router, text: &str) -> anyhow::Result<(u16, Value)> {
    let request = lambda_http::request::from_str(text)?;
    let response = router.oneshot(request).await?;
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    Ok((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
}

/// The workspace, where `events/` is and cargo-lambda runs.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The function as a child process, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the function as Lambda would: only Lambda's environment (credentials included) and
/// the stack's configuration of the function, not this shell's; stdout (its logs) discarded,
/// stderr kept for its errors. The AWS clients are pointed at moto by `AWS_ENDPOINT_URL`.
fn start(
    binary: &Path,
    name: &str,
    runtime_api: &str,
    aws: &Aws,
    resources: &Resources,
    (secret_name, secret): (&str, String),
) -> anyhow::Result<Process> {
    let child = Command::new(binary)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", runtime_api)
        .env("AWS_LAMBDA_FUNCTION_NAME", name)
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", MEMORY_MB)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_REGION", REGION)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_SESSION_TOKEN", "test")
        .env("AWS_ENDPOINT_URL", aws.endpoint)
        .env("TZ", ":UTC")
        .env("LAPOR_BACKEND", "aws")
        .env("LAPOR_TABLE", resources.table.table())
        .env("LAPOR_QUEUE_URL", resources.queue.url())
        .env("LAPOR_EVENT_BUS", resources.bus.name())
        .env("LAPOR_BUCKET", resources.bucket.bucket())
        .env(secret_name, secret)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (build it: cargo build --release --bin {name})",
                binary.display()
            )
        })?;
    Ok(Process(child))
}

impl Process {
    /// Waits for `step`, unless the function exits first or takes too long.
    async fn until<T>(
        &mut self,
        step: impl Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        let child = &mut self.0;
        let exited = async {
            loop {
                if let Some(status) = child.try_wait()? {
                    return anyhow::Ok(status);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::select! {
            result = step => result,
            status = exited => bail!("the function exited: {}", status?),
            _ = tokio::time::sleep(PATIENCE) => bail!("nothing within {PATIENCE:?}"),
        }
    }
}

/// The peak resident set of a process (Linux), in KiB.
fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Medians of {} cold starts per function (host x86_64 release builds); zip: the arm64 \
             bootstrap.zip. Aims: init ≤ {INIT_AIM}× hello, peak RSS ≤ {RSS_AIM}× hello, zip ≤ {} MB.",
            self.runs,
            ZIP_AIM / 1_000_000
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| function | status | init ms | ×hello | first invoke ms | ×hello | peak RSS MiB | ×hello \
             | zip MB | ×hello | init ≤ {INIT_AIM}× | RSS ≤ {RSS_AIM}× | zip ≤ {} MB |",
            ZIP_AIM / 1_000_000
        )?;
        writeln!(
            f,
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|:-:|"
        )?;
        let Some(hello) = self.rows.first() else {
            return Ok(());
        };
        for row in &self.rows {
            let init = row.init_ms / hello.init_ms;
            let rss = row.peak_mib / hello.peak_mib;
            let zip_ratio = match (row.zip_bytes, hello.zip_bytes) {
                (Some(zip), Some(base)) => format!("{:.2}×", zip as f64 / base as f64),
                _ => "n/a".into(),
            };
            writeln!(
                f,
                "| {} | {} | {:.1} | {init:.2}× | {:.2} | {:.2}× | {:.1} | {rss:.2}× | {} | {zip_ratio} \
                 | {} | {} | {} |",
                row.name,
                row.status,
                row.init_ms,
                row.invoke_ms,
                row.invoke_ms / hello.invoke_ms,
                row.peak_mib,
                row.zip_bytes
                    .map_or("n/a".into(), |b| format!("{:.2}", b as f64 / 1e6)),
                verdict(Some(init <= INIT_AIM)),
                verdict(Some(rss <= RSS_AIM)),
                verdict(row.zip_bytes.map(|b| b <= ZIP_AIM)),
            )?;
        }
        Ok(())
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "n/a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn options_are_read_and_checked() {
        let o = Options::from_args(args(&["--zips", "--runs", "3", "--bin-dir", "/x/release"]))
            .unwrap();
        assert_eq!((o.runs, o.zips), (3, true));
        assert_eq!(
            o.zip("queries"),
            Path::new("/x/lambda/queries/bootstrap.zip")
        );
        let default = Options::from_args(args(&[])).unwrap();
        assert_eq!((default.runs, default.zips), (5, false));
        assert!(Options::from_args(args(&["--runs", "0"])).is_err());
        assert!(Options::from_args(args(&["--runs"])).is_err());
        assert!(Options::from_args(args(&["--speed", "1"])).is_err());
    }

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), 2.0);
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), 2.5);
        assert!(median(std::iter::empty()).is_nan());
    }

    #[test]
    fn every_function_has_its_sample_events() {
        assert_eq!(FUNCTIONS[0].name, HELLO);
        for function in FUNCTIONS {
            for event in function.before.iter().chain([&function.event]) {
                event_text(event, Some("87654321")).unwrap();
            }
        }
    }

    #[tokio::test]
    async fn the_measured_events_act_on_real_records() {
        // What `cold_start` does before starting a function, in process and on the embedded
        // store (faster than moto): the event the function then gets answers as expected.
        for function in &FUNCTIONS[1..] {
            let data = tempfile::tempdir().unwrap();
            let mut config = dev_config().unwrap();
            config.data_dir = data.path().to_path_buf();
            let state = lapor_setup::build(&config).await.unwrap();
            let event = prepare(&state, function).await.unwrap();
            let (status, body) = play(&state, function.event, &event).await.unwrap();
            assert_eq!(status, function.status, "{}: {body}", function.event);
        }
    }

    #[test]
    fn the_table_gives_ratios_to_hello_and_the_aims() {
        let row = |name: &str, init_ms, peak_mib, zip_bytes| Row {
            name: name.into(),
            status: 200,
            init_ms,
            invoke_ms: 1.0,
            peak_mib,
            zip_bytes,
        };
        let report = Report {
            runs: 5,
            rows: vec![
                row(HELLO, 10.0, 4.0, Some(1_000_000)),
                row("queries", 12.0, 9.0, Some(6_000_000)),
                row("accounts", 20.0, 6.0, None),
            ],
        };
        let table = report.to_string();
        assert!(table.contains("Medians of 5 cold starts"), "{table}");
        assert!(
            table.contains(
                "| queries | 200 | 12.0 | 1.20× | 1.00 | 1.00× | 9.0 | 2.25× | 6.00 | 6.00× \
                 | yes | **no** | **no** |"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "| accounts | 200 | 20.0 | 2.00× | 1.00 | 1.00× | 6.0 | 1.50× | n/a | n/a \
                 | **no** | yes | n/a |"
            ),
            "{table}"
        );
    }
}

//! The submission benchmark behind the `bench-submit` binary.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::json;

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD};

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// How many reports to submit.
    pub reports: usize,
    /// How many clients submit at once.
    pub workers: usize,
    /// The `lapor-local` binary.
    pub server: PathBuf,
}

impl Options {
    /// Reads `--reports N --workers N --server PATH`; the server defaults to the `lapor-local`
    /// built beside this binary.
    pub fn from_args(args: impl Iterator<Item = String>) -> anyhow::Result<Self> {
        let here = std::env::current_exe()?;
        let mut options = Self {
            reports: 20_000,
            workers: 32,
            server: here.with_file_name("lapor-local"),
        };
        let mut args = args.peekable();
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .with_context(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--reports" => options.reports = value.parse()?,
                "--workers" => options.workers = value.parse()?,
                "--server" => options.server = value.into(),
                _ => bail!("unknown option {flag}; use --reports, --workers, --server"),
            }
        }
        if options.reports == 0 || options.workers == 0 {
            bail!("--reports and --workers must be at least 1");
        }
        Ok(options)
    }
}

/// What was measured.
#[derive(Clone, Debug)]
pub struct Figures {
    /// Submissions answered 201.
    pub reports: usize,
    /// Concurrent clients.
    pub workers: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency percentiles: p50, p90, p99, max.
    pub latency: [Duration; 4],
    /// The server's peak resident memory, in KiB.
    pub peak_kib: Option<u64>,
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate = self.reports as f64 / self.elapsed.as_secs_f64();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let [p50, p90, p99, max] = self.latency;
        writeln!(
            f,
            "{} submissions, {} workers, {:.2} s: {rate:.0} submissions/s",
            self.reports,
            self.workers,
            self.elapsed.as_secs_f64()
        )?;
        writeln!(
            f,
            "latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
            ms(p50),
            ms(p90),
            ms(p99),
            ms(max)
        )?;
        match self.peak_kib {
            Some(kib) => write!(
                f,
                "server peak memory (VmHWM): {:.1} MiB",
                kib as f64 / 1024.0
            ),
            None => write!(f, "server peak memory: unknown"),
        }
    }
}

/// The server as a child process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the benchmark.
pub async fn run(options: &Options) -> anyhow::Result<Figures> {
    let data = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start(&options.server, data.path(), port)?;
    let client = reqwest::Client::new();
    wait_until_up(&client, &base).await?;

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..options.workers)
        .map(|_| {
            let (client, base, next) = (client.clone(), base.clone(), next.clone());
            let total = options.reports;
            tokio::spawn(async move { submit_until(total, &next, &client, &base).await })
        })
        .collect();
    let mut latencies = Vec::with_capacity(options.reports);
    for worker in workers {
        latencies.extend(worker.await??);
    }
    let elapsed = started.elapsed();
    let peak_kib = peak_memory_kib(server.0.id());
    check_all_stored(&client, &base, options.reports).await?;
    drop(server);

    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    Ok(Figures {
        reports: latencies.len(),
        workers: options.workers,
        elapsed,
        latency: [at(0.50), at(0.90), at(0.99), at(1.0)],
        peak_kib,
    })
}

fn start(binary: &Path, data_dir: &Path, port: u16) -> anyhow::Result<Server> {
    let child = Command::new(binary)
        .env("LAPOR_ADDR", format!("127.0.0.1:{port}"))
        .env("LAPOR_DATA_DIR", data_dir)
        .env("LAPOR_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("LAPOR_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (build it: cargo build --release -p lapor-local)",
                binary.display()
            )
        })?;
    Ok(Server(child))
}

async fn wait_until_up(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    for _ in 0..200 {
        if client.get(format!("{base}/health")).send().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the server did not start within 10 s")
}

/// Submits reports until `total` have been taken by all workers; returns each one's latency.
async fn submit_until(
    total: usize,
    next: &AtomicUsize,
    client: &reqwest::Client,
    base: &str,
) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::new();
    while next.fetch_add(1, Ordering::Relaxed) < total {
        let body = crate::report(json!({}));
        let sent = Instant::now();
        let response = client
            .post(format!("{base}/v1/reports"))
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        response.bytes().await?;
        latencies.push(sent.elapsed());
        if status != reqwest::StatusCode::CREATED {
            bail!("a submission was answered {status}");
        }
    }
    Ok(latencies)
}

/// Every acknowledged report is in the national admins' verification box.
async fn check_all_stored(
    client: &reqwest::Client,
    base: &str,
    expected: usize,
) -> anyhow::Result<()> {
    let login: serde_json::Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["access_token"].as_str().context("no admin token")?;
    let inbox: serde_json::Value = client
        .get(format!("{base}/v1/inbox?box=verification&limit=1"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    let stored = inbox["counts"]["verification"].as_u64().unwrap_or(0);
    if stored != expected as u64 {
        bail!("{expected} submissions acknowledged but {stored} stored");
    }
    Ok(())
}

/// The peak resident set of a process (Linux), in KiB.
fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_and_checked() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o =
            Options::from_args(args(&["--reports", "10", "--workers", "2"]).into_iter()).unwrap();
        assert_eq!((o.reports, o.workers), (10, 2));
        assert!(Options::from_args(args(&["--reports", "0"]).into_iter()).is_err());
        assert!(Options::from_args(args(&["--speed", "1"]).into_iter()).is_err());
        assert!(Options::from_args(args(&["--workers"]).into_iter()).is_err());
    }
}

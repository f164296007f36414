//! The web pages' benchmark behind the `bench-web` binary: what a cheap phone downloads for the
//! home page (HTML, CSS, JavaScript and icon, gzip-compressed as served), and how long the
//! server takes to render each page (median and 99th percentile over many requests, on the
//! embedded backend, one client on loopback). Built in release, it is `lapor-local` as served.

use std::fmt;
use std::time::Instant;

use serde_json::json;

use crate::{TestApp, World, report};

/// The aim for the home page with its form, compressed: 50 KB.
pub const WEIGHT_AIM: usize = 50_000;
/// The aim for a page's render, median: 5 ms.
pub const RENDER_AIM_MS: f64 = 5.0;

/// One page's timings.
pub struct Timing {
    pub path: String,
    pub median_ms: f64,
    pub p99_ms: f64,
}

/// What was measured.
pub struct Report {
    /// Each part of the home page and its compressed size.
    pub weights: Vec<(String, usize)>,
    pub timings: Vec<Timing>,
}

impl Report {
    pub fn total_weight(&self) -> usize {
        self.weights.iter().map(|(_, bytes)| bytes).sum()
    }
}

/// The compressed size of `path`, as a browser that takes gzip gets it.
async fn weight(client: &reqwest::Client, base: &str, path: &str) -> anyhow::Result<usize> {
    let response = client
        .get(format!("{base}{path}"))
        .header("accept-encoding", "gzip")
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    Ok(response.bytes().await?.len())
}

/// The assets the home page links to.
fn assets(page: &str) -> Vec<String> {
    page.split('"')
        .filter(|part| part.starts_with("/aset/") || *part == "/manifest.webmanifest")
        .map(str::to_string)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The home page and each asset it links to, with its compressed size.
pub async fn home_weights(
    client: &reqwest::Client,
    base: &str,
) -> anyhow::Result<Vec<(String, usize)>> {
    let home = client.get(format!("{base}/")).send().await?.text().await?;
    let mut weights = vec![("/ (HTML)".to_string(), weight(client, base, "/").await?)];
    for asset in assets(&home) {
        weights.push((asset.clone(), weight(client, base, &asset).await?));
    }
    Ok(weights)
}

/// Runs the benchmark: `rounds` requests per page after a warm-up.
pub async fn run(rounds: usize) -> anyhow::Result<Report> {
    let w = TestApp::builder().embedded().world().await;
    let t = w.app.submit(Some(&w.reporter), report(json!({}))).await["tracking_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    w.app
        .act(
            &t,
            "verification",
            &w.national,
            json!({"decision": "verify", "dispose_to": w.a1}),
        )
        .await
        .expect(200);
    let client = reqwest::Client::new();
    let weights = home_weights(&client, &w.app.base).await?;
    let mut timings = Vec::new();
    for path in [
        "/",
        "/laporan",
        &format!("/pengaduan/{t}"),
        "/lacak",
        "/masuk",
    ] {
        timings.push(time_page(&client, &w, path, rounds).await?);
    }
    Ok(Report { weights, timings })
}

async fn time_page(
    client: &reqwest::Client,
    w: &World,
    path: &str,
    rounds: usize,
) -> anyhow::Result<Timing> {
    let url = format!("{}{path}", w.app.base);
    let mut samples = Vec::with_capacity(rounds);
    for round in 0..rounds + 10 {
        let started = Instant::now();
        let response = client.get(&url).send().await?;
        anyhow::ensure!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.bytes().await?;
        // The first requests warm the caches and the connection.
        if round >= 10 {
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Ok(Timing {
        path: path.to_string(),
        median_ms: at(0.5),
        p99_ms: at(0.99),
    })
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "home page, gzip as served:")?;
        for (part, bytes) in &self.weights {
            writeln!(f, "  {part:<40} {bytes:>7} B")?;
        }
        let total = self.total_weight();
        writeln!(
            f,
            "  {:<40} {total:>7} B  (aim ≤ {WEIGHT_AIM} B: {})",
            "total",
            if total <= WEIGHT_AIM { "met" } else { "MISSED" }
        )?;
        writeln!(f, "render, request to last byte on loopback:")?;
        for t in &self.timings {
            writeln!(
                f,
                "  {:<40} p50 {:>6.2} ms  p99 {:>6.2} ms  (aim p50 ≤ {RENDER_AIM_MS} ms: {})",
                t.path,
                t.median_ms,
                t.p99_ms,
                if t.median_ms <= RENDER_AIM_MS {
                    "met"
                } else {
                    "MISSED"
                }
            )?;
        }
        Ok(())
    }
}

//! What a report's whole life asks of DynamoDB: each step of a typical lifecycle run on a moto
//! server with its requests metered, and what many such lives cost at on-demand prices.

use std::fmt;

use lapor_aws::{Meter, Readings};
use serde_json::json;

use crate::{TestApp, report};

/// US East (N. Virginia) on-demand list prices since November 2024, in dollars.
pub const PER_MILLION_WRITE_UNITS: f64 = 0.625;
/// Per million read request units.
pub const PER_MILLION_READ_UNITS: f64 = 0.125;
/// Per GB-month of table storage.
pub const PER_GB_MONTH: f64 = 0.25;

/// One step of the lifecycle and what it asked.
#[derive(Clone, Debug)]
pub struct Step {
    /// What was done, by whom.
    pub name: &'static str,
    /// The requests and capacity it took.
    pub readings: Readings,
}

impl Step {
    /// The requests, as `Operation×n` in the operations' order.
    pub fn requests(&self) -> String {
        self.readings
            .requests
            .iter()
            .map(|(op, n)| format!("{op}×{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A lifecycle measured, step by step, and the table it left behind.
#[derive(Clone, Debug)]
pub struct Lifecycle {
    /// The steps in order.
    pub steps: Vec<Step>,
    /// The bytes of the table's items the report left (indexes not included).
    pub stored_bytes: usize,
}

/// Runs one typical lifecycle on a fresh table of the moto server: a citizen reports, the national
/// admin disposes, the unit answers twice around the reporter's reply, closes, and is rated;
/// work list, report and feed pages are read on the way.
pub async fn measure_lifecycle() -> Lifecycle {
    let meter = Meter::default();
    let w = TestApp::builder().metered(&meter).world().await;
    let before = w.app.stored_bytes().await.unwrap_or(0);
    let app = &w.app;
    let mut steps = Vec::new();
    let mut step = |name: &'static str| {
        steps.push(Step {
            name,
            readings: meter.take(),
        })
    };
    meter.take();

    let submitted = app.submit(Some(&w.reporter), report(json!({}))).await;
    let t = submitted["tracking_id"].as_str().expect("a tracking id");
    step("submit (citizen)");
    let verify = json!({"decision": "verify", "dispose_to": w.a1});
    app.act(t, "verification", &w.national, verify)
        .await
        .expect(200);
    step("verify and dispose (national admin)");
    app.get("/v1/inbox?box=pending", Some(&w.liaison_a1))
        .await
        .expect(200);
    step("work-list page (officer)");
    app.report(t, Some(&w.liaison_a1)).await.expect(200);
    step("report page (officer)");
    let answer = json!({"body": "Sedang kami tangani di lapangan."});
    app.act(t, "follow-ups", &w.liaison_a1, answer)
        .await
        .expect(200);
    step("follow-up (officer)");
    app.report(t, Some(&w.reporter)).await.expect(200);
    step("report page (citizen)");
    let reply = json!({"body": "Terima kasih, mohon segera diperbaiki."});
    app.act(t, "replies", &w.reporter, reply).await.expect(200);
    step("reply (citizen)");
    let done = json!({"body": "Perbaikan sudah selesai dikerjakan."});
    app.act(t, "follow-ups", &w.liaison_a1, done)
        .await
        .expect(200);
    step("follow-up (officer)");
    app.act(t, "close", &w.liaison_a1, json!({}))
        .await
        .expect(200);
    step("close (officer)");
    app.act(t, "rating", &w.reporter, json!({"stars": 5}))
        .await
        .expect(200);
    step("rating (citizen)");
    app.get("/v1/reports?limit=20", None).await.expect(200);
    step("public feed page (anyone)");

    let after = app.stored_bytes().await.unwrap_or(0);
    Lifecycle {
        steps,
        stored_bytes: after.saturating_sub(before),
    }
}

impl Lifecycle {
    fn total(&self, units: impl Fn(&Readings) -> f64) -> f64 {
        self.steps.iter().map(|s| units(&s.readings)).sum()
    }

    /// Dollars for `lives` lifecycles: requests, and a month of the storage they leave.
    pub fn cost(&self, lives: u32) -> (f64, f64) {
        let lives = f64::from(lives);
        let writes = self.total(|r| r.write_units) * lives / 1e6 * PER_MILLION_WRITE_UNITS;
        let reads = self.total(|r| r.read_units) * lives / 1e6 * PER_MILLION_READ_UNITS;
        let storage = self.stored_bytes as f64 * lives / 1e9 * PER_GB_MONTH;
        (writes + reads, storage)
    }
}

impl fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| step | requests | write units | read units |")?;
        writeln!(f, "| --- | --- | ---: | ---: |")?;
        for step in &self.steps {
            let r = &step.readings;
            writeln!(
                f,
                "| {} | {} | {} | {} |",
                step.name,
                step.requests(),
                r.write_units,
                r.read_units
            )?;
        }
        let requests: u64 = self.steps.iter().map(|s| s.readings.total()).sum();
        writeln!(
            f,
            "| whole lifecycle | {requests} requests | {} | {} |",
            self.total(|r| r.write_units),
            self.total(|r| r.read_units)
        )?;
        let (requests, storage) = self.cost(10_000);
        writeln!(
            f,
            "\n10,000 lifecycles: ${requests:.2} of requests, then ${storage:.4} a month to keep \
             {:.1} MB ({} bytes each, indexes not included)",
            self.stored_bytes as f64 * 10_000.0 / 1e6,
            self.stored_bytes
        )
    }
}

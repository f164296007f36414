//! Submission benchmark: starts the release `lapor-local` on a free port with a fresh data
//! directory, sends `--reports` anonymous submissions from `--workers` concurrent clients over
//! loopback, and prints the throughput, the latency percentiles and the server's peak memory.
//!
//! cargo build --release -p lapor-local -p lapor-tests
//! target/release/bench-submit --reports 20000 --workers 32

use lapor_tests::bench::{Options, run};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::from_args(std::env::args().skip(1))?;
    let figures = run(&options).await?;
    println!("{figures}");
    Ok(())
}

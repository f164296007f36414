//! Cold-start benchmark of the Lambda functions: starts each function's release binary, and the
//! hello-world lambda_http function `lambda-hello` built the same way, as Lambda would (its
//! environment, a local Runtime API), configured as deployed (DynamoDB and the token secret in
//! Secrets Manager, both on a local moto server: `pip install 'moto[server]'`), invokes it once
//! with one of its sample events on the development world, and prints per function the medians
//! of `--runs` cold starts: init (spawn to the first `/next`), first invocation, peak memory,
//! the arm64 `bootstrap.zip` size, and each as a ratio to hello-world's. The binaries run on
//! this machine (x86_64); the zips are cargo-lambda's arm64 builds, read from `target/lambda/`
//! when present (`--zips` builds them first).
//!
//! The functions are built apart from the benchmark: built together with lapor-tests, cargo would
//! resolve features for both and give them the embedded backend (SQLite) that deployed builds
//! leave out.
//!
//! cargo build --release -p lambda-hello -p submission -p verification -p disposition -p follow-up -p queries -p accounts
//! cargo lambda build --release --arm64 --output-format zip -p lambda-hello -p submission -p verification -p disposition -p follow-up -p queries -p accounts
//! cargo build --release -p lapor-tests --bin bench-lambda
//! target/release/bench-lambda --runs 5

use lapor_tests::lambda_bench::{Options, run};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::from_args(std::env::args().skip(1))?;
    let report = run(&options).await?;
    println!("{report}");
    Ok(())
}

//! `lapor-local`: every route of the API and the scheduled jobs on the embedded backend. All
//! logic is in the library.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    lapor_local::cli().await
}

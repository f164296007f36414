//! The web pages' benchmark: the home page's weight over the wire and each page's render time.
//!
//! cargo build --release -p lapor-tests --bin bench-web && target/release/bench-web [ROUNDS]

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rounds = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(500);
    println!("{}", lapor_tests::web_bench::run(rounds).await?);
    Ok(())
}

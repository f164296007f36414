//! DynamoDB cost report: runs one typical report lifecycle on a moto server, metering each
//! step's requests and capacity (by DynamoDB's sizing rules), and prints what 10,000 lifecycles
//! cost at on-demand prices.
//!
//! cargo run -p lapor-tests --bin cost-report

#[tokio::main]
async fn main() {
    println!("{}", lapor_tests::costs::measure_lifecycle().await);
}

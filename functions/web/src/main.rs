//! `web`: the pages and assets of the citizen portal, on AWS Lambda. All logic is in the
//! libraries.

#[tokio::main]
async fn main() -> Result<(), lapor_lambda::Error> {
    lapor_lambda::serve_web().await
}

//! `submission`: POST /v1/reports and access codes, on AWS Lambda. All logic is in the libraries.

use lapor_http::RouteGroup;

#[tokio::main]
async fn main() -> Result<(), lapor_lambda::Error> {
    lapor_lambda::serve(&[RouteGroup::Submission]).await
}

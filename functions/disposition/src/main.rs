//! `disposition`: dispositions, forwards, copies and "not our authority" requests, on AWS Lambda.
//! All logic is in the libraries.

use lapor_http::RouteGroup;

#[tokio::main]
async fn main() -> Result<(), lapor_lambda::Error> {
    lapor_lambda::serve(&[RouteGroup::Disposition]).await
}

//! `queries`: reports, the feed, the work list, agencies and the caller, read, on AWS Lambda. All
//! logic is in the libraries.

use lapor_http::RouteGroup;

#[tokio::main]
async fn main() -> Result<(), lapor_lambda::Error> {
    lapor_lambda::serve(&[RouteGroup::Queries]).await
}

//! `accounts`: sign-up, sign-in, staff accounts and agency writes, on AWS Lambda. All logic is in
//! the libraries.

use lapor_http::RouteGroup;

#[tokio::main]
async fn main() -> Result<(), lapor_lambda::Error> {
    lapor_lambda::serve(&[RouteGroup::Accounts]).await
}

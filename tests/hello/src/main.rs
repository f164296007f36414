//! `lambda-hello`: the smallest lambda_http function that builds one DynamoDB client, with
//! lapor's release profile and dependency features, so that `bench-lambda` can tell what
//! lapor's functions cost on top of the runtime and the AWS SDK's set-up (the baseline the
//! functions' cold starts are held to). It answers every request 200 with a tiny JSON body and
//! starts tracing as lapor's functions do (`lapor_lambda::serve`), so that both pay for the
//! same logging.

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    lambda_http::run(service_fn(move |request| {
        // The client is built, as a function's would be, and kept for every invocation.
        let _client = &client;
        hello(request)
    }))
    .await
}

/// Every request: 200 `{"hello":"world"}`.
async fn hello(_request: Request) -> Result<Response<Body>, Error> {
    let response = Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"hello":"world"}"#))?;
    Ok(response)
}

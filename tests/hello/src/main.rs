//! `lambda-hello`: the smallest lambda_http function, built with lapor's release profile and
//! dependency features, so that `bench-lambda` can tell what lapor's functions cost on top of
//! the runtime itself. It answers every request 200 with a tiny JSON body and starts tracing as
//! lapor's functions do (`lapor_lambda::serve`), so that both pay for the same logging.

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    lambda_http::run(service_fn(hello)).await
}

/// Every request: 200 `{"hello":"world"}`.
async fn hello(_request: Request) -> Result<Response<Body>, Error> {
    let response = Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Body::from(r#"{"hello":"world"}"#))?;
    Ok(response)
}

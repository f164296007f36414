//! `notifier`: delivers notifications from the SQS queue, and sweeps the outbox on a schedule,
//! on AWS Lambda. All logic is in the libraries.

#[tokio::main]
async fn main() -> Result<(), lapor_lambda::Error> {
    lapor_lambda::run_notifier().await
}

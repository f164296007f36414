//! `deadline-checker`: the deadline-check job on its EventBridge schedule, on AWS Lambda. All
//! logic is in the libraries.

#[tokio::main]
async fn main() -> Result<(), lapor_lambda::Error> {
    lapor_lambda::run_job(lapor_lambda::Job::DeadlineCheck).await
}

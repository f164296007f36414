//! How long lapor waits for AWS. Without limits the SDK waits for an answer as long as the
//! connection stays open: a service that stops answering (a network fault, an endpoint
//! black-holed) would hold every request until the Lambda function's own timeout killed it,
//! and the caller got a 502 or 504 instead of a problem to retry on.

use std::time::Duration;

use aws_smithy_types::timeout::TimeoutConfig;

/// One try of a call: DynamoDB, S3, SQS and EventBridge answer within tens of milliseconds in
/// the region; this is far above that, yet leaves room for the SDK's retries.
pub const ATTEMPT: Duration = Duration::from_millis(2500);

/// A call with all its retries: under the functions' 10-second timeout (infra/template.yaml,
/// `Globals`), so the function is still alive to answer 503 with `Retry-After`.
pub const OPERATION: Duration = Duration::from_secs(7);

/// Setting up a connection.
pub const CONNECT: Duration = Duration::from_secs(2);

/// The timeouts of every SDK client lapor builds.
pub fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT)
        .operation_attempt_timeout(ATTEMPT)
        .operation_timeout(OPERATION)
        .build()
}

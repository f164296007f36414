//! DynamoDB's failures as the stores' errors: failed conditions become the conflicts the
//! use cases know, everything else "unavailable"; and the failure to create the table.

use std::error::Error;

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use lapor_app::{ConflictKind, StoreError};

/// The table could not be created.
#[derive(Debug, thiserror::Error)]
#[error("cannot create the DynamoDB table: {0}")]
pub struct CreateError(pub(crate) String);

/// A failure creating the table, with its whole chain of causes.
pub(crate) fn not_created(error: impl Error + Send + Sync + 'static) -> CreateError {
    CreateError(DisplayErrorContext(error).to_string())
}

/// Any failure, with its whole chain of causes for the log.
pub(crate) fn unavailable(error: impl Error + Send + Sync + 'static) -> StoreError {
    StoreError::Unavailable(DisplayErrorContext(error).to_string())
}

/// True when a single write was refused by its condition (and wrote nothing).
pub(crate) fn failed_condition(error: &impl ProvideErrorMetadata) -> bool {
    error.code() == Some("ConditionalCheckFailedException")
}

/// A single conditional write: a failed condition is the `conflict`.
pub(crate) fn conditional<E, R>(error: SdkError<E, R>, conflict: ConflictKind) -> StoreError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    if failed_condition(&error) {
        StoreError::Conflict(conflict)
    } else {
        unavailable(error)
    }
}

/// A cancelled transaction: the first item whose condition failed (or that another
/// transaction was changing at the same moment) tells which conflict it was, by its place in
/// `conflicts` (one per item of the transaction, `None` for items without a condition).
pub(crate) fn transaction(
    error: SdkError<TransactWriteItemsError>,
    conflicts: &[Option<ConflictKind>],
) -> StoreError {
    let reasons = match error.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(e)) => e.cancellation_reasons(),
        _ => return unavailable(error),
    };
    let failed = |wanted: &str| {
        reasons
            .iter()
            .zip(conflicts)
            .find(|(reason, conflict)| reason.code() == Some(wanted) && conflict.is_some())
            .and_then(|(_, conflict)| *conflict)
    };
    match failed("ConditionalCheckFailed").or_else(|| failed("TransactionConflict")) {
        Some(kind) => StoreError::Conflict(kind),
        None => unavailable(error),
    }
}

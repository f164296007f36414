//! What a use case can fail with; the HTTP layer maps each case to one status.

use lapor_domain::{FieldError, Violation};

use crate::ports::StoreError;

/// A use case's failure.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A domain rule refused it.
    #[error(transparent)]
    Rule(#[from] Violation),
    /// No valid credentials where they are required (401).
    #[error("authentication required")]
    Unauthenticated,
    /// Credentials were wrong (401).
    #[error("wrong credentials")]
    WrongCredentials,
    /// Too many failed attempts; try again later (429).
    #[error("too many attempts")]
    Throttled {
        /// Seconds until the next attempt is accepted.
        retry_after: u64,
    },
    /// Too much work at once (password hashing); try again shortly (503).
    #[error("busy")]
    Busy {
        /// Seconds to wait before trying again.
        retry_after: u64,
    },
    /// The same idempotency key was used with another request (422).
    #[error("idempotency key reused with a different request")]
    IdempotencyMismatch,
    /// The store could not be reached or failed (503).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

impl AppError {
    /// A single invalid field (422).
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Rule(Violation::field(field, message))
    }

    /// Several invalid fields (422).
    pub fn fields(errors: Vec<FieldError>) -> Self {
        Self::Rule(Violation::Invalid(errors))
    }

    /// A conflict with the current state (409).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Rule(Violation::Conflict(message.into()))
    }

    /// Forbidden (403).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Rule(Violation::Forbidden(message.into()))
    }

    /// Not found (404).
    pub fn not_found() -> Self {
        Self::Rule(Violation::NotFound)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => AppError::conflict(what.message()),
            StoreError::Unavailable(message) => AppError::Unavailable(message),
        }
    }
}

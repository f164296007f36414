//! Why the domain refuses something: each case maps to one HTTP status at the edge.

use serde::Serialize;

/// One invalid input field and what a person must change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's path in the request body, such as `location.province`.
    pub field: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl FieldError {
    /// A new field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A rule that an action would break.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// The actor may not see the report at all: it must look as if it did not exist (404).
    #[error("not found")]
    NotFound,
    /// The actor sees the report but may not do this (403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The report's state does not allow this now (409).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Some fields are invalid (422).
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
}

impl Violation {
    /// A single invalid field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }
}

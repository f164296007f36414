//! The first answers to requests sent with an `Idempotency-Key`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::StoreError;

/// The first answer to a request sent with an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// The caller and the key.
    pub scope: String,
    /// A hash of the request body: a retry must send the same.
    pub request_hash: String,
    /// The answer to give again.
    pub response: serde_json::Value,
    /// When it was first answered.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl IdempotencyRecord {
    /// How long a key is honoured, by both backends (the embedded one purges records past it,
    /// DynamoDB expires them by their time to live). Past that, its record may be gone and the
    /// key may be used again. A day covers a client's retries (a lost answer, a phone that was
    /// offline overnight); longer would only keep, for whoever holds the key and the body, the
    /// first answer, a public submission's access code included.
    pub const KEPT: time::Duration = time::Duration::hours(24);

    /// When the key stops being honoured.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.created_at + Self::KEPT
    }
}

/// Idempotency records, written with the report they created ([`super::NewReport::idempotency`]).
#[async_trait]
pub trait IdempotencyRecords: Send + Sync {
    /// The remembered answer for an idempotency scope (possibly expired: see
    /// [`IdempotencyRecord::expires_at`]).
    async fn idempotency(&self, scope: &str) -> Result<Option<IdempotencyRecord>, StoreError>;
}

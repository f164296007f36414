//! Records to and from their columns.

use lapor_app::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

/// A record as its JSON document.
pub(crate) fn to_doc<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Unavailable(format!("cannot encode a record: {e}")))
}

/// A record from its JSON document.
pub(crate) fn from_doc<T: DeserializeOwned>(doc: &str) -> Result<T, StoreError> {
    serde_json::from_str(doc)
        .map_err(|e| StoreError::Unavailable(format!("a stored record is unreadable: {e}")))
}

/// Records from their JSON documents.
pub(crate) fn from_docs<T: DeserializeOwned>(docs: &[String]) -> Result<Vec<T>, StoreError> {
    docs.iter().map(|d| from_doc(d)).collect()
}

/// A moment as a sortable number: Unix nanoseconds (fits until the year 2262).
pub(crate) fn nanos(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

/// SQLite integers are signed; versions and limits never come near the top.
pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_saturate() {
        assert_eq!(to_i64(u64::MAX), i64::MAX);
        assert_eq!(to_i64(7), 7);
    }
}

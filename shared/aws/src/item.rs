//! Reading and writing item attributes.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use lapor_app::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

/// An item as the SDK has it.
pub(crate) type Item = HashMap<String, AttributeValue>;

/// A string attribute.
pub(crate) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// A number attribute.
pub(crate) fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// Seconds since 1970, as DynamoDB's time to live reads them.
pub(crate) fn expires_at(at: OffsetDateTime) -> AttributeValue {
    n(at.unix_timestamp())
}

/// An item with its keys.
pub(crate) fn keyed(pk: impl Into<String>, sk: impl Into<String>) -> Item {
    HashMap::from([("pk".to_string(), s(pk)), ("sk".to_string(), s(sk))])
}

/// The JSON document of a value, the `doc` attribute of most items.
pub(crate) fn doc(value: &impl Serialize) -> Result<AttributeValue, StoreError> {
    serde_json::to_string(value)
        .map(AttributeValue::S)
        .map_err(|e| StoreError::Unavailable(format!("cannot encode a document: {e}")))
}

/// Reads the `doc` attribute of an item.
pub(crate) fn from_doc<T: DeserializeOwned>(item: &Item) -> Result<T, StoreError> {
    serde_json::from_str(text(item, "doc")?)
        .map_err(|e| StoreError::Unavailable(format!("a stored document is unreadable: {e}")))
}

/// A string attribute that must be there.
pub(crate) fn text<'a>(item: &'a Item, name: &str) -> Result<&'a str, StoreError> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
        .ok_or_else(|| StoreError::Unavailable(format!("an item lacks its `{name}`")))
}

/// A number attribute that must be there.
pub(crate) fn number(item: &Item, name: &str) -> Result<i64, StoreError> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| StoreError::Unavailable(format!("an item lacks its number `{name}`")))
}

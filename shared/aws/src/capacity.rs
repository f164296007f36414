//! DynamoDB's sizing rules, applied to what goes over the wire: the capacity a request consumes
//! in AWS, where an emulator reports none (or a flat figure).
//!
//! - An item's size is the sum of its attribute names' and values' sizes.
//! - A write consumes one unit per KB (rounded up) of the item, twice inside a transaction; each
//!   index that holds the item writes its projection of it once more.
//! - A read consumes one unit per 4 KB (rounded up) of the items it returns when strongly
//!   consistent, half as much when eventually consistent (every read of an index).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};

const WRITE_UNIT: usize = 1024;
const READ_UNIT: usize = 4096;

/// The size of an item as DynamoDB counts it.
pub(crate) fn item_size(item: &HashMap<String, AttributeValue>) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(text) => text.len(),
        // Up to 38 significant digits, two per byte, plus one.
        AttributeValue::N(number) => number.trim_start_matches('-').len().div_ceil(2) + 1,
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| k.len() + value_size(v) + 1)
                .sum::<usize>()
        }
        AttributeValue::L(list) => 3 + list.iter().map(|v| value_size(v) + 1).sum::<usize>(),
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        _ => 1,
    }
}

/// The write units of a transaction: twice each item's, plus once what an index holds of each
/// item put ([`index_write_units`]). A deleted item is not on the wire: it is counted at the size
/// of the largest item written beside it (in lapor, the only items a change deletes are list
/// entries, which carry the same document as the ones it writes), its index entries with it.
pub(crate) fn transaction_write_units(items: &[TransactWriteItem]) -> f64 {
    let sizes: Vec<Option<usize>> = items.iter().map(written_size).collect();
    let largest = sizes.iter().flatten().copied().max().unwrap_or(0);
    let mut units = 0.0;
    for (write, size) in items.iter().zip(&sizes) {
        let size = size.unwrap_or(largest);
        units += 2.0 * write_units(size);
        units += match (write.put(), write.delete()) {
            (Some(put), _) => index_write_units(put.item()),
            (None, Some(_)) => write_units(size) + 1.0,
            _ => 0.0,
        };
    }
    units
}

/// What the indexes write for an item put: the whole item into `list` (all attributes
/// projected), one small entry into `due`. An entry moved within an index (a new sort key) is
/// a removal and an insertion there; this counts the insertion only.
fn index_write_units(item: &HashMap<String, AttributeValue>) -> f64 {
    let list = if item.contains_key("gpk") {
        write_units(item_size(item))
    } else {
        0.0
    };
    let due = if item.contains_key("dpk") { 1.0 } else { 0.0 };
    list + due
}

/// The size of the item a transaction's write leaves behind, if the request shows it.
fn written_size(write: &TransactWriteItem) -> Option<usize> {
    if let Some(put) = write.put() {
        return Some(item_size(put.item()));
    }
    if let Some(update) = write.update() {
        let values = update.expression_attribute_values().map_or(0, item_size);
        return Some(item_size(update.key()) + values);
    }
    if let Some(check) = write.condition_check() {
        return Some(item_size(check.key()));
    }
    None
}

/// The write units of a single (non-transactional) write of an item of `size` bytes.
pub(crate) fn write_units(size: usize) -> f64 {
    size.div_ceil(WRITE_UNIT).max(1) as f64
}

/// The read units of a read that returned `items`.
pub(crate) fn read_units<'a>(
    items: impl IntoIterator<Item = &'a HashMap<String, AttributeValue>>,
    consistent: bool,
) -> f64 {
    let bytes: usize = items.into_iter().map(item_size).sum();
    let units = bytes.div_ceil(READ_UNIT).max(1) as f64;
    if consistent { units } else { units / 2.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::{Delete, Put};

    fn item(pairs: &[(&str, AttributeValue)]) -> HashMap<String, AttributeValue> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn sizes_follow_dynamodbs_rules() {
        let small = item(&[
            ("pk", AttributeValue::S("R#1".into())),
            ("version", AttributeValue::N("12".into())),
            ("late", AttributeValue::Bool(true)),
        ]);
        assert_eq!(item_size(&small), 2 + 3 + 7 + 2 + 4 + 1);
        assert_eq!(read_units([&small], true), 1.0);
        assert_eq!(read_units([&small], false), 0.5);
        let big = item(&[("doc", AttributeValue::S("x".repeat(5000)))]);
        assert_eq!(read_units([&big, &big], true), 3.0);
        assert_eq!(write_units(item_size(&big)), 5.0);
    }

    #[test]
    fn transactions_count_twice_and_deletes_at_their_neighbours_size() {
        let put = |size: usize| {
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name("t")
                        .set_item(Some(item(&[("doc", AttributeValue::S("x".repeat(size)))])))
                        .build()
                        .unwrap(),
                )
                .build()
        };
        let delete = TransactWriteItem::builder()
            .delete(
                Delete::builder()
                    .table_name("t")
                    .set_key(Some(item(&[("pk", AttributeValue::S("R#1".into()))])))
                    .build()
                    .unwrap(),
            )
            .build();
        assert_eq!(
            transaction_write_units(&[put(100), put(2000)]),
            2.0 * (1 + 2) as f64
        );
        assert_eq!(
            transaction_write_units(&[put(2000), delete]),
            2.0 * (2 + 2) as f64 + 2.0 + 1.0,
            "a deleted list entry leaves both indexes"
        );
    }

    #[test]
    fn indexed_items_cost_their_index_writes_too() {
        let listed = item(&[
            ("gpk", AttributeValue::S("FEED".into())),
            ("dpk", AttributeValue::S("N#pending".into())),
            ("doc", AttributeValue::S("x".repeat(1500))),
        ]);
        assert_eq!(index_write_units(&listed), 2.0 + 1.0);
        let plain = item(&[("pk", AttributeValue::S("R#1".into()))]);
        assert_eq!(index_write_units(&plain), 0.0);
    }
}

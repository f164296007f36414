//! The public feed and the work lists: one Query of the `list` index per page, newest change
//! first, from the cursor; filters (status, category, words, overdue) drop items server-side.
//! Each list a report is in ([`lapor_domain::worklist::listings`]) holds an entry of it, written
//! in the report's transaction.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Select};
use lapor_app::index::IndexFields;
use lapor_app::{Cursor, FeedQuery, InboxCounts, InboxQuery, Page, ReportLists, StoreError};
use lapor_domain::worklist::{InboxBox, Listing, Scope};
use lapor_domain::{Report, UserId};
use time::OffsetDateTime;

use crate::error::unavailable;
use crate::item::{Item, doc, from_doc, keyed, n, s};
use crate::table::{DUE_INDEX, LIST_INDEX};
use crate::write::Write;
use crate::{Dynamo, keys};

/// Items read per Query when a filter drops some: enough for a page in one request usually.
const FILTERED_READ: i32 = 200;

/// A filter expression with its names and values, built one condition at a time.
#[derive(Default)]
struct Filter {
    conditions: Vec<String>,
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl Filter {
    /// Adds `condition`, which may use `#attribute` and `:name`-style placeholders.
    fn and(&mut self, condition: String, names: &[&str], values: Vec<(String, AttributeValue)>) {
        self.conditions.push(condition);
        for name in names {
            self.names.insert(format!("#{name}"), (*name).to_string());
        }
        self.values.extend(values);
    }

    fn equals(&mut self, attribute: &str, value: &str) {
        let placeholder = format!(":{attribute}");
        self.and(
            format!("#{attribute} = {placeholder}"),
            &[attribute],
            vec![(placeholder, s(value))],
        );
    }

    fn words(&mut self, words: &[String]) {
        for (i, word) in words.iter().enumerate() {
            let placeholder = format!(":word{i}");
            self.and(
                format!("contains(#words, {placeholder})"),
                &["words"],
                vec![(placeholder, s(word))],
            );
        }
    }

    /// Overdue: marked so, or its deadline has passed.
    fn overdue(&mut self, now: OffsetDateTime) {
        self.and(
            "(#late = :late OR #due < :now)".to_string(),
            &["late", "due"],
            vec![
                (":late".to_string(), AttributeValue::Bool(true)),
                (":now".to_string(), n(now.unix_timestamp_nanos())),
            ],
        );
    }

    fn expression(&self) -> Option<String> {
        (!self.conditions.is_empty()).then(|| self.conditions.join(" AND "))
    }
}

/// A report's entry in one list: the whole document (a page is one Query) and what the list's
/// filters read.
fn list_item(report: &Report, fields: &IndexFields, listing: &Listing) -> Result<Item, StoreError> {
    let mut item = keyed(
        keys::report(report.tracking_id()),
        keys::list_entry(listing),
    );
    item.insert("gpk".into(), s(keys::list(listing)));
    item.insert(
        "gsk".into(),
        s(keys::list_position(report.updated_at(), report.id())),
    );
    item.insert("doc".into(), doc(report)?);
    item.insert("status".into(), s(fields.status.as_str()));
    item.insert("category".into(), s(&fields.category));
    item.insert("words".into(), s(&fields.search_text));
    if let Some(holder) = &fields.holder {
        item.insert("holder".into(), s(holder.as_str()));
    }
    if let Some(due) = fields.due_at {
        item.insert("due".into(), n(due.unix_timestamp_nanos()));
    }
    item.insert("late".into(), AttributeValue::Bool(fields.overdue_marked));
    if let Listing::Box(_, inbox) = listing
        && InboxBox::COUNTED.contains(inbox)
    {
        // Also in the small `due` index, which counts and finds deadlines without reading
        // the documents.
        item.insert("dpk".into(), s(keys::list(listing)));
        item.insert(
            "dsk".into(),
            s(keys::due_position(fields.due_at, report.id())),
        );
    }
    Ok(item)
}

impl Dynamo {
    /// The writes of a report's entries in every list it is in now, and the removal of its
    /// entries from the lists it has left.
    pub(crate) fn list_writes(
        &self,
        report: &Report,
        before: Option<&Report>,
    ) -> Result<Vec<Write>, StoreError> {
        let fields = IndexFields::of(report);
        let mut writes = Vec::new();
        for listing in &fields.listings {
            writes.push(self.put(list_item(report, &fields, listing)?, None)?);
        }
        let kept: HashSet<&Listing> = fields.listings.iter().collect();
        if let Some(before) = before {
            for listing in IndexFields::of(before).listings {
                if !kept.contains(&listing) {
                    writes.push(self.delete(
                        keys::report(report.tracking_id()),
                        keys::list_entry(&listing),
                    )?);
                }
            }
        }
        Ok(writes)
    }

    /// One page of a list: a single Query when nothing is filtered out.
    async fn page(
        &self,
        listing: &Listing,
        filter: Filter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Report>, StoreError> {
        let wanted = limit + 1;
        let read = match filter.expression() {
            None => i32::try_from(wanted).unwrap_or(i32::MAX),
            Some(_) => FILTERED_READ,
        };
        let mut values = filter.values.clone();
        values.insert(":list".into(), s(keys::list(listing)));
        let mut condition = "gpk = :list".to_string();
        if let Some(after) = after {
            condition.push_str(" AND gsk < :after");
            values.insert(
                ":after".into(),
                s(keys::list_position(after.updated_at, &after.id)),
            );
        }
        let mut items: Vec<Report> = Vec::new();
        let mut start = None;
        loop {
            let found = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(LIST_INDEX)
                .key_condition_expression(&condition)
                .set_filter_expression(filter.expression())
                .set_expression_attribute_names(
                    (!filter.names.is_empty()).then(|| filter.names.clone()),
                )
                .set_expression_attribute_values(Some(values.clone()))
                .scan_index_forward(false)
                .limit(read)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(unavailable)?;
            for item in found.items() {
                items.push(from_doc(item)?);
            }
            start = found.last_evaluated_key().cloned();
            if items.len() >= wanted || start.is_none() {
                break;
            }
        }
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|r| Cursor {
                updated_at: r.updated_at(),
                id: r.id().clone(),
            })
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn count(
        &self,
        listing: &Listing,
        now: OffsetDateTime,
    ) -> Result<(u64, u64), StoreError> {
        let mut filter = Filter::default();
        filter.overdue(now);
        let mut values = filter.values;
        values.insert(":list".into(), s(keys::list(listing)));
        let (mut all, mut overdue) = (0u64, 0u64);
        let mut start = None;
        loop {
            let found = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(DUE_INDEX)
                .key_condition_expression("dpk = :list")
                .set_filter_expression(filter.conditions.first().cloned())
                .set_expression_attribute_names(Some(filter.names.clone()))
                .set_expression_attribute_values(Some(values.clone()))
                .select(Select::Count)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(unavailable)?;
            all += u64::try_from(found.scanned_count()).unwrap_or(0);
            overdue += u64::try_from(found.count()).unwrap_or(0);
            start = found.last_evaluated_key().cloned();
            if start.is_none() {
                return Ok((all, overdue));
            }
        }
    }
}

#[async_trait]
impl ReportLists for Dynamo {
    async fn feed(&self, query: &FeedQuery) -> Result<Page<Report>, StoreError> {
        let mut filter = Filter::default();
        if let Some(status) = query.status {
            filter.equals("status", status.as_str());
        }
        if let Some(category) = &query.category {
            filter.equals("category", category);
        }
        if let Some(agency) = &query.agency_id {
            filter.equals("holder", agency.as_str());
        }
        filter.words(&query.words);
        self.page(&Listing::Feed, filter, query.after.as_ref(), query.limit)
            .await
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Page<Report>, StoreError> {
        let mut filter = Filter::default();
        filter.words(&query.words);
        if query.overdue_only {
            filter.overdue(query.now);
        }
        let listing = Listing::Box(query.scope.clone(), query.inbox);
        self.page(&listing, filter, query.after.as_ref(), query.limit)
            .await
    }

    async fn reported_by(
        &self,
        user: &UserId,
        limit: usize,
        after: Option<&Cursor>,
    ) -> Result<Page<Report>, StoreError> {
        self.page(
            &Listing::Reporter(user.clone()),
            Filter::default(),
            after,
            limit,
        )
        .await
    }

    /// The counts of the boxes with running deadlines, and how many of them are overdue: one
    /// counting Query of the small `due` index per box, whose filter counts the overdue and
    /// whose scan counts all.
    async fn inbox_counts(
        &self,
        scope: &Scope,
        now: OffsetDateTime,
    ) -> Result<InboxCounts, StoreError> {
        let mut counts = InboxCounts::default();
        for inbox in InboxBox::COUNTED {
            let (all, overdue) = self.count(&Listing::Box(scope.clone(), inbox), now).await?;
            match inbox {
                InboxBox::Verification => counts.verification = all,
                InboxBox::Pending => counts.pending = all,
                _ => counts.in_progress = all,
            }
            counts.overdue += overdue;
        }
        Ok(counts)
    }
}

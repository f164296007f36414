//! The public feed and the work lists.
//!
//! Which lists a report is in is the domain's rule, [`worklist::listings`]; this store keeps its
//! outcome, one row of `report_listings` per list (by [`Listing::key`]) written in the report's
//! own write, and reads a list as the rows of its key, newest change first, paged by
//! (updated_at, id) cursors. What is not a list (the feed's status, category and holder, words,
//! overdue) filters on the report's columns.
//!
//! [`worklist::listings`]: lapor_domain::worklist::listings

use std::collections::HashMap;

use async_trait::async_trait;
use lapor_app::index::IndexFields;
use lapor_app::{Cursor, FeedQuery, InboxCounts, InboxQuery, Page, ReportLists, StoreError};
use lapor_domain::worklist::{InboxBox, Listing, Scope};
use lapor_domain::{Report, ReportId, UserId};
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};
use time::OffsetDateTime;

use crate::Embedded;
use crate::codec::{from_doc, from_docs, nanos, to_i64};
use crate::sql::{execute, texts, unavailable};

/// A report is overdue when its deadline was marked so, or has passed.
const OVERDUE: &str = "(r.overdue_marked = 1 OR (r.due_at IS NOT NULL AND r.due_at < ?))";

/// The memberships of lists, each with its report's row (`l` and `r` in the clauses).
const LISTED: &str = "report_listings l JOIN reports r ON r.id = l.report_id";

/// Reports read per batch when the listings are rebuilt.
const REINDEX_BATCH: i64 = 500;

/// Rewrites a report's listings, inside the write of the report.
pub(crate) fn index(
    conn: &Connection,
    id: &ReportId,
    fields: &IndexFields,
) -> Result<(), StoreError> {
    let id = id.as_str();
    execute(
        conn,
        "DELETE FROM report_listings WHERE report_id = ?1",
        [id],
    )?;
    let updated_at = nanos(fields.updated_at);
    for listing in &fields.listings {
        let sql = "INSERT OR IGNORE INTO report_listings (list, updated_at, report_id) \
                   VALUES (?1, ?2, ?3)";
        execute(conn, sql, params![listing.key(), updated_at, id])?;
    }
    Ok(())
}

/// Rebuilds every report's listings from its document: for a file written before the listings
/// were kept, or by a release whose rule put reports in other lists.
pub(crate) fn reindex(conn: &Connection) -> Result<(), StoreError> {
    execute(conn, "DELETE FROM report_listings", [])?;
    let mut after = String::new();
    loop {
        let sql = "SELECT doc FROM reports WHERE id > ?1 ORDER BY id LIMIT ?2";
        let docs = texts(conn, sql, params![after, REINDEX_BATCH])?;
        for doc in &docs {
            let report: Report = from_doc(doc)?;
            index(conn, report.id(), &IndexFields::of(&report))?;
            after = report.id().as_str().to_string();
        }
        if docs.len() < REINDEX_BATCH as usize {
            return Ok(());
        }
    }
}

/// A WHERE clause under construction, with its parameters.
struct Filter {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Filter {
    fn listed_in(listing: &Listing) -> Self {
        Self {
            clauses: vec!["l.list = ?".to_string()],
            values: vec![Value::Text(listing.key())],
        }
    }

    fn and(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.to_string());
        self.values.extend(values);
    }

    fn words(&mut self, words: &[String]) {
        for word in words {
            self.and("instr(r.search_text, ?) > 0", [text(word)]);
        }
    }

    fn after(&mut self, after: Option<&Cursor>) {
        if let Some(c) = after {
            let at = nanos(c.updated_at);
            self.and(
                "(l.updated_at < ? OR (l.updated_at = ? AND l.report_id < ?))",
                [Value::Integer(at), Value::Integer(at), text(c.id.as_str())],
            );
        }
    }

    /// One page, newest change first; one row more than asked tells whether another page
    /// follows.
    async fn page(mut self, store: &Embedded, limit: usize) -> Result<Page<Report>, StoreError> {
        let sql = format!(
            "SELECT r.doc FROM {LISTED} WHERE {} \
             ORDER BY l.updated_at DESC, l.report_id DESC LIMIT ?",
            self.clauses.join(" AND ")
        );
        self.values.push(Value::Integer(to_i64(limit as u64 + 1)));
        let docs = store
            .db
            .read(move |conn| texts(conn, &sql, params_from_iter(self.values)))
            .await?;
        let mut items: Vec<Report> = from_docs(&docs)?;
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
}

#[async_trait]
impl ReportLists for Embedded {
    async fn feed(&self, query: &FeedQuery) -> Result<Page<Report>, StoreError> {
        let mut filter = Filter::listed_in(&Listing::Feed);
        if let Some(status) = query.status {
            filter.and("r.status = ?", [text(status.as_str())]);
        }
        if let Some(category) = &query.category {
            filter.and("r.category = ?", [text(category)]);
        }
        if let Some(agency) = &query.agency_id {
            filter.and("r.holder = ?", [text(agency.as_str())]);
        }
        filter.words(&query.words);
        filter.after(query.after.as_ref());
        filter.page(self, query.limit).await
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Page<Report>, StoreError> {
        let mut filter = Filter::listed_in(&Listing::Box(query.scope.clone(), query.inbox));
        filter.words(&query.words);
        if query.overdue_only {
            filter.and(OVERDUE, [Value::Integer(nanos(query.now))]);
        }
        filter.after(query.after.as_ref());
        filter.page(self, query.limit).await
    }

    async fn reported_by(
        &self,
        user: &UserId,
        limit: usize,
        after: Option<&Cursor>,
    ) -> Result<Page<Report>, StoreError> {
        let mut filter = Filter::listed_in(&Listing::Reporter(user.clone()));
        filter.after(after);
        filter.page(self, limit).await
    }

    async fn inbox_counts(
        &self,
        scope: &Scope,
        now: OffsetDateTime,
    ) -> Result<InboxCounts, StoreError> {
        let keys = InboxBox::COUNTED.map(|inbox| Listing::Box(scope.clone(), inbox).key());
        let sql = format!(
            "SELECT l.list, COUNT(*), COALESCE(SUM({OVERDUE}), 0) FROM {LISTED} \
             WHERE l.list IN ({}) GROUP BY l.list",
            vec!["?"; keys.len()].join(", ")
        );
        let mut values = vec![Value::Integer(nanos(now))];
        values.extend(keys.iter().map(|k| text(k)));
        let rows: HashMap<String, (i64, i64)> = self
            .db
            .read(move |conn| {
                conn.prepare_cached(&sql)
                    .and_then(|mut s| {
                        s.query_map(params_from_iter(values), |r| {
                            Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
                        })
                        .and_then(Iterator::collect)
                    })
                    .map_err(unavailable)
            })
            .await?;
        let mut counts = InboxCounts::default();
        for (inbox, key) in InboxBox::COUNTED.into_iter().zip(&keys) {
            let (all, overdue) = rows.get(key).map_or((0, 0), |&(all, overdue)| {
                (all.max(0) as u64, overdue.max(0) as u64)
            });
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

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

//! The public feed and the work lists: filters on the index columns, newest change first, paged
//! by (updated_at, id) cursors.

use lapor_app::{Cursor, FeedQuery, InboxBox, InboxCounts, InboxQuery, Page, Scope, StoreError};
use lapor_domain::Report;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use time::OffsetDateTime;

use crate::codec::{from_docs, nanos};
use crate::db::{texts, unavailable};
use crate::reports::to_i64;

/// The `agency` of a request link whose party is the national admins.
pub(crate) const NATIONAL: &str = "";

/// A report is overdue when its deadline was marked so, or has passed.
const OVERDUE: &str = "(overdue_marked = 1 OR (due_at IS NOT NULL AND due_at < ?))";

/// Reports linked to an agency as a copy or a request party.
const LINKED: &str = "id IN (SELECT report_id FROM report_links WHERE kind = ? AND agency = ?)";

/// A WHERE clause under construction, with its parameters.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Filter {
    fn and(&mut self, clause: &str, values: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.to_string());
        self.values.extend(values);
    }

    fn words(&mut self, words: &[String]) {
        for word in words {
            self.and("instr(search_text, ?) > 0", [Value::Text(word.clone())]);
        }
    }

    fn after(&mut self, after: Option<&Cursor>) {
        if let Some(c) = after {
            let at = nanos(c.updated_at);
            self.and(
                "(updated_at < ? OR (updated_at = ? AND id < ?))",
                [
                    Value::Integer(at),
                    Value::Integer(at),
                    Value::Text(c.id.as_str().to_string()),
                ],
            );
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1".to_string()
        } else {
            self.clauses.join(" AND ")
        }
    }
}

pub(crate) fn feed(conn: &Connection, query: &FeedQuery) -> Result<Page<Report>, StoreError> {
    let mut filter = Filter::default();
    filter.and("public = 1", []);
    if let Some(status) = query.status {
        filter.and("status = ?", [text(status.as_str())]);
    }
    if let Some(category) = &query.category {
        filter.and("category = ?", [text(category)]);
    }
    if let Some(agency) = &query.agency_id {
        filter.and("holder = ?", [text(agency.as_str())]);
    }
    filter.words(&query.words);
    filter.after(query.after.as_ref());
    page(conn, filter, query.limit)
}

pub(crate) fn inbox(conn: &Connection, query: &InboxQuery) -> Result<Page<Report>, StoreError> {
    let mut filter = Filter::default();
    let status = |inbox: InboxBox| match inbox {
        InboxBox::Verification => "submitted",
        InboxBox::Pending => "disposed",
        InboxBox::InProgress => "in_progress",
        _ => "closed",
    };
    match (&query.scope, query.inbox) {
        // The national admins see every copy, and the requests made to them.
        (Scope::National, InboxBox::Copies) => filter.and(
            "id IN (SELECT report_id FROM report_links WHERE kind = 'copy')",
            [],
        ),
        (Scope::National, InboxBox::Requests) => {
            filter.and(LINKED, [text("request"), text(NATIONAL)])
        }
        (Scope::Agency(id), InboxBox::Copies) => {
            filter.and(LINKED, [text("copy"), text(id.as_str())])
        }
        (Scope::Agency(id), InboxBox::Requests) => {
            filter.and(LINKED, [text("request"), text(id.as_str())])
        }
        // An agency verifies the reports addressed to it (the national admins verify all).
        (Scope::Agency(id), InboxBox::Verification) => {
            filter.and("target = ? AND status = 'submitted'", [text(id.as_str())])
        }
        (Scope::National, inbox) => filter.and("status = ?", [text(status(inbox))]),
        (Scope::Agency(id), inbox) => filter.and(
            "holder = ? AND status = ?",
            [text(id.as_str()), text(status(inbox))],
        ),
    }
    filter.words(&query.words);
    if query.overdue_only {
        filter.and(OVERDUE, [Value::Integer(nanos(query.now))]);
    }
    filter.after(query.after.as_ref());
    page(conn, filter, query.limit)
}

pub(crate) fn inbox_counts(
    conn: &Connection,
    scope: &Scope,
    now: OffsetDateTime,
) -> Result<InboxCounts, StoreError> {
    let mut filter = Filter::default();
    match scope {
        Scope::National => filter.and("status IN ('submitted', 'disposed', 'in_progress')", []),
        Scope::Agency(id) => filter.and(
            "((holder = ? AND status IN ('disposed', 'in_progress'))
              OR (target = ? AND status = 'submitted'))",
            [text(id.as_str()), text(id.as_str())],
        ),
    }
    let sql = format!(
        "SELECT COALESCE(SUM(status = 'submitted'), 0), COALESCE(SUM(status = 'disposed'), 0),
                COALESCE(SUM(status = 'in_progress'), 0), COALESCE(SUM({OVERDUE}), 0)
         FROM reports WHERE {}",
        filter.sql()
    );
    let mut values = vec![Value::Integer(nanos(now))];
    values.extend(filter.values);
    let counts: [i64; 4] = conn
        .prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_row(params_from_iter(values), |r| {
                Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
            })
        })
        .map_err(unavailable)?;
    let [verification, pending, in_progress, overdue] = counts.map(|n| n.max(0) as u64);
    Ok(InboxCounts {
        verification,
        pending,
        in_progress,
        overdue,
    })
}

/// One page, newest change first; one row more than asked tells whether another page follows.
fn page(conn: &Connection, mut filter: Filter, limit: usize) -> Result<Page<Report>, StoreError> {
    let sql = format!(
        "SELECT doc FROM reports WHERE {} ORDER BY updated_at DESC, id DESC LIMIT ?",
        filter.sql()
    );
    filter.values.push(Value::Integer(to_i64(limit as u64 + 1)));
    let mut items: Vec<Report> = from_docs(&texts(conn, &sql, params_from_iter(filter.values))?)?;
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|r| Cursor {
            updated_at: r.updated_at,
            id: r.id.clone(),
        })
    } else {
        None
    };
    Ok(Page { items, next })
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

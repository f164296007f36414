//! The statements every store runs: cached, with SQLite's failures as the ports report them.

use lapor_app::StoreError;
use rusqlite::Connection;

/// A database failure as the ports report it.
pub(crate) fn unavailable(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}

/// Runs one statement (cached), returning how many rows it changed.
pub(crate) fn execute(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<usize, StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute(params))
        .map_err(unavailable)
}

/// True when the query finds a row.
pub(crate) fn exists(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<bool, StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.exists(params))
        .map_err(unavailable)
}

/// The first column of every row, as text.
pub(crate) fn texts(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<String>, StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| {
            s.query_map(params, |r| r.get(0))
                .and_then(Iterator::collect::<Result<Vec<String>, _>>)
        })
        .map_err(unavailable)
}

/// The first column of the first row, as text.
pub(crate) fn text(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Option<String>, StoreError> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row(params, |r| r.get(0)).optional())
        .map_err(unavailable)
}

/// `?, ?, ...`, one per column of a comma-separated list.
pub(crate) fn placeholders(columns: &str) -> String {
    vec!["?"; columns.split(',').count()].join(", ")
}

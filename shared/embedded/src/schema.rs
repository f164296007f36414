//! The schema and its migrations. `PRAGMA user_version` records how many migrations the file has
//! had; each new migration is appended to [`MIGRATIONS`] and never edited once released.
//!
//! Records are kept whole as JSON documents (`doc`); the other columns are the index attributes
//! lists query by (`lapor_app::index::IndexFields`), written with the document in the same
//! transaction. Times are Unix nanoseconds, so they sort as numbers.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    "
    CREATE TABLE reports (
        id              TEXT PRIMARY KEY,
        tracking_id     TEXT NOT NULL UNIQUE,
        version         INTEGER NOT NULL,
        status          TEXT NOT NULL,
        holder          TEXT,
        target          TEXT,
        public          INTEGER NOT NULL,
        category        TEXT NOT NULL,
        search_text     TEXT NOT NULL,
        updated_at      INTEGER NOT NULL,
        due_at          INTEGER,
        overdue_marked  INTEGER NOT NULL,
        access_code_hash TEXT,
        doc             TEXT NOT NULL
    );
    CREATE INDEX reports_by_feed ON reports (public, updated_at DESC, id DESC);
    CREATE INDEX reports_by_status ON reports (status, updated_at DESC, id DESC);
    CREATE INDEX reports_by_holder ON reports (holder, status, updated_at DESC, id DESC);

    -- Copies (kind 'copy') and parties of 'not our authority' requests (kind 'request'; the
    -- national admins are agency '').
    CREATE TABLE report_links (
        report_id TEXT NOT NULL REFERENCES reports (id),
        kind      TEXT NOT NULL,
        agency    TEXT NOT NULL,
        PRIMARY KEY (report_id, kind, agency)
    ) WITHOUT ROWID;
    CREATE INDEX report_links_by_agency ON report_links (kind, agency, report_id);

    CREATE TABLE timeline (
        report_id TEXT NOT NULL REFERENCES reports (id),
        seq       INTEGER NOT NULL,
        doc       TEXT NOT NULL,
        PRIMARY KEY (report_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE outbox (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        id      TEXT NOT NULL UNIQUE,
        doc     TEXT NOT NULL,
        sent_at INTEGER
    );
    CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;

    CREATE TABLE idempotency (
        scope TEXT PRIMARY KEY,
        doc   TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE users (
        id    TEXT PRIMARY KEY,
        email TEXT UNIQUE,
        phone TEXT UNIQUE,
        doc   TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE agencies (
        id  TEXT PRIMARY KEY,
        doc TEXT NOT NULL
    ) WITHOUT ROWID;

    -- Failures per key in the current fixed window.
    CREATE TABLE throttle (
        key          TEXT PRIMARY KEY,
        window_start INTEGER NOT NULL,
        failures     INTEGER NOT NULL
    ) WITHOUT ROWID;
    ",
    // 2: agencies carry a version (their documents without one are version 1); throttling counts
    // every attempt rather than failures only; the agency verification box has its index.
    "
    ALTER TABLE agencies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE throttle RENAME COLUMN failures TO attempts;
    CREATE INDEX reports_by_target ON reports (target, status, updated_at DESC, id DESC);
    ",
    // 3: idempotency records and throttle counters expire, and are purged as new ones come.
    // Records kept so far are honoured for another full period.
    "
    ALTER TABLE idempotency ADD COLUMN expires INTEGER NOT NULL DEFAULT 0;
    UPDATE idempotency SET expires = (CAST(strftime('%s', 'now') AS INTEGER) + 2592000) * 1000000000;
    CREATE INDEX idempotency_by_expiry ON idempotency (expires);
    CREATE INDEX throttle_by_window ON throttle (window_start);
    ",
    // 4: upload records; those never attached are purged as new ones come.
    "
    CREATE TABLE attachments (
        id         TEXT PRIMARY KEY,
        report_id  TEXT REFERENCES reports (id),
        created_at INTEGER NOT NULL,
        doc        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX attachments_unattached ON attachments (created_at) WHERE report_id IS NULL;
    ",
    // 5: the jobs' agenda: when deadline-check and auto-close next have work on a report
    // (`lapor_domain::jobs::Agenda`), each indexed by time for the reports that have one. Open
    // reports written before this have theirs set to the start of time, so that the first pass
    // of each job looks at them once and stores their real agenda.
    "
    ALTER TABLE reports ADD COLUMN deadline_check_at INTEGER;
    ALTER TABLE reports ADD COLUMN auto_close_at INTEGER;
    UPDATE reports SET deadline_check_at = 0 WHERE status IN ('submitted', 'disposed', 'in_progress');
    UPDATE reports SET auto_close_at = 0 WHERE status = 'in_progress';
    CREATE INDEX reports_by_deadline_check ON reports (deadline_check_at, id)
        WHERE deadline_check_at IS NOT NULL;
    CREATE INDEX reports_by_auto_close ON reports (auto_close_at, id)
        WHERE auto_close_at IS NOT NULL;
    ",
    // 6: in-app notifications (one per outbox message and audience), their read marks, and
    // the webhook deliveries done.
    "
    CREATE TABLE notifications (
        audience TEXT NOT NULL,
        id       TEXT NOT NULL,
        doc      TEXT NOT NULL,
        PRIMARY KEY (audience, id)
    ) WITHOUT ROWID;
    CREATE TABLE notification_reads (
        reader TEXT NOT NULL,
        id     TEXT NOT NULL,
        PRIMARY KEY (reader, id)
    ) WITHOUT ROWID;
    CREATE TABLE deliveries (
        key TEXT PRIMARY KEY,
        at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE delivery_failures (
        key      TEXT PRIMARY KEY,
        failures INTEGER NOT NULL
    ) WITHOUT ROWID;
    ",
];

/// Brings the file's schema up to date, in one transaction.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let done: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        // A newer release wrote this file: refuse rather than guess.
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "the database has schema version {done}, newer than this release knows ({})",
            MIGRATIONS.len()
        )));
    }
    for sql in &MIGRATIONS[done..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_file_of_the_first_release_keeps_its_records() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO agencies (id, doc) VALUES ('a1', '{}');
             INSERT INTO throttle (key, window_start, failures) VALUES ('login:x', 5, 3);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let agency_version: i64 = conn
            .query_row("SELECT version FROM agencies WHERE id = 'a1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        let attempts: i64 = conn
            .query_row("SELECT attempts FROM throttle", [], |r| r.get(0))
            .unwrap();
        assert_eq!((agency_version, attempts), (1, 3));
    }

    #[test]
    fn open_reports_of_an_earlier_release_are_due_for_a_first_look_by_the_jobs() {
        let mut conn = Connection::open_in_memory().unwrap();
        // The agenda came with migration 5: a file of the release before it has 4.
        let before_agenda = 4;
        for sql in &MIGRATIONS[..before_agenda] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", before_agenda as i64)
            .unwrap();
        for (id, status) in [("r1", "in_progress"), ("r2", "disposed"), ("r3", "closed")] {
            conn.execute(
                "INSERT INTO reports (id, tracking_id, version, status, public, category,
                     search_text, updated_at, overdue_marked, doc)
                 VALUES (?1, ?1, 1, ?2, 1, 'c', 's', 0, 0, '{}')",
                [id, status],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let planned: Vec<(Option<i64>, Option<i64>)> = conn
            .prepare("SELECT deadline_check_at, auto_close_at FROM reports ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(planned, [(Some(0), Some(0)), (Some(0), None), (None, None)]);
    }

    #[test]
    fn a_newer_file_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        assert!(migrate(&mut conn).is_err());
    }
}

//! The schema and its migrations. `PRAGMA user_version` records how many migrations the file has
//! had; each new migration is appended to [`MIGRATIONS`] and never edited once released.
//!
//! Records are kept whole as JSON documents (`doc`); the other columns, and the lists a report is
//! in (`report_listings`), are the index attributes lists query by
//! (`lapor_app::index::IndexFields`), written with the document in the same transaction. Times
//! are Unix nanoseconds, so they sort as numbers.

use rusqlite::{Connection, Transaction};

use crate::lists;

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
    // 7: the lists a report is in (`lapor_domain::worklist::listings`), one row per list by its
    // key, replace the columns and links the lists were once filtered by. Filled from each
    // report's document by the step after it (`lists::reindex`).
    "
    CREATE TABLE report_listings (
        list       TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        report_id  TEXT NOT NULL REFERENCES reports (id),
        PRIMARY KEY (list, updated_at, report_id)
    ) WITHOUT ROWID;
    CREATE INDEX report_listings_by_report ON report_listings (report_id);
    DROP TABLE report_links;
    DROP INDEX reports_by_feed;
    DROP INDEX reports_by_status;
    DROP INDEX reports_by_holder;
    DROP INDEX reports_by_target;
    ALTER TABLE reports DROP COLUMN public;
    ALTER TABLE reports DROP COLUMN target;
    ",
    // 8: the staff lists an account is in (`lapor_app::StaffList::of`), one row per list by its
    // key. Filled from the accounts and their agencies by the step after it.
    "
    CREATE TABLE staff_lists (
        list    TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id),
        PRIMARY KEY (list, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX staff_lists_by_user ON staff_lists (user_id);
    ",
    // 9: throttle counters keep the count of the window before theirs, for a sliding window.
    "
    ALTER TABLE throttle ADD COLUMN previous INTEGER NOT NULL DEFAULT 0;
    ",
    // 10: the web pages' sessions (`lapor_app::Session`), by the hash of their id.
    "
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        doc TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);
    ",
    // 11: the category tree (`lapor_domain::category::Categories`), one row for the whole tree.
    "
    CREATE TABLE categories (
        only    INTEGER PRIMARY KEY CHECK (only = 1),
        version INTEGER NOT NULL,
        doc     TEXT NOT NULL
    );
    ",
    // 12: a reporter's own list (`Listing::Reporter`), filled by rebuilding the listings in
    // the step after it.
    "SELECT 1;",
    // 13: each agency's rating tally (`lapor_domain::rating`), added to by the write that rates
    // a report; counted here from the reports' ratings as they stand (an answer rated before a
    // report was reopened and rated again is not in their documents any more).
    "
    CREATE TABLE agency_ratings (
        agency_id TEXT PRIMARY KEY,
        count     INTEGER NOT NULL,
        stars     INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO agency_ratings (agency_id, count, stars)
        SELECT json_extract(doc, '$.rating.agency_id'), COUNT(*),
               SUM(json_extract(doc, '$.rating.stars'))
        FROM reports
        WHERE json_extract(doc, '$.rating.agency_id') IS NOT NULL
        GROUP BY 1;
    ",
];

/// What a migration needs beyond its SQL, run right after it: a step in Rust, by the number of
/// the migration it follows, for what only the domain can derive from a document. A step runs
/// this release's code: a later migration that changes the tables a step writes moves the step
/// after itself. A release whose `worklist::listings` puts reports in other lists appends a
/// migration followed by the listings' step again.
const STEPS: &[(usize, Step)] = &[
    (7, reindex_listings),
    (8, list_staff),
    (12, reindex_listings),
];

type Step = fn(&Transaction) -> Result<(), rusqlite::Error>;

fn reindex_listings(tx: &Transaction) -> Result<(), rusqlite::Error> {
    // The one variant of rusqlite's error that carries another error as it is.
    lists::reindex(tx).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

fn list_staff(tx: &Transaction) -> Result<(), rusqlite::Error> {
    crate::accounts::relist_staff(tx).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

/// Brings the file's schema up to date, in one transaction. A file already up to date is not
/// written to: it may be on a disk that turned read-only, where reads are still served.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current == MIGRATIONS.len() as i64 {
        return Ok(());
    }
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
    for (number, sql) in (1..).zip(MIGRATIONS).skip(done) {
        tx.execute_batch(sql)?;
        for (_, step) in STEPS.iter().filter(|(after, _)| *after == number) {
            step(&tx)?;
        }
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use lapor_domain::fields::WorkingDays;
    use lapor_domain::{AgencyId, AgencyPath, AgencyRef, Report, Zone, worklist};
    use serde_json::{Value, json};
    use time::format_description::well_known::Rfc3339;
    use time::macros::datetime;

    use super::*;
    use crate::codec::nanos;

    /// A file at migration `version`, as the release of that migration left it.
    fn file_at(version: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64)
            .unwrap();
        conn
    }

    fn ulid(n: u32) -> String {
        format!("{n:026}")
    }

    fn agency(n: u32) -> AgencyRef {
        let id = AgencyId::parse(&ulid(n)).unwrap();
        AgencyRef {
            path: AgencyPath::root(id.clone()),
            id,
            name: format!("Instansi {n}"),
            zone: Zone::Wib,
            response_days: WorkingDays::RESPONSE_DEFAULT,
        }
    }

    /// Report `n` in `status`, last changed `n` seconds into the day, with `patch` merged into
    /// its document (objects key by key).
    fn report(n: u32, status: &str, patch: Value) -> Report {
        fn merge(doc: &mut Value, patch: Value) {
            match (doc, patch) {
                (Value::Object(doc), Value::Object(patch)) => {
                    for (key, value) in patch {
                        merge(doc.entry(key).or_insert(Value::Null), value);
                    }
                }
                (doc, patch) => *doc = patch,
            }
        }
        let at = |at: time::OffsetDateTime| at.format(&Rfc3339).unwrap();
        let t0 = datetime!(2025-06-02 00:00 UTC);
        let mut doc = json!({
            "id": ulid(1_000_000 + n),
            "tracking_id": (10_000_000 + n).to_string(),
            "submission": {
                "classification": "complaint",
                "title": format!("Jalan rusak nomor {n}"),
                "body": "Jalan di depan pasar berlubang besar dan membahayakan.",
                "category": "infrastruktur",
                "incident_date": "2025-05-30",
                "location": {"province": "Jawa Barat", "regency": "Kota Bandung"},
                "target": null,
                "anonymous": false,
                "confidential": false,
            },
            "channel": "web",
            "status": status,
            "reporter": {"user_id": null, "name": null},
            "waiting_since": at(t0),
            "rating": null,
            "created_at": at(t0),
            "updated_at": at(t0 + time::Duration::seconds(n.into())),
            "version": 1,
        });
        merge(&mut doc, patch);
        serde_json::from_value(doc).unwrap()
    }

    /// Inserts a report as the releases of migrations 4 to 6 wrote it.
    fn insert(conn: &Connection, report: &Report) {
        conn.execute(
            "INSERT INTO reports (id, tracking_id, version, status, public, category,
                 search_text, updated_at, overdue_marked, doc)
             VALUES (?1, ?2, 1, ?3, 1, 'c', 's', ?4, 0, ?5)",
            rusqlite::params![
                report.id().as_str(),
                report.tracking_id().as_str(),
                report.status().as_str(),
                nanos(report.updated_at()),
                serde_json::to_string(report).unwrap(),
            ],
        )
        .unwrap();
    }

    /// Every listing row: report id, list key, time.
    fn listings(conn: &Connection) -> Vec<(String, String, i64)> {
        conn.prepare(
            "SELECT report_id, list, updated_at FROM report_listings ORDER BY report_id, list",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

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
        let mut conn = file_at(1);
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
        // The agenda came with migration 5: a file of the release before it has 4.
        let mut conn = file_at(4);
        for (n, status) in [(1, "in_progress"), (2, "disposed"), (3, "closed")] {
            insert(&conn, &report(n, status, json!({})));
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
    fn reports_of_an_earlier_release_are_listed_in_their_boxes() {
        // The listings came with migration 7: a file of the release before it has 6.
        let mut conn = file_at(6);
        let (a, b) = (agency(1), agency(2));
        let held_by = |agency: &AgencyRef| json!([{"to": agency, "by": null}]);
        let reports = [
            // Addressed to A, waiting for verification.
            report(1, "submitted", json!({"submission": {"target": a}})),
            // Disposed to B, and public.
            report(2, "disposed", json!({"chain": held_by(&b)})),
            // Held by B, confidential, with a copy to A.
            report(
                3,
                "in_progress",
                json!({
                    "submission": {"confidential": true},
                    "chain": held_by(&b),
                    "copies": [a],
                }),
            ),
            // Closed by A, who had asked the national admins to take it back.
            report(
                4,
                "closed",
                json!({
                    "chain": held_by(&a),
                    "requests": [{
                        "id": ulid(9),
                        "from": a,
                        "to": null,
                        "reason": "Bukan kewenangan instansi kami.",
                        "at": "2025-06-02T00:00:00Z",
                        "decision": null,
                    }],
                }),
            ),
            // Returned to the reporter: in no list.
            report(5, "returned", json!({})),
        ];
        for report in &reports {
            insert(&conn, report);
        }

        migrate(&mut conn).unwrap();

        let listed = listings(&conn);
        let found: Vec<(&str, &str)> = listed
            .iter()
            .map(|(id, list, _)| (id.as_str(), list.as_str()))
            .collect();
        let (id, of_a, of_b) = (
            |n: usize| reports[n - 1].id().as_str(),
            |list: &str| format!("agency/{}/{list}", a.id),
            |list: &str| format!("agency/{}/{list}", b.id),
        );
        let expected = [
            (id(1), of_a("verification")),
            (id(1), "national/verification".into()),
            (id(2), of_b("pending")),
            (id(2), "feed".into()),
            (id(2), "national/pending".into()),
            (id(3), of_a("copies")),
            (id(3), of_b("in_progress")),
            (id(3), "national/copies".into()),
            (id(3), "national/in_progress".into()),
            (id(4), of_a("closed")),
            (id(4), of_a("requests")),
            (id(4), "feed".into()),
            (id(4), "national/closed".into()),
            (id(4), "national/requests".into()),
        ];
        let expected: Vec<(&str, &str)> = expected.iter().map(|(i, l)| (*i, l.as_str())).collect();
        assert_eq!(found, expected);
        // Exactly the domain's listings, each at its report's last change.
        for report in &reports {
            let mut keys: Vec<String> =
                worklist::listings(report).iter().map(|l| l.key()).collect();
            keys.sort();
            let rows: Vec<_> = listed
                .iter()
                .filter(|(id, ..)| id == report.id().as_str())
                .collect();
            assert_eq!(
                rows.iter().map(|(_, list, _)| list).collect::<Vec<_>>(),
                keys.iter().collect::<Vec<_>>()
            );
            assert!(
                rows.iter()
                    .all(|(.., at)| *at == nanos(report.updated_at()))
            );
        }
        let gone = "SELECT 1 FROM sqlite_schema WHERE name = 'report_links'";
        assert!(!conn.prepare(gone).unwrap().exists([]).unwrap());
    }

    #[test]
    fn every_report_of_a_large_file_is_listed() {
        let mut conn = file_at(6);
        let many = 1234;
        for n in 1..=many {
            insert(&conn, &report(n, "submitted", json!({})));
        }
        migrate(&mut conn).unwrap();
        let listed = listings(&conn);
        assert_eq!(listed.len(), many as usize);
        assert!(
            listed
                .iter()
                .all(|(_, list, _)| list == "national/verification")
        );
    }

    #[test]
    fn rated_reports_of_an_earlier_release_count_in_their_agencies_ratings() {
        let mut conn = file_at(6);
        let (a, b) = (agency(1), agency(2));
        let rated = |n, agency: &AgencyRef, stars| {
            let rating = json!({"stars": stars, "comment": null, "agency_id": agency.id});
            report(n, "closed", json!({"rating": rating, "rated": true}))
        };
        for report in [rated(1, &a, 5), rated(2, &a, 2), rated(3, &b, 4)] {
            insert(&conn, &report);
        }
        insert(&conn, &report(4, "closed", json!({})));
        migrate(&mut conn).unwrap();
        let tally = |agency: &AgencyRef| crate::ratings::tally(&conn, &agency.id).unwrap();
        assert_eq!((tally(&a).count, tally(&a).stars), (2, 7));
        assert_eq!((tally(&b).count, tally(&b).stars), (1, 4));
        assert_eq!(tally(&agency(3)).count, 0);
    }

    #[test]
    fn a_newer_file_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        assert!(migrate(&mut conn).is_err());
    }
}

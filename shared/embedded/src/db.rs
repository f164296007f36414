//! The SQLite file: one writer connection, a few reader connections, all used off the async
//! threads.
//!
//! WAL lets readers run while the writer writes; `synchronous = NORMAL` in WAL mode keeps every
//! committed transaction across a process crash (kill -9) and loses at most the last ones on a
//! power cut, the usual trade for a server. Writes go through one connection in `BEGIN
//! IMMEDIATE` transactions, so their checks and their writes cannot interleave.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use lapor_app::StoreError;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::schema;
use crate::sql::unavailable;

/// Reader connections kept open between reads.
const IDLE_READERS: usize = 8;

/// How long a write waits for another process's write (a job run from the command line).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The database file and its connections.
pub(crate) struct Db {
    path: std::path::PathBuf,
    /// `None` after the disk failed a write: opened anew by the next one.
    writer: Mutex<Option<Connection>>,
    /// Idle readers, each with the generation it was opened in.
    readers: Mutex<Vec<(u64, Connection)>>,
    /// One more each time the disk failed a write: a reader opened before is closed rather
    /// than kept (see [`Db::write`]).
    generation: AtomicU64,
}

impl Db {
    /// Opens (creating and migrating) the database file.
    pub(crate) fn open(path: &Path) -> Result<Arc<Self>, rusqlite::Error> {
        let mut writer = connect(path)?;
        // Set once, kept by the file; not set again, which would be a write.
        let mode: String = writer.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            writer.pragma_update(None, "journal_mode", "WAL")?;
        }
        schema::migrate(&mut writer)?;
        Ok(Arc::new(Self {
            path: path.to_path_buf(),
            writer: Mutex::new(Some(writer)),
            readers: Mutex::new(Vec::new()),
            generation: AtomicU64::new(0),
        }))
    }

    /// Runs `f` in one write transaction on a blocking thread; commits if it returns `Ok`.
    pub(crate) async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.clone();
        blocking(move || {
            let mut writer = db.writer.lock().unwrap_or_else(PoisonError::into_inner);
            let written = (|| {
                let conn = match writer.as_mut() {
                    Some(conn) => conn,
                    None => writer.insert(connect(&db.path).map_err(unavailable)?),
                };
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(unavailable)?;
                let value = f(&tx)?;
                tx.commit().map_err(unavailable)?;
                Ok(value)
            })();
            if let Err(StoreError::Unavailable(_)) = &written {
                // The disk failed the write (full, turned read-only, an I/O error): the
                // connections are closed, and the next write opens them anew, so writes resume
                // once the disk takes them, with no restart. SQLite keeps a connection that
                // opened the file on a read-only disk read-only for good, and the connections
                // of one process share the log's index (`-shm`) as the first of them opened it.
                *writer = None;
                db.generation.fetch_add(1, Ordering::SeqCst);
                db.readers
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clear();
            }
            written
        })
        .await
    }

    /// Runs `f` on a reader connection on a blocking thread.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.clone();
        blocking(move || {
            let generation = db.generation.load(Ordering::SeqCst);
            let idle = db
                .readers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let conn = match idle {
                Some((opened, conn)) if opened == generation => conn,
                _ => connect(&db.path).map_err(unavailable)?,
            };
            // One read transaction: everything `f` reads comes from one snapshot, so a report
            // and its timeline never straddle a concurrent write.
            let value = conn
                .unchecked_transaction()
                .map_err(unavailable)
                .and_then(|tx| {
                    let value = f(&tx);
                    tx.finish().map_err(unavailable)?;
                    value
                });
            let mut readers = db.readers.lock().unwrap_or_else(PoisonError::into_inner);
            // A connection left inside a transaction (its end failed) would pin an old
            // snapshot for every later read, and one from before a failed write would keep the
            // log's index as it was opened then: close them instead of keeping them.
            let current = generation == db.generation.load(Ordering::SeqCst);
            if readers.len() < IDLE_READERS && conn.is_autocommit() && current {
                readers.push((generation, conn));
            }
            value
        })
        .await
    }
}

fn connect(path: &Path) -> Result<Connection, rusqlite::Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

async fn blocking<T, F>(f: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Unavailable(format!("database task failed: {e}")))?
}

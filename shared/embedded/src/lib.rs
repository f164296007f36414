//! The embedded backend of lapor: every store in one SQLite file under the data directory.
//!
//! Used by `lapor-local` (development and single-machine deployments) and by the tests. Each
//! port of `lapor-app` is implemented with the same behaviour as the AWS backend; the contract
//! suite in `lapor-app` checks both.

mod access_codes;
mod accounts;
mod agenda;
mod attachments;
mod blobs;
mod bus;
mod codec;
mod db;
mod idempotency;
mod lists;
mod notifications;
mod outbox;
mod reports;
mod schema;
mod sql;
mod throttle;

use std::path::Path;
use std::sync::Arc;

pub use blobs::FolderBlobs;
pub use bus::{EVENTS_FILE, FileEventBus};

/// The database file's name in the data directory.
pub const DATABASE_FILE: &str = "lapor.db";

/// Why the data directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The directory cannot be created.
    #[error("cannot create the data directory: {0}")]
    Directory(#[from] std::io::Error),
    /// The database cannot be opened or migrated.
    #[error("cannot open the database: {0}")]
    Database(#[from] rusqlite::Error),
}

/// Every store of lapor on one SQLite file. Cheap to clone: clones share the connections.
#[derive(Clone)]
pub struct Embedded {
    db: Arc<db::Db>,
}

impl Embedded {
    /// Opens the database in `data_dir`, creating the directory and the schema when missing.
    pub fn open(data_dir: &Path) -> Result<Self, OpenError> {
        std::fs::create_dir_all(data_dir)?;
        let db = db::Db::open(&data_dir.join(DATABASE_FILE))?;
        Ok(Self { db })
    }
}

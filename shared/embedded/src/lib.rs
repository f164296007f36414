//! The embedded backend of lapor: every store in one SQLite file under the data directory.
//!
//! Used by `lapor-local` (development and single-machine deployments) and by the tests. Each
//! port of `lapor-app` is implemented with the same behaviour as the AWS backend; the contract
//! suite in `lapor-app` checks both.

mod access_codes;
mod accounts;
mod agenda;
mod attachments;
pub mod backup;
mod blobs;
mod bus;
mod categories;
mod codec;
mod db;
mod idempotency;
mod lists;
mod notifications;
mod outbox;
mod private;
mod ratings;
mod reports;
mod schema;
mod sessions;
mod sql;
mod throttle;

use std::path::Path;
use std::sync::Arc;

pub use blobs::{FolderBlobs, SignedDownload};
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
    /// Opens the database in `data_dir`, creating the directory and the schema when missing:
    /// the directory readable by the owner only, and the database file (with its `-wal` and
    /// `-shm`) too, since it holds reporters' contacts and password hashes.
    pub fn open(data_dir: &Path) -> Result<Self, OpenError> {
        private::create_dir(data_dir)?;
        private::warn_if_shared(data_dir);
        let path = data_dir.join(DATABASE_FILE);
        private::prepare_database(&path)?;
        let db = db::Db::open(&path)?;
        Ok(Self { db })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    }

    fn database_files(dir: &Path) -> [std::path::PathBuf; 3] {
        ["", "-wal", "-shm"].map(|suffix| dir.join(format!("{DATABASE_FILE}{suffix}")))
    }

    #[test]
    fn the_data_directory_and_the_database_are_the_owners_only() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("data").join("lapor");
        let store = Embedded::open(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(dir.parent().unwrap()), 0o700, "each directory made");
        // Open in WAL mode, the database has its -wal and -shm beside it.
        for file in database_files(&dir) {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
        drop(store);
    }

    #[test]
    fn database_files_an_earlier_version_left_open_are_closed() {
        let dir = tempfile::tempdir().unwrap();
        drop(Embedded::open(dir.path()).unwrap());
        let files = database_files(dir.path());
        for file in &files {
            // A crash leaves -wal and -shm behind; make sure all three exist as an old one left them.
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .unwrap();
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let _store = Embedded::open(dir.path()).unwrap();
        for file in &files {
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
    }

    #[tokio::test]
    async fn attachments_and_events_are_the_owners_only() {
        use lapor_app::{BlobStore, EventBus, IntegrationEvent};
        let dir = tempfile::tempdir().unwrap();
        let blobs = FolderBlobs::open(dir.path(), b"a secret of thirty-two bytes or more").unwrap();
        let pending = "attachments/pending/0123456789abcdef0123456789abcdef";
        let kept = "attachments/kept/0123456789abcdef0123456789abcdef";
        std::fs::create_dir_all(dir.path().join("attachments/pending")).unwrap();
        std::fs::write(dir.path().join(pending), b"\x89PNG").unwrap();
        std::fs::write(dir.path().join(format!("{pending}.type")), b"image/png").unwrap();
        blobs.copy(pending, kept).await.unwrap();
        assert_eq!(mode(&dir.path().join("attachments/kept")), 0o700);
        assert_eq!(mode(&dir.path().join(kept)), 0o600);
        assert_eq!(mode(&dir.path().join(format!("{kept}.type"))), 0o600);

        let bus = FileEventBus::new(dir.path());
        let event = IntegrationEvent {
            id: "01JDF5M00000000000000002R1".to_string(),
            detail_type: "report.submitted".to_string(),
            time: time::OffsetDateTime::UNIX_EPOCH,
            detail: serde_json::json!({}),
        };
        bus.publish(&[event]).await.unwrap();
        assert_eq!(mode(&dir.path().join(EVENTS_FILE)), 0o600);
    }
}

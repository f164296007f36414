//! Backups of a single-machine deployment: the whole data directory in one tar file, taken
//! while the server runs, and restored into an empty directory.
//!
//! The database goes in as a consistent snapshot, made by SQLite's online backup in one step
//! (in WAL mode the server's writes go on meanwhile; a backup in several steps would start
//! over at each of them). The other files follow as they are: the attachments, the secrets
//! that sign tokens and URLs, the integration events. A file is kept before the report that
//! names it is written, so every attachment the snapshot names is in the folder when it is
//! copied after it. Uploads never attached are left out: they expire within a day anyway.
//!
//! The archive holds reporters' contacts and password hashes, as the directory does: it is
//! written readable by its owner only.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use lapor_app::attachments::BlobKey;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use crate::{DATABASE_FILE, private};

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("the database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{0} is not empty: a backup is restored into a new data directory")]
    NotEmpty(PathBuf),
    #[error("the archive holds no database: it is not a backup of lapor")]
    NoDatabase,
    #[error("the archive holds links or devices: it is not a backup of lapor")]
    NotABackup,
}

/// Writes a backup of `data_dir` to `archive` (a new file); answers how many files it holds.
pub fn backup(data_dir: &Path, archive: &Path) -> Result<usize, BackupError> {
    let staging = tempfile::tempdir_in(archive.parent().unwrap_or(Path::new(".")))?;
    let snapshot = staging.path().join(DATABASE_FILE);
    snapshot_database(&data_dir.join(DATABASE_FILE), &snapshot)?;

    let file = private::file_options()
        .write(true)
        .create_new(true)
        .open(archive)?;
    let mut tar = tar::Builder::new(file);
    tar.mode(tar::HeaderMode::Deterministic);
    tar.append_path_with_name(&snapshot, DATABASE_FILE)?;
    let mut files = 1;
    for path in files_of(data_dir)? {
        let name = path.strip_prefix(data_dir).unwrap_or(&path);
        // A file the server appends to meanwhile (the events) goes in at the length it had
        // when its header was written, so the archive stays whole.
        let file = File::open(&path)?;
        let length = file.metadata()?.len();
        let mut header = tar::Header::new_gnu();
        header.set_size(length);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, name, io::Read::take(file, length))?;
        files += 1;
    }
    tar.into_inner()?.sync_all()?;
    Ok(files)
}

/// Restores `archive` into `data_dir`, which must be missing or empty; answers how many files
/// it restored.
pub fn restore(archive: &Path, data_dir: &Path) -> Result<usize, BackupError> {
    if data_dir.exists() && std::fs::read_dir(data_dir)?.next().is_some() {
        return Err(BackupError::NotEmpty(data_dir.to_path_buf()));
    }
    private::create_dir(data_dir)?;
    let mut tar = tar::Archive::new(File::open(archive)?);
    tar.set_preserve_permissions(false);
    let mut files = 0;
    let mut database = false;
    for entry in tar.entries()? {
        let mut entry = entry?;
        // Files and folders only: a link could point anywhere.
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_dir()) {
            return Err(BackupError::NotABackup);
        }
        // `unpack_in` refuses names that would land outside the directory.
        if !entry.unpack_in(data_dir)? {
            continue;
        }
        let name = entry.path()?.into_owned();
        database |= name == Path::new(DATABASE_FILE);
        let path = data_dir.join(&name);
        if path.is_file() {
            private::restrict(&path)?;
            files += 1;
        } else if path.is_dir() {
            private::restrict_dir(&path)?;
        }
    }
    if !database {
        return Err(BackupError::NoDatabase);
    }
    Ok(files)
}

/// Copies the database at `source` to `target` as it is at one moment.
fn snapshot_database(source: &Path, target: &Path) -> Result<(), BackupError> {
    let source = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut target = Connection::open(target)?;
    let backup = Backup::new(&source, &mut target)?;
    // Every page in one step (-1): a snapshot of one moment.
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            // Another connection holds a lock for a moment (a checkpoint): try again.
            StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => {}
        }
    }
}

/// The files of the data directory that go in a backup beside the database: all but the
/// database's own (taken as a snapshot), files half-written (`.tmp`) and pending uploads.
fn files_of(data_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let pending = data_dir.join(BlobKey::PENDING);
    let mut files = Vec::new();
    let mut folders = vec![data_dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            // Links are not followed: the data directory's own files only.
            if kind.is_symlink() {
                continue;
            }
            if kind.is_dir() {
                if path != pending {
                    folders.push(path);
                }
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let database = folder == data_dir && name.starts_with(DATABASE_FILE);
            if !database && !name.ends_with(".tmp") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

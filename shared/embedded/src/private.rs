//! The data directory is the service's alone: it holds reporters' contacts, password hashes,
//! attachments and the secrets that sign tokens and URLs. What this backend creates there is
//! readable by its own user only, whatever the umask: directories 0700, files 0600 (on Unix;
//! elsewhere the platform's defaults, its own access rules).

use std::fs::{DirBuilder, OpenOptions};
use std::io;
use std::path::Path;

/// The mode of a directory this backend creates.
#[cfg(unix)]
pub(crate) const DIRECTORY_MODE: u32 = 0o700;

/// The mode of a file this backend creates.
#[cfg(unix)]
pub(crate) const FILE_MODE: u32 = 0o600;

/// Creates `dir` and its missing parents, each readable by the owner only. A directory that
/// exists keeps its mode: an operator may share it on purpose (or it is `/tmp`), and the files
/// in it are private anyway; a warning says so when others may list it.
pub(crate) fn create_dir(dir: &Path) -> io::Result<()> {
    // Not even tried when it is there: on a read-only disk, `mkdir` of an existing directory
    // fails (EROFS) rather than finding it.
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIRECTORY_MODE);
    builder.create(dir)
}

/// Options that create a file readable by the owner only (an existing file keeps its mode).
pub(crate) fn file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options
}

/// Makes an existing file readable by the owner only; a missing one is no error.
pub(crate) fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(FILE_MODE);
        match std::fs::set_permissions(path, private) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            result => result?,
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes an existing directory enterable by the owner only.
pub(crate) fn restrict_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(DIRECTORY_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Readies the database file before SQLite opens it: created owner-only when missing, since
/// SQLite gives its `-wal` and `-shm` files the database file's own mode; and the three made
/// owner-only when an earlier version left them readable by others.
pub(crate) fn prepare_database(path: &Path) -> io::Result<()> {
    match file_options().create(true).append(true).open(path) {
        // A disk turned read-only (the kernel does so after errors): SQLite opens the
        // database read-only, reads are served and writes refused until it is writable again.
        Err(e) if e.kind() == io::ErrorKind::ReadOnlyFilesystem && path.is_file() => {
            tracing::warn!(path = %path.display(), "the database is on a read-only disk: reads only");
            return Ok(());
        }
        opened => drop(opened?),
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        restrict(Path::new(&name))?;
    }
    Ok(())
}

/// Warns when users other than the owner may list or enter `dir`.
pub(crate) fn warn_if_shared(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(dir)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                dir = %dir.display(),
                mode = format!("{:o}", meta.permissions().mode() & 0o777),
                "the data directory is open to other users; its files are not, but 0700 would hide their names too"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

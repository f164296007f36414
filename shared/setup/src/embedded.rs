//! The embedded backend, on a single machine: SQLite in the data directory, blobs in a folder
//! there (their URLs signed with a key kept beside it), notifications delivered by the relay
//! itself, integration events appended to a file.

use std::sync::Arc;

use anyhow::Context as _;
use lapor_app::notifications::Delivery;
use lapor_embedded::{Embedded, FileEventBus, FolderBlobs};

use crate::config::Config;
use crate::{Assembly, secret};

/// Opens the data directory.
pub(crate) fn assemble(config: &Config) -> anyhow::Result<Assembly> {
    let dir = &config.data_dir;
    let store = Embedded::open(dir)
        .with_context(|| format!("cannot open the data directory {}", dir.display()))?;
    let key = secret::load_or_create_file(dir, secret::BLOB_KEY_FILE)?;
    let blobs = FolderBlobs::open(dir, &key)
        .with_context(|| format!("cannot use {} for attachments", dir.display()))?;
    Ok(Assembly {
        store: Arc::new(store),
        blobs: Arc::new(blobs),
        delivery: Delivery::Inline(Arc::new(tokio::sync::Notify::new())),
        events: Arc::new(FileEventBus::new(dir)),
    })
}

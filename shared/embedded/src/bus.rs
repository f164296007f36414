//! Integration events on a single machine: appended as JSON lines to a file in the data
//! directory, in the envelope EventBridge delivers (`id`, `source`, `detail-type`, `time`,
//! `detail`), for an operator's tools to tail.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use lapor_app::{EventBus, IntegrationEvent, StoreError};
use serde_json::json;

/// The events file's name in the data directory.
pub const EVENTS_FILE: &str = "events.jsonl";

/// Integration events appended to a file.
pub struct FileEventBus {
    path: PathBuf,
}

impl FileEventBus {
    /// The events file of `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(EVENTS_FILE),
        }
    }
}

#[async_trait]
impl EventBus for FileEventBus {
    async fn publish(&self, events: &[IntegrationEvent]) -> Result<Vec<String>, StoreError> {
        let mut lines = String::new();
        for event in events {
            let time = event
                .time
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            let envelope = json!({
                "id": event.id,
                "source": "lapor",
                "detail-type": event.detail_type,
                "time": time,
                "detail": event.detail,
            });
            lines.push_str(&envelope.to_string());
            lines.push('\n');
        }
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            // Created readable by the owner only, as everything in the data directory.
            let mut file = crate::private::file_options()
                .create(true)
                .append(true)
                .open(path)?;
            // One write of whole lines, synced: a line is in the file whole or not at all.
            file.write_all(lines.as_bytes())?;
            file.sync_data()
        })
        .await
        .map_err(|e| StoreError::Unavailable(e.to_string()))?
        .map_err(|e| StoreError::Unavailable(format!("events file: {e}")))?;
        Ok(events.iter().map(|e| e.id.clone()).collect())
    }
}

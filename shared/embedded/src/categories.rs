//! The category tree: one row holding the whole tree, replaced by version.

use async_trait::async_trait;
use lapor_app::{CategoryStore, ConflictKind, StoreError};
use lapor_domain::category::Categories;

use crate::Embedded;
use crate::codec::{from_doc, to_doc, to_i64};
use crate::sql::{execute, text};

#[async_trait]
impl CategoryStore for Embedded {
    async fn categories(&self) -> Result<Option<Categories>, StoreError> {
        let doc = self
            .db
            .read(|conn| text(conn, "SELECT doc FROM categories WHERE only = 1", []))
            .await?;
        doc.as_deref().map(from_doc).transpose()
    }

    async fn put_categories(&self, categories: &Categories) -> Result<(), StoreError> {
        let doc = to_doc(categories)?;
        let version = to_i64(categories.version);
        self.db
            .write(move |tx| {
                // Nothing stored is version 0: each change is the one after the stored.
                let stored = text(
                    tx,
                    "SELECT CAST(version AS TEXT) FROM categories WHERE only = 1",
                    [],
                )?
                .map_or(Ok(0), |v| v.parse::<i64>())
                .map_err(|e| StoreError::Unavailable(format!("a stored version: {e}")))?;
                if version != stored + 1 {
                    return Err(StoreError::Conflict(ConflictKind::Version));
                }
                execute(
                    tx,
                    "INSERT OR REPLACE INTO categories (only, version, doc) VALUES (1, ?1, ?2)",
                    rusqlite::params![version, doc],
                )?;
                Ok(())
            })
            .await
    }
}

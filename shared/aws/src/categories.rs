//! The category tree: one item (`CATEGORIES`) holding the whole tree, replaced by version.

use async_trait::async_trait;
use lapor_app::{CategoryStore, ConflictKind, StoreError};
use lapor_domain::category::Categories;

use crate::error::{conditional, unavailable};
use crate::item::{doc, from_doc, keyed, n, s};
use crate::{Dynamo, keys};

const SK: &str = "CATEGORIES";

#[async_trait]
impl CategoryStore for Dynamo {
    async fn categories(&self) -> Result<Option<Categories>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::CATEGORIES))
            .key("sk", s(SK))
            // A category just added is accepted at once, by every function.
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        found.item().map(from_doc).transpose()
    }

    async fn put_categories(&self, categories: &Categories) -> Result<(), StoreError> {
        if categories.version == 0 {
            return Err(StoreError::Conflict(ConflictKind::Version));
        }
        let mut item = keyed(keys::CATEGORIES, SK);
        item.insert("doc".into(), doc(categories)?);
        item.insert("version".into(), n(categories.version));
        // Nothing stored is version 0: each change is the one after the stored.
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        let put = if categories.version == 1 {
            put.condition_expression("attribute_not_exists(pk)")
        } else {
            put.condition_expression("#version = :before")
                .expression_attribute_names("#version", "version")
                .expression_attribute_values(":before", n(categories.version - 1))
        };
        put.send()
            .await
            .map(|_| ())
            .map_err(|e| conditional(e, ConflictKind::Version))
    }
}

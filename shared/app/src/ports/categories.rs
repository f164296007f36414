//! The category tree, stored whole as one record with a version.

use async_trait::async_trait;
use lapor_domain::category::Categories;

use super::StoreError;

/// The category tree.
#[async_trait]
pub trait CategoryStore: Send + Sync {
    /// The stored tree; none until the first change (the app then uses the seed).
    async fn categories(&self) -> Result<Option<Categories>, StoreError>;
    /// Replaces the tree, if the stored one is still at `categories.version - 1` (nothing stored
    /// counts as version 0); otherwise a version conflict.
    async fn put_categories(&self, categories: &Categories) -> Result<(), StoreError>;
}

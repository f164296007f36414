//! The category tree.

use std::sync::Arc;

use lapor_domain::category::{Categories, CategoryCode};
use lapor_domain::fields::Category;

use super::*;

pub async fn the_category_tree_is_replaced_by_version(store: Arc<impl Stores>) {
    assert_eq!(store.categories().await.unwrap(), None, "nothing stored");
    let mut tree = Categories::seed();
    assert_eq!(
        store.put_categories(&tree).await,
        Err(StoreError::Conflict(ConflictKind::Version)),
        "the seed itself is never stored"
    );
    tree.add(
        CategoryCode::parse("kesehatan.obat").unwrap(),
        Category::parse("Obat dan Makanan").unwrap(),
    )
    .unwrap();
    store.put_categories(&tree).await.unwrap();
    assert_eq!(store.categories().await.unwrap().as_ref(), Some(&tree));
    let stale = tree.clone();
    tree.change(
        &CategoryCode::parse("kemaritiman").unwrap(),
        None,
        Some(false),
    )
    .unwrap();
    store.put_categories(&tree).await.unwrap();
    assert_eq!(
        store.put_categories(&stale).await,
        Err(StoreError::Conflict(ConflictKind::Version)),
        "a change made on an older tree"
    );
    let mut skipped = tree.clone();
    skipped.version += 5;
    assert_eq!(
        store.put_categories(&skipped).await,
        Err(StoreError::Conflict(ConflictKind::Version))
    );
    assert_eq!(store.categories().await.unwrap(), Some(tree));
}

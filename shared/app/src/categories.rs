//! The category tree: read whole (the seed until the first change), changed by national
//! admins, and consulted whenever a report is filed under a category.

use lapor_domain::Actor;
use lapor_domain::category::{Categories, CategoryCode};
use lapor_domain::fields::Category;

use crate::App;
use crate::error::AppError;
use crate::ports::{ConflictKind, StoreError};

/// How often a change is applied over a fresh tree before giving up: each lost try means
/// another change landed.
const CHANGE_ATTEMPTS: usize = 8;

impl App {
    /// The category tree as it is now.
    pub async fn categories(&self) -> Result<Categories, AppError> {
        Ok(self
            .categories
            .categories()
            .await?
            .unwrap_or_else(Categories::seed))
    }

    /// The code to store for a category a report names (by code or name, in any letter case):
    /// an error for the field `category` when no category in use has it.
    pub(crate) async fn file_under(&self, named: &Category) -> Result<Category, AppError> {
        Ok(self.categories().await?.accept(named, "category")?)
    }

    /// Adds a category (national admins only); the tree as it then is.
    pub async fn add_category(
        &self,
        actor: &Actor,
        code: CategoryCode,
        name: Category,
    ) -> Result<Categories, AppError> {
        self.change_categories(actor, |tree| tree.add(code.clone(), name.clone()))
            .await
    }

    /// Renames, retires or restores a category (national admins only); the tree as it then is.
    pub async fn change_category(
        &self,
        actor: &Actor,
        code: &CategoryCode,
        name: Option<Category>,
        active: Option<bool>,
    ) -> Result<Categories, AppError> {
        self.change_categories(actor, |tree| tree.change(code, name.clone(), active))
            .await
    }

    async fn change_categories(
        &self,
        actor: &Actor,
        change: impl Fn(&mut Categories) -> Result<(), lapor_domain::Violation>,
    ) -> Result<Categories, AppError> {
        match actor {
            Actor::NationalAdmin(_) => {}
            Actor::Public => return Err(AppError::Unauthenticated),
            _ => {
                return Err(AppError::forbidden(
                    "only national admins change categories",
                ));
            }
        }
        for _ in 0..CHANGE_ATTEMPTS {
            let mut tree = self.categories().await?;
            change(&mut tree)?;
            match self.categories.put_categories(&tree).await {
                Ok(()) => return Ok(tree),
                Err(StoreError::Conflict(ConflictKind::Version)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict(ConflictKind::Version).into())
    }
}

//! User accounts.

use async_trait::async_trait;
use lapor_domain::fields::{Email, Phone};
use lapor_domain::{AgencyId, Role, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::StoreError;

/// A user account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    /// The person's name.
    pub name: String,
    /// Login by e-mail.
    pub email: Option<Email>,
    /// Login by phone.
    pub phone: Option<Phone>,
    /// The argon2id hash of the password (PHC string).
    pub password_hash: String,
    pub role: Role,
    /// The agency of staff.
    pub agency_id: Option<AgencyId>,
    /// When the account was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// How a person signs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Login {
    /// By e-mail.
    Email(Email),
    /// By phone.
    Phone(Phone),
}

/// User accounts.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; `Conflict(Email)` or `Conflict(Phone)` when taken.
    async fn create_user(&self, user: &User) -> Result<(), StoreError>;
    /// The account with this login.
    async fn user_by_login(&self, login: &Login) -> Result<Option<User>, StoreError>;
    /// The account with this id.
    async fn user(&self, id: &UserId) -> Result<Option<User>, StoreError>;
    /// True when any account exists (the bootstrap admin is made only in an empty store).
    async fn has_users(&self) -> Result<bool, StoreError>;
}

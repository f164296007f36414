//! User accounts.

use async_trait::async_trait;
use lapor_domain::fields::{Email, Phone};
use lapor_domain::{AgencyId, AgencyPath, Role, UserId};
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
    /// False once an admin deactivated it: it cannot sign in, and its tokens stop working.
    #[serde(default = "active")]
    pub active: bool,
    /// 1 when made, one more with each change: a change is written only over the version it
    /// was made from.
    #[serde(default = "first_version")]
    pub version: u64,
    /// The tokens issued before this moment no longer work: set when the account is
    /// deactivated, given another role or agency, or its password changes.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub signed_out_at: Option<OffsetDateTime>,
    /// The e-mail address is confirmed, by a code sent to it: only then do notifications and
    /// password resets go there. Accounts stored before confirmations were trusted as they were.
    #[serde(default = "confirmed")]
    pub email_confirmed: bool,
    /// The phone number is confirmed, likewise.
    #[serde(default = "confirmed")]
    pub phone_confirmed: bool,
    /// The one-time codes sent and not used yet, by their hashes (`crate::codes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<crate::codes::SentCode>,
}

fn confirmed() -> bool {
    true
}

impl User {
    /// Whether a token issued at `issued_at` was signed out since.
    pub fn signed_out(&self, issued_at: OffsetDateTime) -> bool {
        self.signed_out_at.is_some_and(|at| issued_at < at)
    }
}

/// Accounts stored before they could be deactivated are active.
fn active() -> bool {
    true
}

/// Accounts stored before they had versions are at their first.
fn first_version() -> u64 {
    1
}

/// A list of staff accounts, for the admins who manage them (`GET /v1/users`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StaffList {
    /// Every staff account.
    All,
    /// The national admins.
    NationalAdmins,
    /// The staff of an agency and of every agency below it.
    Within(AgencyId),
}

impl StaffList {
    /// The lists a staff account is in, by its role and its agency's place in the tree: the
    /// one rule both backends keep. Citizens are in none: a list of citizens would be a list of
    /// reporters.
    pub fn of(role: Role, path: Option<&AgencyPath>) -> Vec<StaffList> {
        match role {
            Role::Citizen => Vec::new(),
            Role::NationalAdmin => vec![Self::All, Self::NationalAdmins],
            Role::AgencyAdmin | Role::LiaisonOfficer => std::iter::once(Self::All)
                .chain(
                    path.into_iter()
                        .flat_map(|p| p.ids().iter().cloned().map(Self::Within)),
                )
                .collect(),
        }
    }

    /// A name for the list, unique among lists: how the backends key it.
    pub fn key(&self) -> String {
        match self {
            Self::All => "all".into(),
            Self::NationalAdmins => "national".into(),
            Self::Within(agency) => format!("agency:{agency}"),
        }
    }
}

/// A change to an account: what it was and the lists it was in, what it becomes and the lists
/// it will be in.
#[derive(Clone, Debug)]
pub struct AccountChange {
    pub before: User,
    pub before_lists: Vec<StaffList>,
    /// At `before.version + 1`.
    pub after: User,
    pub lists: Vec<StaffList>,
}

/// How a person signs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Login {
    /// By e-mail.
    Email(Email),
    /// By phone.
    Phone(Phone),
}

impl Login {
    /// A login as a person types it: an e-mail address (it has an `@`) or a phone number.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.contains('@') {
            Email::parse(raw).map(Self::Email)
        } else {
            Phone::parse(raw)
                .map(Self::Phone)
                .map_err(|_| "must be your e-mail address or phone number".to_string())
        }
    }
}

/// User accounts.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account, in `lists` ([`StaffList::of`]); `Conflict(Email)` or
    /// `Conflict(Phone)` when taken.
    async fn create_user(&self, user: &User, lists: &[StaffList]) -> Result<(), StoreError>;
    /// Writes a change, with its logins (a changed e-mail or phone moves to the new one:
    /// `Conflict(Email)` or `Conflict(Phone)` when taken) and its lists, all or nothing;
    /// `Conflict(Version)` unless the account is still at `before.version`.
    async fn update_user(&self, change: &AccountChange) -> Result<(), StoreError>;
    /// The accounts of a staff list, by id, after `after`.
    async fn staff(
        &self,
        list: &StaffList,
        after: Option<&UserId>,
        limit: usize,
    ) -> Result<Vec<User>, StoreError>;
    /// The account with this login.
    async fn user_by_login(&self, login: &Login) -> Result<Option<User>, StoreError>;
    /// The account with this id.
    async fn user(&self, id: &UserId) -> Result<Option<User>, StoreError>;
    /// True when any account exists (the bootstrap admin is made only in an empty store).
    async fn has_users(&self) -> Result<bool, StoreError>;
}

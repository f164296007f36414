//! Accounts: registration, sign-in (throttled), staff accounts and the bootstrap admin.

use lapor_domain::fields::{Email, Password, PersonName};
use lapor_domain::{Actor, AgencyId, AgencyPath, Role, UserId};
use time::Duration;

use crate::App;
use crate::error::AppError;
use crate::ports::{Login, User};
use crate::secrets;
use crate::throttle::Limit;

/// Sign-ins allowed per login and window before one succeeds.
const LOGIN_LIMIT: Limit = Limit {
    attempts: 5,
    window: Duration::minutes(15),
};

/// A signed-in user with what their token carries.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// Its agency's place in the tree, for staff.
    pub agency_path: Option<AgencyPath>,
}

#[derive(Clone, Debug)]
pub struct NewAccount {
    /// The person's name.
    pub name: PersonName,
    /// Login by e-mail.
    pub email: Option<Email>,
    /// Login by phone.
    pub phone: Option<lapor_domain::fields::Phone>,
    pub password: Password,
    pub role: Role,
    /// The agency of staff.
    pub agency_id: Option<AgencyId>,
}

impl App {
    /// Creates an account without checking who asks (registration and bootstrap).
    async fn create_account(&self, account: NewAccount) -> Result<UserId, AppError> {
        let password_hash =
            secrets::hash_password(account.password.expose().to_string(), self.ids.secret(16))
                .await?;
        let user = User {
            id: UserId::from_ulid(self.ids.ulid()),
            name: account.name.as_str().to_string(),
            email: account.email,
            phone: account.phone,
            password_hash,
            role: account.role,
            agency_id: account.agency_id,
            created_at: self.clock.now(),
        };
        self.accounts.create_user(&user).await?;
        Ok(user.id)
    }

    /// A citizen registers.
    pub async fn register(&self, mut account: NewAccount) -> Result<UserId, AppError> {
        account.role = Role::Citizen;
        account.agency_id = None;
        self.create_account(account).await
    }

    /// An admin creates a staff account: national admins any, agency admins within their own
    /// agency and below (never a national admin).
    pub async fn create_staff(
        &self,
        actor: &Actor,
        account: NewAccount,
    ) -> Result<UserId, AppError> {
        let agency = match &account.agency_id {
            Some(id) => Some(
                self.agencies
                    .agency(id)
                    .await?
                    .ok_or_else(|| AppError::field("agency_id", "no agency has this id"))?,
            ),
            None => None,
        };
        if account.role.needs_agency() && agency.is_none() {
            return Err(AppError::field("agency_id", "is required for this role"));
        }
        match actor {
            Actor::NationalAdmin(_) => {}
            Actor::AgencyAdmin(_, own) => {
                let within = agency.as_ref().is_some_and(|a| a.path.is_within(own.id()));
                if !account.role.needs_agency() || !within {
                    return Err(AppError::forbidden(
                        "agency admins create officers and admins of their own agency and below",
                    ));
                }
            }
            Actor::Public => return Err(AppError::Unauthenticated),
            _ => return Err(AppError::forbidden("only admins create accounts")),
        }
        self.create_account(account).await
    }

    /// Creates the first national admin when the store has no account at all. Answers whether
    /// it did.
    pub async fn bootstrap_admin(
        &self,
        email: Email,
        password: Password,
    ) -> Result<bool, AppError> {
        if self.accounts.has_users().await? {
            return Ok(false);
        }
        let name = PersonName::parse("Admin Nasional").map_err(AppError::Unavailable)?;
        self.create_account(NewAccount {
            name,
            email: Some(email),
            phone: None,
            password,
            role: Role::NationalAdmin,
            agency_id: None,
        })
        .await?;
        Ok(true)
    }

    /// Signs in with e-mail or phone and password. Guesses are throttled per account (its
    /// e-mail and phone share one allowance) and, for logins nobody has, per login.
    pub async fn login(&self, login: &Login, password: &str) -> Result<SignedIn, AppError> {
        let user = self.accounts.user_by_login(login).await?;
        let key = match (&user, login) {
            (Some(user), _) => format!("login:user:{}", user.id),
            (None, Login::Email(e)) => format!("login:{}", e.as_str()),
            (None, Login::Phone(p)) => format!("login:{}", p.as_str()),
        };
        self.admit_attempt(&key, LOGIN_LIMIT).await?;
        let valid = match &user {
            Some(u) => {
                secrets::verify_password(password.to_string(), u.password_hash.clone()).await?
            }
            None => {
                // Hash anyway, so the time taken does not tell which logins exist.
                secrets::hash_password(password.to_string(), self.ids.secret(16)).await?;
                false
            }
        };
        match user {
            Some(user) if valid => {
                self.throttle.clear(&key).await?;
                self.signed_in(user).await
            }
            _ => Err(AppError::WrongCredentials),
        }
    }

    async fn signed_in(&self, user: User) -> Result<SignedIn, AppError> {
        let agency_path = match &user.agency_id {
            Some(id) => self.agencies.agency(id).await?.map(|a| a.path),
            None => None,
        };
        Ok(SignedIn { user, agency_path })
    }

    /// The account of a signed-in actor.
    pub async fn me(&self, actor: &Actor) -> Result<User, AppError> {
        let person = actor.person().ok_or(AppError::Unauthenticated)?;
        self.accounts
            .user(&person.id)
            .await?
            .ok_or(AppError::Unauthenticated)
    }
}

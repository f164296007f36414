//! Accounts: registration, sign-in (throttled), staff accounts and the bootstrap admin; the
//! changes admins make to accounts (deactivation, role, agency) and each user to their own;
//! and the check of every token against its account, so a change takes effect at once.

use std::net::IpAddr;

use lapor_domain::fields::{Email, Password, PersonName, Phone};
use lapor_domain::{Actor, Agency, AgencyId, AgencyPath, Person, Role, UserId};
use time::{Duration, OffsetDateTime};

use crate::App;
use crate::error::AppError;
use crate::ports::{AccountChange, Login, StaffList, StoreError, User};
use crate::secrets;
use crate::throttle::{Limit, per_client};

/// Sign-ins allowed per login and window before one succeeds.
const LOGIN_LIMIT: Limit = Limit {
    attempts: 5,
    window: Duration::minutes(15),
};

/// Registrations allowed per client and window.
const REGISTER_LIMIT: Limit = Limit {
    attempts: 20,
    window: Duration::hours(1),
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

/// What an admin changes in an account (`PATCH /v1/users/{id}`); `None`: unchanged.
#[derive(Clone, Debug, Default)]
pub struct AccountPatch {
    /// Deactivated (`false`) or active again.
    pub active: Option<bool>,
    /// A staff role (staff accounts only).
    pub role: Option<Role>,
    /// The agency of an agency admin or liaison officer.
    pub agency_id: Option<AgencyId>,
    pub name: Option<PersonName>,
}

/// What a user changes in their own account (`PATCH /v1/me`); `None`: unchanged. A new
/// contact or password needs the current password.
#[derive(Clone, Debug, Default)]
pub struct MyPatch {
    pub name: Option<PersonName>,
    /// A new e-mail address (`Some(None)`: none, if a phone remains).
    pub email: Option<Option<Email>>,
    /// A new phone number (`Some(None)`: none, if an e-mail address remains).
    pub phone: Option<Option<Phone>>,
    pub password: Option<Password>,
    /// The password as it is now.
    pub current_password: Option<String>,
}

/// The refusal of a change that would leave no one to verify reports.
const LAST_NATIONAL_ADMIN: &str =
    "the last active national admin cannot be deactivated or given another role";

impl App {
    /// Creates an account without checking who asks (registration and bootstrap), in the staff
    /// lists of its role and its agency's place (`path`).
    async fn create_account(
        &self,
        account: NewAccount,
        path: Option<&AgencyPath>,
    ) -> Result<UserId, AppError> {
        let password_hash =
            secrets::hash_password(account.password.expose().to_string(), self.ids.secret(16))
                .await?;
        // A citizen confirms their own contact with a code; staff contacts are the ones their
        // admin entered.
        let confirmed = account.role != Role::Citizen;
        let user = User {
            id: UserId::from_ulid(self.ids.ulid()),
            name: account.name.as_str().to_string(),
            email: account.email,
            phone: account.phone,
            password_hash,
            role: account.role,
            agency_id: account.agency_id,
            created_at: self.clock.now(),
            active: true,
            version: 1,
            signed_out_at: None,
            email_confirmed: confirmed,
            phone_confirmed: confirmed,
            codes: Vec::new(),
        };
        let lists = StaffList::of(user.role, path);
        self.accounts.create_user(&user, &lists).await?;
        Ok(user.id)
    }

    /// A citizen registers; registrations are throttled per client, as each sends codes
    /// through the gateway (messages that cost money, to addresses anyone may type).
    pub async fn register(
        &self,
        mut account: NewAccount,
        client: Option<IpAddr>,
    ) -> Result<UserId, AppError> {
        self.admit_attempt(&per_client("register", client), REGISTER_LIMIT)
            .await?;
        account.role = Role::Citizen;
        account.agency_id = None;
        let name = account.name.as_str().to_string();
        let id = self.create_account(account, None).await?;
        // Signing in works at once; the codes confirm the contacts for what is sent to them.
        let citizen = Actor::Citizen(Person {
            id: id.clone(),
            name,
        });
        self.send_first_codes(&citizen).await;
        Ok(id)
    }

    /// An admin creates a staff account: national admins any, agency admins within their own
    /// agency and below (never a national admin).
    pub async fn create_staff(
        &self,
        actor: &Actor,
        account: NewAccount,
    ) -> Result<UserId, AppError> {
        let agency = self.agency_of(account.agency_id.as_ref()).await?;
        if account.role.needs_agency() && agency.is_none() {
            return Err(AppError::field("agency_id", "is required for this role"));
        }
        may_manage(actor, account.role, agency.as_ref())?;
        let path = agency.map(|a| a.path);
        self.create_account(account, path.as_ref()).await
    }

    /// The agency an account names, which must exist.
    pub(crate) async fn agency_of(
        &self,
        id: Option<&AgencyId>,
    ) -> Result<Option<Agency>, AppError> {
        match id {
            Some(id) => Ok(Some(self.agencies.agency(id).await?.ok_or_else(|| {
                AppError::field("agency_id", "no agency has this id")
            })?)),
            None => Ok(None),
        }
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
        self.create_account(
            NewAccount {
                name,
                email: Some(email),
                phone: None,
                password,
                role: Role::NationalAdmin,
                agency_id: None,
            },
            None,
        )
        .await?;
        Ok(true)
    }

    /// Signs in with e-mail or phone and password. Guesses are throttled per account (its
    /// e-mail and phone share one allowance) and, for logins nobody has, per login; each per
    /// client address, so the owner signing in from elsewhere is not shut out.
    pub async fn login(
        &self,
        login: &Login,
        password: &str,
        client: Option<IpAddr>,
    ) -> Result<SignedIn, AppError> {
        let user = self.accounts.user_by_login(login).await?;
        let subject = match (&user, login) {
            (Some(user), _) => sign_in_subject(&user.id),
            (None, Login::Email(e)) => format!("login:{}", e.as_str()),
            (None, Login::Phone(p)) => format!("login:{}", p.as_str()),
        };
        let key = per_client(&subject, client);
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
                if !user.active {
                    return Err(AppError::forbidden(
                        "this account has been deactivated; ask your admin",
                    ));
                }
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

    /// The actor a token stands for, checked against its account as it is now: a token whose
    /// account is gone or deactivated, or was issued before the account was last deactivated,
    /// given another role or agency or a new password, or whose role or agency is not the
    /// account's, no longer works (401; signing in again gives the powers the account has now). The name is
    /// the account's current one. The public and a report's access token pass as they are.
    pub async fn current(
        &self,
        actor: Actor,
        issued_at: OffsetDateTime,
    ) -> Result<Actor, AppError> {
        let Some(person) = actor.person() else {
            return Ok(actor);
        };
        let user = self
            .accounts
            .user(&person.id)
            .await?
            .filter(|user| user.active && !user.signed_out(issued_at))
            .ok_or(AppError::Unauthenticated)?;
        let person = Person {
            id: user.id.clone(),
            name: user.name.clone(),
        };
        let same_agency = actor.agency_id() == user.agency_id.as_ref();
        match actor {
            Actor::Citizen(_) if user.role == Role::Citizen => Ok(Actor::Citizen(person)),
            Actor::NationalAdmin(_) if user.role == Role::NationalAdmin => {
                Ok(Actor::NationalAdmin(person))
            }
            Actor::AgencyAdmin(_, path) if user.role == Role::AgencyAdmin && same_agency => {
                Ok(Actor::AgencyAdmin(person, path))
            }
            Actor::LiaisonOfficer(_, path) if user.role == Role::LiaisonOfficer && same_agency => {
                Ok(Actor::LiaisonOfficer(person, path))
            }
            _ => Err(AppError::Unauthenticated),
        }
    }

    /// The staff accounts an admin manages, by id, after `after`: a national admin's, every
    /// staff account; an agency admin's, those of their agency and below. Citizens' accounts
    /// are never listed.
    pub async fn staff_accounts(
        &self,
        actor: &Actor,
        after: Option<&UserId>,
        limit: usize,
    ) -> Result<Vec<User>, AppError> {
        let list = match actor {
            Actor::NationalAdmin(_) => StaffList::All,
            Actor::AgencyAdmin(_, own) => StaffList::Within(own.id().clone()),
            Actor::Public => return Err(AppError::Unauthenticated),
            _ => return Err(AppError::forbidden("only admins list accounts")),
        };
        Ok(self.accounts.staff(&list, after, limit).await?)
    }

    /// An admin changes an account: those who may make such an account (a national admin any;
    /// an agency admin the staff of their agency and below, kept there) may deactivate it, give
    /// it another staff role or agency, or rename it. The last active national admin stays one.
    pub async fn update_account(
        &self,
        actor: &Actor,
        id: &UserId,
        patch: AccountPatch,
    ) -> Result<User, AppError> {
        let (before, before_agency) = self.managed(actor, id).await?;
        let mut after = before.clone();
        if let Some(role) = patch.role {
            if before.role == Role::Citizen || role == Role::Citizen {
                return Err(AppError::field(
                    "role",
                    "a citizen's account keeps its role, and staff stay staff",
                ));
            }
            after.role = role;
        }
        if patch.agency_id.is_some() {
            after.agency_id = patch.agency_id;
        }
        if !after.role.needs_agency() {
            after.agency_id = None;
        }
        let agency = self.agency_of(after.agency_id.as_ref()).await?;
        if after.role.needs_agency() && agency.is_none() {
            return Err(AppError::field("agency_id", "is required for this role"));
        }
        may_manage(actor, after.role, agency.as_ref())?;
        if let Some(active) = patch.active {
            after.active = active;
        }
        if let Some(name) = patch.name {
            after.name = name.as_str().to_string();
        }
        let powers_changed = after.role != before.role
            || after.agency_id != before.agency_id
            || (before.active && !after.active);
        if powers_changed {
            after.signed_out_at = Some(self.clock.now());
        }
        let stays_admin = after.role == Role::NationalAdmin && after.active;
        if before.role == Role::NationalAdmin && before.active && !stays_admin {
            self.keep_a_national_admin(&before.id).await?;
        }
        let change = AccountChange {
            before_lists: StaffList::of(before.role, before_agency.map(|a| a.path).as_ref()),
            lists: StaffList::of(after.role, agency.map(|a| a.path).as_ref()),
            before,
            after,
        };
        self.write_account(change).await
    }

    /// An account an admin manages, as [`App::update_account`] decides: a national admin's
    /// any, an agency admin's the staff of their agency and below.
    pub async fn managed_account(&self, actor: &Actor, id: &UserId) -> Result<User, AppError> {
        Ok(self.managed(actor, id).await?.0)
    }

    /// The account and its agency, if the actor manages it; one they do not is answered as one
    /// they cannot see.
    async fn managed(
        &self,
        actor: &Actor,
        id: &UserId,
    ) -> Result<(User, Option<Agency>), AppError> {
        let user = self.accounts.user(id).await?.ok_or(AppError::not_found())?;
        let agency = self.agency_of(user.agency_id.as_ref()).await?;
        if may_manage(actor, user.role, agency.as_ref()).is_err() {
            return Err(match actor {
                Actor::NationalAdmin(_) | Actor::AgencyAdmin(..) => AppError::not_found(),
                Actor::Public => AppError::Unauthenticated,
                _ => AppError::forbidden("only admins change accounts"),
            });
        }
        Ok((user, agency))
    }

    /// Refuses to leave the system without an active national admin other than `leaving`.
    async fn keep_a_national_admin(&self, leaving: &UserId) -> Result<(), AppError> {
        let mut after = None;
        loop {
            let page = self
                .accounts
                .staff(&StaffList::NationalAdmins, after.as_ref(), 100)
                .await?;
            if page.iter().any(|admin| {
                admin.active && admin.role == Role::NationalAdmin && &admin.id != leaving
            }) {
                return Ok(());
            }
            match page.last() {
                Some(last) if page.len() == 100 => after = Some(last.id.clone()),
                _ => return Err(AppError::conflict(LAST_NATIONAL_ADMIN)),
            }
        }
    }

    /// A user changes their own name, contact or password; a new contact or password needs
    /// the current password (guesses at it are throttled as sign-ins are).
    pub async fn update_me(
        &self,
        actor: &Actor,
        patch: MyPatch,
        client: Option<IpAddr>,
    ) -> Result<User, AppError> {
        let before = self.me(actor).await?;
        let mut after = before.clone();
        if let Some(name) = patch.name {
            after.name = name.as_str().to_string();
        }
        if let Some(email) = patch.email {
            after.email = email;
        }
        if let Some(phone) = patch.phone {
            after.phone = phone;
        }
        // A new contact of a citizen is confirmed anew before anything is sent to it.
        if before.role == Role::Citizen {
            after.email_confirmed &= after.email == before.email;
            after.phone_confirmed &= after.phone == before.phone;
        }
        if after.email.is_none() && after.phone.is_none() {
            return Err(AppError::field(
                "email",
                "an e-mail address or a phone number is required",
            ));
        }
        if before.role != Role::Citizen && after.email.is_none() {
            return Err(AppError::field(
                "email",
                "staff sign in with an e-mail address",
            ));
        }
        let sensitive =
            after.email != before.email || after.phone != before.phone || patch.password.is_some();
        if sensitive {
            let Some(current) = patch.current_password else {
                return Err(AppError::field(
                    "current_password",
                    "is required to change the contact or the password",
                ));
            };
            let key = per_client(&sign_in_subject(&before.id), client);
            self.admit_attempt(&key, LOGIN_LIMIT).await?;
            if !secrets::verify_password(current, before.password_hash.clone()).await? {
                return Err(AppError::field("current_password", "is not the password"));
            }
            self.throttle.clear(&key).await?;
        }
        if let Some(password) = patch.password {
            after.password_hash =
                secrets::hash_password(password.expose().to_string(), self.ids.secret(16)).await?;
            // Every session ends, this one too: a token taken with the old password dies
            // with it.
            after.signed_out_at = Some(self.clock.now());
        }
        self.rewrite_account(before, after).await
    }

    /// Writes a change to an account that leaves its role and agency, so its lists, as they
    /// are.
    pub(crate) async fn rewrite_account(
        &self,
        before: User,
        after: User,
    ) -> Result<User, AppError> {
        let path = self
            .agency_of(before.agency_id.as_ref())
            .await?
            .map(|a| a.path);
        let lists = StaffList::of(before.role, path.as_ref());
        self.write_account(AccountChange {
            before_lists: lists.clone(),
            lists,
            before,
            after,
        })
        .await
    }

    /// Writes an account's change at its next version.
    async fn write_account(&self, mut change: AccountChange) -> Result<User, AppError> {
        change.after.version = change.before.version + 1;
        match self.accounts.update_user(&change).await {
            Ok(()) => Ok(change.after),
            Err(StoreError::Conflict(crate::ports::ConflictKind::Version)) => Err(
                AppError::conflict("the account was changed meanwhile; reload and try again"),
            ),
            Err(other) => Err(other.into()),
        }
    }
}

/// The throttle's subject for guesses at an account's password: signing in and confirming a
/// change share one allowance.
fn sign_in_subject(user: &UserId) -> String {
    format!("login:user:{user}")
}

/// Whether `actor` may make, and so change, an account of `role` in `agency`: national admins
/// any; agency admins agency admins and liaison officers of their own agency and below.
fn may_manage(actor: &Actor, role: Role, agency: Option<&Agency>) -> Result<(), AppError> {
    match actor {
        Actor::NationalAdmin(_) => Ok(()),
        Actor::AgencyAdmin(_, own) => {
            let within = agency.is_some_and(|a| a.path.is_within(own.id()));
            if role.needs_agency() && within {
                Ok(())
            } else {
                Err(AppError::forbidden(
                    "agency admins manage officers and admins of their own agency and below",
                ))
            }
        }
        Actor::Public => Err(AppError::Unauthenticated),
        _ => Err(AppError::forbidden("only admins manage accounts")),
    }
}

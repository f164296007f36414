//! `/v1/auth/*`, `/v1/me`, `/v1/users`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lapor_app::accounts::{AccountPatch, MyPatch, NewAccount};
use lapor_app::ports::{Login, User};
use lapor_domain::fields::{Email, Password, PersonName, Phone};
use lapor_domain::{AgencyId, ReportId, Role, UserId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{SignedInCaller, USER_TOKEN_TTL};
use crate::client::ClientAddress;
use crate::cursor;
use crate::input::{Fields, JsonBody, PathSegment, QueryMap};
use crate::openapi::{
    BodyErrors, Conflict, Forbidden, ListErrors, NotFound, PageParams, ServerErrors, Throttled,
    TokenRequired, UserPath, WrongCredentials,
};
use crate::problem::Problem;

/// The staff roles an admin gives.
const STAFF_ROLES: [Role; 3] = [Role::NationalAdmin, Role::AgencyAdmin, Role::LiaisonOfficer];

fn staff_roles() -> utoipa::openapi::schema::Object {
    lapor_domain::schema::words(
        &STAFF_ROLES.map(Role::as_str),
        "A staff role: agency admins and liaison officers belong to an agency (`agency_id`).",
    )
}

/// A staff role, or `null` (left as it is), as every optional field may be.
fn optional_staff_role() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    let mut schema = staff_roles();
    schema.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
    schema
        .enum_values
        .get_or_insert_with(Vec::new)
        .push(serde_json::Value::Null);
    schema
}

/// `POST /v1/auth/register`: an e-mail address or a phone number, or both.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct RegisterBody {
    name: PersonName,
    /// Required without `phone`; signs in with it.
    email: Option<Email>,
    /// Required without `email`; signs in with it.
    phone: Option<Phone>,
    password: Password,
}

/// `POST /v1/auth/login`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct LoginBody {
    /// The e-mail address (anything with an `@`) or phone number of the account.
    #[schema(example = "siti@contoh.id")]
    login: String,
    /// At most 200 characters.
    #[schema(max_length = 200, format = Password, example = "kata-sandi-yang-panjang")]
    password: String,
}

/// `POST /v1/users`: a staff account.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct NewUserBody {
    name: PersonName,
    /// Signs in with it.
    email: Email,
    phone: Option<Phone>,
    password: Password,
    #[schema(schema_with = staff_roles)]
    role: String,
    /// The agency of an agency admin or liaison officer: required for them.
    agency_id: Option<AgencyId>,
}

/// An account just made.
#[derive(Serialize, ToSchema)]
pub struct Created {
    /// The account's id.
    id: UserId,
}

/// A signed-in user's token.
#[derive(Serialize, ToSchema)]
pub struct SignedInAnswer {
    /// The token, for `Authorization: Bearer`.
    access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    token_type: &'static str,
    /// Seconds until it expires.
    #[schema(example = 28800)]
    expires_in: i64,
    user: SignedInUser,
}

/// Who signed in.
#[derive(Serialize, ToSchema)]
pub struct SignedInUser {
    id: UserId,
    name: String,
    role: Role,
    /// The staff member's agency; `null` for citizens and national admins.
    #[schema(required = true)]
    agency_id: Option<AgencyId>,
}

/// The caller: a user, or the holder of a report's access token.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Me {
    User(MeUser),
    Report(MeReport),
}

/// A signed-in user.
#[derive(Serialize, ToSchema)]
pub struct MeUser {
    id: UserId,
    name: String,
    role: Role,
    /// The staff member's agency; `null` for citizens and national admins.
    #[schema(required = true)]
    agency_id: Option<AgencyId>,
    #[schema(required = true)]
    email: Option<Email>,
    #[schema(required = true)]
    phone: Option<Phone>,
    /// The e-mail address is confirmed (`POST /v1/me/confirmation`): only then do notifications
    /// and password resets go to it.
    email_confirmed: bool,
    /// The phone number is confirmed, likewise.
    phone_confirmed: bool,
}

impl From<lapor_app::User> for MeUser {
    fn from(user: lapor_app::User) -> Self {
        Self {
            email_confirmed: user.email.is_some() && user.email_confirmed,
            phone_confirmed: user.phone.is_some() && user.phone_confirmed,
            id: user.id,
            name: user.name,
            role: user.role,
            agency_id: user.agency_id,
            email: user.email,
            phone: user.phone,
        }
    }
}

/// The holder of a report's access token: its reporter, without an account.
#[derive(Serialize, ToSchema)]
pub struct MeReport {
    /// Always `null`: no account.
    #[schema(required = true)]
    id: Option<UserId>,
    /// Always `null`.
    #[schema(required = true)]
    name: Option<String>,
    /// Always `citizen`.
    role: Role,
    /// Always `null`.
    #[schema(required = true)]
    agency_id: Option<AgencyId>,
    /// The report the token opens.
    report_id: ReportId,
}

/// An account, as the admins who manage it and its owner see it.
#[derive(Serialize, ToSchema)]
pub struct Account {
    id: UserId,
    name: String,
    role: Role,
    /// The staff member's agency; `null` for citizens and national admins.
    #[schema(required = true)]
    agency_id: Option<AgencyId>,
    #[schema(required = true)]
    email: Option<Email>,
    #[schema(required = true)]
    phone: Option<Phone>,
    /// `false` once deactivated: it cannot sign in, and its tokens no longer work.
    active: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: time::OffsetDateTime,
}

impl From<User> for Account {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            name: user.name,
            role: user.role,
            agency_id: user.agency_id,
            email: user.email,
            phone: user.phone,
            active: user.active,
            created_at: user.created_at,
        }
    }
}

/// A page of staff accounts.
#[derive(Serialize, ToSchema)]
pub struct AccountPage {
    /// By id.
    items: Vec<Account>,
    /// The cursor of the next page; `null` on the last.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// `PATCH /v1/users/{id}`: the fields to change, the others as they are.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct AccountPatchBody {
    /// `false` deactivates the account (it cannot sign in, its tokens stop working); `true`
    /// makes it active again.
    active: Option<bool>,
    /// Another staff role (staff accounts only); the account's tokens stop working.
    #[schema(schema_with = optional_staff_role)]
    role: Option<String>,
    /// Another agency, for an agency admin or liaison officer; the tokens stop working.
    agency_id: Option<AgencyId>,
    name: Option<PersonName>,
}

/// `PATCH /v1/me`: the fields to change, the others as they are.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct MyPatchBody {
    name: Option<PersonName>,
    /// A new e-mail address to sign in with; `null` removes it (if a phone number remains;
    /// staff keep one).
    email: Option<Email>,
    /// A new phone number to sign in with; `null` removes it (if an e-mail address remains).
    phone: Option<Phone>,
    /// A new password.
    password: Option<Password>,
    /// The password as it is now: required to change the e-mail address, the phone number or
    /// the password.
    #[schema(max_length = 200, format = Password)]
    current_password: Option<String>,
}

/// A contact as `PATCH /v1/me` changes it: removed (`null`), replaced, or left out.
fn changed_contact<T>(removed: bool, given: Option<T>) -> Option<Option<T>> {
    if removed { Some(None) } else { given.map(Some) }
}

/// A password as it is now (to sign in, or to confirm a change): only its length is checked,
/// so that an answer never tells which password rules changed since it was set.
fn current_password(raw: &str) -> Result<String, String> {
    if raw.chars().count() > Password::MAX {
        Err(format!("must be at most {} characters long", Password::MAX))
    } else {
        Ok(raw.to_string())
    }
}

/// Reads name, e-mail, phone and password; `email_required` for staff accounts.
fn read_account(
    f: &mut Fields,
    email_required: bool,
) -> Option<(PersonName, Option<Email>, Option<Phone>, Password)> {
    let name = f.text("name", true, PersonName::parse);
    let email = f.text("email", email_required, Email::parse);
    let phone = f.text("phone", false, Phone::parse);
    let password = f.text("password", true, Password::parse);
    // Absent, not invalid: an invalid one already has its own message.
    if !f.has("email") && !f.has("phone") {
        f.error("email", "an e-mail address or a phone number is required");
    }
    Some((name?, email, phone, password?))
}

/// Register as a citizen
///
/// Anyone makes a citizen account with an e-mail address or a phone number (or both); 409 when
/// either is taken. A code is sent to each to confirm it (`POST /v1/me/confirmation`).
/// Registrations are throttled per client (429). No token is read.
#[utoipa::path(
    post,
    path = "/v1/auth/register",
    operation_id = "register",
    tag = "Accounts",
    request_body(content = RegisterBody, example = json!({
        "name": "Siti Rahma", "email": "siti@contoh.id", "password": "kata-sandi-yang-panjang"
    })),
    responses(
        (status = 201, description = "The account.", body = Created),
        (status = 409, response = Conflict),
        (status = 429, response = Throttled),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn register(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    body: JsonBody,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let account = read_registration(&body.object)?;
    let id = state.app.register(account, client).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Reads a citizen's registration (`POST /v1/auth/register`, and the web's `/daftar` put in its
/// shape): every field checked, each error told.
pub fn read_registration(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<NewAccount, Problem> {
    let mut f = Fields::new(object);
    let value = read_account(&mut f, false);
    let (name, email, phone, password) = f.finish(value)?;
    Ok(NewAccount {
        name,
        email,
        phone,
        password,
        role: Role::Citizen,
        agency_id: None,
    })
}

/// Sign in
///
/// With the account's e-mail address or phone number and password: a token for
/// `Authorization: Bearer`, valid 8 hours. Wrong pairs answer 401; repeated wrong passwords for
/// one account are throttled (429). No token is read.
#[utoipa::path(
    post,
    path = "/v1/auth/login",
    operation_id = "signIn",
    tag = "Accounts",
    request_body(content = LoginBody, example = json!({
        "login": "siti@contoh.id", "password": "kata-sandi-yang-panjang"
    })),
    responses(
        (status = 200, description = "Signed in.", body = SignedInAnswer),
        (status = 401, response = WrongCredentials),
        (status = 429, response = Throttled),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    body: JsonBody,
) -> Result<Json<SignedInAnswer>, Problem> {
    let mut f = Fields::new(&body.object);
    let login = f.text("login", true, Login::parse);
    let password = f.text("password", true, current_password);
    let (login, password) = f.finish(login.zip(password))?;
    let signed_in = state.app.login(&login, &password, client).await?;
    let token = state.tokens.user_token(&signed_in, state.app.clock.now());
    let user = &signed_in.user;
    Ok(Json(SignedInAnswer {
        access_token: token,
        token_type: "Bearer",
        expires_in: USER_TOKEN_TTL.whole_seconds(),
        user: SignedInUser {
            id: user.id.clone(),
            name: user.name.clone(),
            role: user.role,
            agency_id: user.agency_id.clone(),
        },
    }))
}

/// The caller
///
/// Who the token stands for: a user (a user's token), or the reporter of one report (its access
/// token).
#[utoipa::path(
    get,
    path = "/v1/me",
    operation_id = "getMe",
    tag = "Accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller.", body = Me),
        (status = 401, response = TokenRequired),
        ServerErrors,
    )
)]
pub async fn me(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
) -> Result<Json<Me>, Problem> {
    if let lapor_domain::Actor::ReportHolder(report_id) = actor {
        return Ok(Json(Me::Report(MeReport {
            id: None,
            name: None,
            role: Role::Citizen,
            agency_id: None,
            report_id,
        })));
    }
    let user = state.app.me(&actor).await?;
    Ok(Json(Me::User(user.into())))
}

/// Create a staff account
///
/// National admins make any staff account; agency admins, agency admins and liaison officers of
/// their own agency and below. 409 when the e-mail address or phone number is taken.
#[utoipa::path(
    post,
    path = "/v1/users",
    operation_id = "createUser",
    tag = "Accounts",
    request_body(content = NewUserBody, example = json!({
        "name": "Petugas Bina Marga", "email": "petugas@binamarga.go.id",
        "password": "kata-sandi-petugas", "role": "liaison_officer",
        "agency_id": "01JDF5M00000000000000002R1"
    })),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The account.", body = Created),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    body: JsonBody,
) -> Result<(StatusCode, Json<Created>), Problem> {
    let account = read_staff_account(&body.object)?;
    let id = state.app.create_staff(&actor, account).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Reads a staff account an admin makes (`POST /v1/users`, and the console's `Tambah petugas`
/// put in its shape): every field checked, each error told.
pub fn read_staff_account(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<NewAccount, Problem> {
    let mut f = Fields::new(object);
    let account = read_account(&mut f, true);
    let role = f.text("role", true, |raw| match Role::parse(raw)? {
        Role::Citizen => Err("must be one of national_admin, agency_admin, liaison_officer".into()),
        role => Ok(role),
    });
    let agency_id = f.text("agency_id", false, AgencyId::parse);
    let ((name, email, phone, password), role) = f.finish(account.zip(role))?;
    Ok(NewAccount {
        name,
        email,
        phone,
        password,
        role,
        agency_id,
    })
}

/// The staff accounts
///
/// For admins: a national admin sees every staff account, an agency admin those of their
/// agency and below; by id. Citizens' accounts are never listed.
#[utoipa::path(
    get,
    path = "/v1/users",
    operation_id = "listUsers",
    tag = "Accounts",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accounts.", body = AccountPage),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        ListErrors,
        ServerErrors,
    )
)]
pub async fn list_users(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    query: QueryMap,
) -> Result<Json<AccountPage>, Problem> {
    let limit = query.limit()?;
    // The cursor is bound to the viewer: another admin's list is another list.
    let list = format!(
        "users:{}",
        actor.person().map_or(String::new(), |p| p.id.to_string())
    );
    let after: Option<UserId> = query
        .get("cursor")
        .map(|c| cursor::decode(&state.tokens, &list, c))
        .transpose()?;
    let mut users = state
        .app
        .staff_accounts(&actor, after.as_ref(), limit + 1)
        .await?;
    let more = users.len() > limit;
    users.truncate(limit);
    let next = more
        .then(|| {
            users
                .last()
                .map(|u| cursor::encode(&state.tokens, &list, &u.id))
        })
        .flatten();
    Ok(Json(AccountPage {
        items: users.into_iter().map(Account::from).collect(),
        next_cursor: next,
    }))
}

/// Change an account
///
/// By the admins who may make such an account: a national admin any, an agency admin the
/// agency admins and liaison officers of their agency and below (kept there). Deactivating it
/// (`active: false`), or giving it another role or agency, stops its tokens at once. The last
/// active national admin cannot be deactivated or given another role (409). An account the
/// caller may not manage is answered 404.
#[utoipa::path(
    patch,
    path = "/v1/users/{id}",
    operation_id = "updateUser",
    tag = "Accounts",
    params(UserPath),
    request_body(content = Option<AccountPatchBody>, example = json!({"active": false})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account as changed.", body = Account),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    PathSegment(id): PathSegment,
    body: JsonBody,
) -> Result<Json<Account>, Problem> {
    let id = UserId::parse(&id).map_err(|_| Problem::not_found())?;
    let mut f = Fields::new(&body.object);
    let patch = AccountPatch {
        active: f.optional_boolean("active"),
        role: f.text("role", false, |raw| match Role::parse(raw)? {
            Role::Citizen => {
                Err("must be one of national_admin, agency_admin, liaison_officer".into())
            }
            role => Ok(role),
        }),
        agency_id: f.text("agency_id", false, AgencyId::parse),
        name: f.text("name", false, PersonName::parse),
    };
    let patch = f.finish(Some(patch))?;
    let user = state.app.update_account(&actor, &id, patch).await?;
    Ok(Json(user.into()))
}

/// Change one's own account
///
/// The name, the e-mail address or phone number one signs in with, the password. A new
/// contact or password needs `current_password` (wrong guesses at it are throttled as
/// sign-ins are). Not for a report's access token.
#[utoipa::path(
    patch,
    path = "/v1/me",
    operation_id = "updateMe",
    tag = "Accounts",
    request_body(content = Option<MyPatchBody>, example = json!({
        "password": "kata-sandi-baru-yang-panjang", "current_password": "kata-sandi-yang-panjang"
    })),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account as changed.", body = Account),
        (status = 401, response = TokenRequired),
        (status = 409, response = Conflict),
        (status = 429, response = Throttled),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn update_me(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    ClientAddress(client): ClientAddress,
    body: JsonBody,
) -> Result<Json<Account>, Problem> {
    let patch = read_my_patch(&body.object)?;
    let user = state.app.update_me(&actor, patch, client).await?;
    Ok(Json(user.into()))
}

/// Reads a change to one's own account (`PATCH /v1/me`, and the console's profile page put in
/// its shape): `null` removes a contact, an absent field keeps it.
pub fn read_my_patch(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<MyPatch, Problem> {
    let mut f = Fields::new(object);
    let removed = |name: &str| object.get(name).is_some_and(serde_json::Value::is_null);
    let email = f.text("email", false, Email::parse);
    let phone = f.text("phone", false, Phone::parse);
    let patch = MyPatch {
        name: f.text("name", false, PersonName::parse),
        email: changed_contact(removed("email"), email),
        phone: changed_contact(removed("phone"), phone),
        password: f.text("password", false, Password::parse),
        current_password: f.text("current_password", false, current_password),
    };
    f.finish(Some(patch))
}

//! `/admin/pengguna`: the staff accounts an admin manages (seed 001: officers are registered by
//! the admin), registering one (`Tambah petugas`), deactivating one (`Nonaktifkan`) or turning
//! it on again, and `/admin/pengguna/{id}`: its role and unit.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::accounts::AccountPatch;
use lapor_app::{AppError, User};
use lapor_domain::fields::Password;
use lapor_domain::{Actor, Agency, AgencyId, FieldError, Role, UserId, Violation};
use lapor_http::AppState;
use lapor_http::routes::read_staff_account;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Staff;
use crate::form::{self, Posted, Problems, Sent};
use crate::pages::{Failure, Layout, see_other};
use crate::session::CSRF_FIELD;

/// Accounts per page.
const PAGE_SIZE: usize = 50;

/// The staff roles by the API's name, as the form names them (UI.md).
const ROLES: [(Role, &str); 3] = [
    (Role::NationalAdmin, "Admin Nasional"),
    (Role::AgencyAdmin, "Admin Instansi"),
    (Role::LiaisonOfficer, "Pejabat Penghubung"),
];

fn role_label(role: Role) -> &'static str {
    ROLES
        .iter()
        .find(|(r, _)| *r == role)
        .map_or("Warga", |(_, label)| label)
}

/// The roles an admin may give: a national admin any, an agency admin those of an agency.
fn roles_for(actor: &Actor) -> Vec<(&'static str, &'static str)> {
    ROLES
        .iter()
        .filter(|(role, _)| matches!(actor, Actor::NationalAdmin(_)) || role.needs_agency())
        .map(|(role, label)| (role.as_str(), *label))
        .collect()
}

/// Only admins manage accounts: for anyone else there is no such page.
fn admin(staff: &Staff) -> Result<(), Failure> {
    match staff.visitor.actor {
        Actor::NationalAdmin(_) | Actor::AgencyAdmin(..) => Ok(()),
        _ => Err(Failure::NotFound),
    }
}

/// One account of the list.
pub struct AccountRow {
    id: UserId,
    name: String,
    login: String,
    role: &'static str,
    agency: String,
    active: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    layout: Layout,
    rows: Vec<AccountRow>,
    next: Option<String>,
    roles: Vec<(&'static str, &'static str)>,
    agencies: Vec<Agency>,
    sent: Sent,
    problems: Problems,
}

#[derive(Debug, Default, Deserialize)]
pub struct AccountsParams {
    /// The last account of the page before (`Berikutnya`).
    setelah: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    after: Option<&UserId>,
    sent: Sent,
    problems: Problems,
) -> Result<AccountsPage, Failure> {
    let actor = &staff.visitor.actor;
    let agencies = state.app.agencies_within(actor).await?;
    let names: HashMap<&AgencyId, &str> =
        agencies.iter().map(|a| (&a.id, a.name.as_str())).collect();
    let mut accounts = state
        .app
        .staff_accounts(actor, after, PAGE_SIZE + 1)
        .await?;
    let next = (accounts.len() > PAGE_SIZE).then(|| {
        accounts.truncate(PAGE_SIZE);
        accounts.last().map(|a| a.id.to_string())
    });
    let rows = accounts
        .iter()
        .map(|user: &User| AccountRow {
            id: user.id.clone(),
            name: user.name.clone(),
            login: match (&user.email, &user.phone) {
                (Some(email), _) => email.as_str().to_string(),
                (None, Some(phone)) => phone.as_str().to_string(),
                (None, None) => String::new(),
            },
            role: role_label(user.role),
            agency: user
                .agency_id
                .as_ref()
                .and_then(|id| names.get(id).copied())
                .unwrap_or("Nasional")
                .to_string(),
            active: user.active,
        })
        .collect();
    Ok(AccountsPage {
        layout: staff.layout(state, "Petugas").await?.failed(&problems),
        rows,
        next: next.flatten(),
        roles: roles_for(actor),
        agencies,
        sent,
        problems,
    })
}

/// `GET /admin/pengguna`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<AccountsParams>,
) -> Result<AccountsPage, Failure> {
    admin(&staff)?;
    let after = params.setelah.and_then(|id| UserId::parse(&id).ok());
    page(
        &state,
        &staff,
        after.as_ref(),
        Sent::default(),
        Problems::default(),
    )
    .await
}

/// The form in the API's shape, so that one reader checks both.
fn body(sent: &Sent) -> Map<String, Value> {
    let mut body = Map::new();
    for (key, field) in [
        ("name", "nama"),
        ("email", "email"),
        ("role", "peran"),
        ("agency_id", "instansi"),
    ] {
        if let Some(value) = sent.get(field) {
            body.insert(key.into(), json!(value));
        }
    }
    if let Some(password) = sent.get_untrimmed("sandi") {
        body.insert("password".into(), json!(password));
    }
    body
}

/// The form's field and message for an error of the account.
fn describe(error: &FieldError) -> Option<(&'static str, String)> {
    Some(match error.field.as_str() {
        "name" => ("nama", "Isi nama petugas.".into()),
        "email" => (
            "email",
            "Isi alamat email yang benar, misalnya nama@instansi.go.id.".into(),
        ),
        "password" => (
            "sandi",
            format!(
                "Kata sandi harus {} sampai {} karakter.",
                Password::MIN,
                Password::MAX
            ),
        ),
        "role" => ("peran", "Pilih peran.".into()),
        "agency_id" => ("instansi", "Pilih instansi petugas ini.".into()),
        _ => return None,
    })
}

/// `POST /admin/pengguna`: registers a staff account.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    admin(&staff)?;
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let refused = |problems: Problems| async {
        let page = page(&state, &staff, None, sent.clone(), problems).await?;
        Ok::<_, Failure>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let account = match read_staff_account(&body(&sent)) {
        Ok(account) => account,
        Err(problem) => {
            return refused(Problems::from_api(&problem.errors, "nama", describe)).await;
        }
    };
    match state.app.create_staff(&staff.visitor.actor, account).await {
        Ok(_) => Ok(see_other("/admin/pengguna")),
        Err(AppError::Rule(Violation::Invalid(errors))) => {
            refused(Problems::from_api(&errors, "nama", describe)).await
        }
        Err(AppError::Rule(Violation::Conflict(_))) => {
            let mut problems = Problems::default();
            problems.add("email", "Sudah ada akun dengan email ini.");
            refused(problems).await
        }
        Err(AppError::Rule(Violation::Forbidden(_))) => {
            let mut problems = Problems::default();
            problems.add("instansi", "Pilih instansi Anda atau yang di bawahnya.");
            refused(problems).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Changes an account as an admin; an account they may not manage is a 404.
async fn change(
    state: &AppState,
    staff: &Staff,
    id: &str,
    patch: AccountPatch,
) -> Result<User, AppError> {
    let id = UserId::parse(id).map_err(|_| AppError::not_found())?;
    state
        .app
        .update_account(&staff.visitor.actor, &id, patch)
        .await
}

/// `POST /admin/pengguna/{id}/nonaktifkan` and `/aktifkan`.
pub async fn set_active(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, aksi)): Path<(String, String)>,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    admin(&staff)?;
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let active = match aksi.as_str() {
        "nonaktifkan" => false,
        "aktifkan" => true,
        _ => return Err(Failure::NotFound),
    };
    let patch = AccountPatch {
        active: Some(active),
        ..AccountPatch::default()
    };
    match change(&state, &staff, &id, patch).await {
        Ok(_) => Ok(see_other("/admin/pengguna")),
        Err(AppError::Rule(Violation::Conflict(_))) => Err(Failure::Refused(
            "Admin Nasional terakhir yang aktif tidak dapat dinonaktifkan.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account.html")]
pub struct AccountPage {
    layout: Layout,
    user: User,
    roles: Vec<(&'static str, &'static str)>,
    agencies: Vec<Agency>,
    sent: Sent,
    problems: Problems,
}

impl AccountPage {
    fn role(&self) -> &str {
        if self.sent.has("peran") {
            self.sent.typed("peran")
        } else {
            self.user.role.as_str()
        }
    }

    fn agency(&self) -> &str {
        if self.sent.has("instansi") {
            self.sent.typed("instansi")
        } else {
            self.user.agency_id.as_ref().map_or("", AgencyId::as_str)
        }
    }
}

/// The staff account at `id`, if the admin manages it (the console lists no citizens).
async fn managed(state: &AppState, staff: &Staff, id: &str) -> Result<User, Failure> {
    let id = UserId::parse(id).map_err(|_| Failure::NotFound)?;
    let user = state.app.managed_account(&staff.visitor.actor, &id).await?;
    match user.role {
        Role::Citizen => Err(Failure::NotFound),
        _ => Ok(user),
    }
}

async fn account_page(
    state: &AppState,
    staff: &Staff,
    user: User,
    sent: Sent,
    problems: Problems,
) -> Result<AccountPage, Failure> {
    let actor = &staff.visitor.actor;
    Ok(AccountPage {
        layout: staff
            .layout(state, format!("Petugas {}", user.name))
            .await?
            .failed(&problems),
        user,
        roles: roles_for(actor),
        agencies: state.app.agencies_within(actor).await?,
        sent,
        problems,
    })
}

/// `GET /admin/pengguna/{id}`.
pub async fn account(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<AccountPage, Failure> {
    admin(&staff)?;
    let user = managed(&state, &staff, &id).await?;
    account_page(&state, &staff, user, Sent::default(), Problems::default()).await
}

/// `POST /admin/pengguna/{id}`: another role or unit.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    admin(&staff)?;
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let user = managed(&state, &staff, &id).await?;
    let mut problems = Problems::default();
    let staff_role = |raw: &str| match Role::parse(raw)? {
        Role::Citizen => Err("not a staff role".to_string()),
        role => Ok(role),
    };
    let role = form::field(
        &sent,
        &mut problems,
        "peran",
        true,
        staff_role,
        "Pilih peran.",
    );
    let agency_id = form::field(
        &sent,
        &mut problems,
        "instansi",
        false,
        AgencyId::parse,
        "Pilih instansi dari daftar.",
    );
    let refused = |problems: Problems| async {
        let page = account_page(&state, &staff, user.clone(), sent.clone(), problems).await?;
        Ok::<_, Failure>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    if !problems.is_empty() {
        return refused(problems).await;
    }
    let patch = AccountPatch {
        role,
        agency_id,
        ..AccountPatch::default()
    };
    match change(&state, &staff, &id, patch).await {
        Ok(_) => Ok(see_other("/admin/pengguna")),
        Err(AppError::Rule(Violation::Invalid(errors))) => {
            refused(Problems::from_api(&errors, "peran", describe)).await
        }
        Err(AppError::Rule(Violation::Forbidden(_))) => {
            let mut problems = Problems::default();
            problems.add("instansi", "Pilih instansi Anda atau yang di bawahnya.");
            refused(problems).await
        }
        Err(AppError::Rule(Violation::Conflict(_))) => {
            let mut problems = Problems::default();
            problems.add(
                "peran",
                "Admin Nasional terakhir yang aktif tetap Admin Nasional.",
            );
            refused(problems).await
        }
        Err(e) => Err(e.into()),
    }
}

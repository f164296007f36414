//! `/admin/profil`: a staff member's own account: their name, phone and password
//! (`PATCH /v1/me`'s rules: a new contact or password needs the current password).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::{AppError, User};
use lapor_domain::fields::Password;
use lapor_domain::{FieldError, Violation};
use lapor_http::AppState;
use lapor_http::client::ClientAddress;
use lapor_http::routes::read_my_patch;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Staff;
use crate::form::{Posted, Problems, Sent};
use crate::pages::{Failure, Layout, see_other, too_many_attempts};
use crate::session::CSRF_FIELD;

#[derive(Template, WebTemplate)]
#[template(path = "admin/profile.html")]
pub struct ProfilePage {
    layout: Layout,
    user: User,
    sent: Sent,
    problems: Problems,
    saved: bool,
}

impl ProfilePage {
    fn name(&self) -> &str {
        if self.sent.has("nama") {
            self.sent.typed("nama")
        } else {
            &self.user.name
        }
    }

    fn phone(&self) -> &str {
        if self.sent.has("telepon") {
            self.sent.typed("telepon")
        } else {
            self.user.phone.as_ref().map_or("", |p| p.as_str())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ProfileParams {
    tersimpan: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    sent: Sent,
    problems: Problems,
) -> Result<ProfilePage, Failure> {
    let user = state.app.me(&staff.visitor.actor).await?;
    Ok(ProfilePage {
        layout: staff.layout(state, "Profil").await?.failed(&problems),
        user,
        sent,
        problems,
        saved: false,
    })
}

/// `GET /admin/profil`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<ProfileParams>,
) -> Result<ProfilePage, Failure> {
    let mut page = page(&state, &staff, Sent::default(), Problems::default()).await?;
    page.saved = params.tersimpan.is_some();
    Ok(page)
}

/// The form in the API's shape: a blank phone removes it, blank passwords change nothing.
fn body(sent: &Sent, user: &User) -> Map<String, Value> {
    let mut body = Map::new();
    if let Some(name) = sent.get("nama") {
        body.insert("name".into(), json!(name));
    }
    let phone = sent.get("telepon");
    if phone != user.phone.as_ref().map(|p| p.as_str()) {
        body.insert("phone".into(), phone.map_or(Value::Null, |p| json!(p)));
    }
    if let Some(password) = sent.get_untrimmed("sandi-baru") {
        body.insert("password".into(), json!(password));
    }
    if let Some(current) = sent.get_untrimmed("sandi-lama") {
        body.insert("current_password".into(), json!(current));
    }
    body
}

fn describe(error: &FieldError) -> Option<(&'static str, String)> {
    Some(match error.field.as_str() {
        "name" => ("nama", "Isi nama Anda.".into()),
        "phone" => (
            "telepon",
            "Isi nomor telepon yang benar, misalnya 081234567890.".into(),
        ),
        "email" => (
            "telepon",
            "Akun perlu email atau nomor telepon untuk masuk.".into(),
        ),
        "password" => (
            "sandi-baru",
            format!(
                "Kata sandi baru harus {} sampai {} karakter.",
                Password::MIN,
                Password::MAX
            ),
        ),
        "current_password" => (
            "sandi-lama",
            "Kata sandi saat ini salah atau belum diisi.".into(),
        ),
        _ => return None,
    })
}

/// `POST /admin/profil`.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    client: ClientAddress,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    staff.visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let user = state.app.me(&staff.visitor.actor).await?;
    let refused = |problems: Problems| async {
        let page = page(&state, &staff, sent.clone(), problems).await?;
        Ok::<_, Failure>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let patch = match read_my_patch(&body(&sent, &user)) {
        Ok(patch) => patch,
        Err(problem) => {
            return refused(Problems::from_api(&problem.errors, "nama", describe)).await;
        }
    };
    let password_changed = patch.password.is_some();
    match state
        .app
        .update_me(&staff.visitor.actor, patch, client.0)
        .await
    {
        // A new password ends every session, this one too: sign in with it.
        Ok(_) if password_changed => Ok(see_other("/masuk")),
        Ok(_) => Ok(see_other("/admin/profil?tersimpan=1")),
        Err(AppError::Rule(Violation::Invalid(errors))) => {
            refused(Problems::from_api(&errors, "nama", describe)).await
        }
        Err(AppError::WrongCredentials | AppError::Unauthenticated) => {
            let mut problems = Problems::default();
            problems.add("sandi-lama", "Kata sandi saat ini salah.");
            refused(problems).await
        }
        Err(AppError::Rule(Violation::Conflict(_))) => {
            let mut problems = Problems::default();
            problems.add("telepon", "Nomor ini sudah dipakai akun lain.");
            refused(problems).await
        }
        Err(AppError::Throttled { retry_after }) => {
            let mut problems = Problems::default();
            problems.add("sandi-lama", too_many_attempts(retry_after));
            refused(problems).await
        }
        Err(e) => Err(e.into()),
    }
}

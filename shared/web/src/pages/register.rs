//! `/daftar`: a citizen makes an account, is signed in at once, and lands on `/konfirmasi` to
//! confirm the contact a code was sent to.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::sessions::account_subject;
use lapor_app::{AppError, Login};
use lapor_domain::fields::{Password, PersonName};
use lapor_domain::{FieldError, Violation};
use lapor_http::AppState;
use lapor_http::client::ClientAddress;
use lapor_http::routes::read_registration;
use serde_json::{Map, Value, json};

use super::{Failure, Layout, see_other};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
pub struct RegisterPage {
    layout: Layout,
    sent: Sent,
    problems: Problems,
}

fn page(visitor: &Visitor, sent: Sent, problems: Problems) -> RegisterPage {
    RegisterPage {
        layout: Layout::new("Daftar", visitor).failed(&problems),
        sent,
        problems,
    }
}

/// `GET /daftar`.
pub async fn show(visitor: Visitor) -> RegisterPage {
    page(&visitor, Sent::default(), Problems::default())
}

/// The form's fields in the API's shape, so that one reader checks both.
fn body(sent: &Sent) -> Map<String, Value> {
    let mut body = Map::new();
    for (key, field) in [("name", "nama"), ("email", "email"), ("phone", "telepon")] {
        if let Some(value) = sent.get(field) {
            body.insert(key.into(), json!(value));
        }
    }
    if let Some(password) = sent.get_untrimmed("sandi") {
        body.insert("password".into(), json!(password));
    }
    body
}

/// The form's field and message for an error of the registration.
fn describe(error: &FieldError) -> Option<(&'static str, String)> {
    match error.field.as_str() {
        "name" => Some((
            "nama",
            format!("Isi nama Anda, paling banyak {} karakter.", PersonName::MAX),
        )),
        "email" if error.message.contains("required") => Some((
            "email",
            "Isi email atau nomor telepon, atau keduanya.".into(),
        )),
        "email" => Some((
            "email",
            "Isi alamat email yang benar, misalnya nama@contoh.id.".into(),
        )),
        "phone" => Some((
            "telepon",
            "Isi nomor telepon yang benar, misalnya 081234567890.".into(),
        )),
        "password" => Some((
            "sandi",
            format!(
                "Kata sandi harus {} sampai {} karakter.",
                Password::MIN,
                Password::MAX
            ),
        )),
        _ => None,
    }
}

/// `POST /daftar`.
pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    client: ClientAddress,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let refused = |sent: Sent, problems: Problems| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&visitor, sent, problems),
        )
            .into_response()
    };
    let account = match read_registration(&body(&sent)) {
        Ok(account) => account,
        Err(problem) => {
            let problems = Problems::from_api(&problem.errors, "nama", describe);
            return Ok(refused(sent, problems));
        }
    };
    let login = match (&account.email, &account.phone) {
        (Some(email), _) => Login::Email(email.clone()),
        (None, Some(phone)) => Login::Phone(phone.clone()),
        (None, None) => return Err(Failure::NotAForm),
    };
    let password = account.password.expose().to_string();
    match state.app.register(account, client.0).await {
        Ok(_) => {}
        Err(AppError::Rule(Violation::Conflict(message))) => {
            let mut problems = Problems::default();
            let field = if message.contains("phone") {
                "telepon"
            } else {
                "email"
            };
            problems.add(
                field,
                "Sudah ada akun dengan kontak ini. Masuk, atau atur ulang kata sandinya.",
            );
            return Ok(refused(sent, problems));
        }
        Err(AppError::Throttled { retry_after }) => {
            let mut problems = Problems::default();
            problems.add(
                "nama",
                format!(
                    "Terlalu banyak pendaftaran dari jaringan ini. Coba lagi dalam {} menit.",
                    retry_after.div_ceil(60)
                ),
            );
            return Ok(refused(sent, problems));
        }
        Err(e) => return Err(e.into()),
    }
    // Signed in at once, in a new session.
    let signed_in = state.app.login(&login, &password, client.0).await?;
    if let Some(old) = visitor.session_id() {
        state.app.end_session(old).await?;
    }
    let session = state.app.start_session(account_subject(&signed_in)).await?;
    let mut response = see_other("/konfirmasi");
    let (name, value) = visitor.open(&session);
    response.headers_mut().append(name, value);
    Ok(response)
}

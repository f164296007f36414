//! The pages of one-time codes: `/konfirmasi`, where a signed-in citizen confirms their e-mail
//! address or phone number with the code sent to it (or has another sent), and
//! `/lupa-kata-sandi`, where a forgotten password is reset: `Kirim kode` sends a code to the
//! account's confirmed contact, then `Kode` and `Kata sandi baru` with `Simpan` set it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::codes::ContactKind;
use lapor_app::{AppError, Login, User};
use lapor_domain::Violation;
use lapor_domain::fields::Password;
use lapor_http::AppState;
use lapor_http::client::ClientAddress;

use super::{Failure, Layout, see_other, too_many_attempts};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};

/// A code as typed, or what to say about it.
fn typed_code(sent: &Sent, problems: &mut Problems) -> Option<String> {
    match sent.get("kode") {
        Some(code) if code.len() <= 12 && code.bytes().all(|b| b.is_ascii_digit()) => {
            Some(code.to_string())
        }
        _ => {
            problems.add("kode", "Isi kode 6 angka yang kami kirim.");
            None
        }
    }
}

/// What a refused code is told.
fn code_refused(e: AppError, problems: &mut Problems) -> Result<(), Failure> {
    match e {
        AppError::Rule(Violation::Invalid(_)) => {
            problems.add("kode", "Kode salah atau kedaluwarsa. Minta kode baru.");
            Ok(())
        }
        AppError::Throttled { retry_after } => {
            problems.add("kode", too_many_attempts(retry_after));
            Ok(())
        }
        other => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    layout: Layout,
    /// The contacts still to confirm, as (kind value, its words, the contact).
    pending: Vec<(&'static str, &'static str, String)>,
    problems: Problems,
    /// A code was just sent.
    resent: bool,
}

fn pending(user: &User) -> Vec<(&'static str, &'static str, String)> {
    let mut pending = Vec::new();
    if let (Some(email), false) = (&user.email, user.email_confirmed) {
        pending.push(("email", "email", email.as_str().to_string()));
    }
    if let (Some(phone), false) = (&user.phone, user.phone_confirmed) {
        pending.push(("phone", "nomor telepon", phone.as_str().to_string()));
    }
    pending
}

async fn confirm_page(
    state: &AppState,
    visitor: &Visitor,
    problems: Problems,
    resent: bool,
) -> Result<ConfirmPage, Failure> {
    let user = state.app.me(&visitor.actor).await?;
    Ok(ConfirmPage {
        layout: Layout::new("Konfirmasi kontak", visitor).failed(&problems),
        pending: pending(&user),
        problems,
        resent,
    })
}

/// `GET /konfirmasi`; without a session, the sign-in page.
pub async fn confirm_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, Failure> {
    if visitor.actor.person().is_none() {
        return Ok(see_other("/masuk"));
    }
    Ok(confirm_page(&state, &visitor, Problems::default(), false)
        .await?
        .into_response())
}

/// `POST /konfirmasi`: confirms with the code typed, or (`kirim`) sends another.
pub async fn confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    if visitor.actor.person().is_none() {
        return Ok(see_other("/masuk"));
    }
    let kind = match sent.get("kontak").map(ContactKind::parse) {
        Some(Ok(kind)) => kind,
        _ => return Err(Failure::NotAForm),
    };
    let mut problems = Problems::default();
    if sent.get("kirim").is_some() {
        match state.app.send_confirmation_code(&visitor.actor, kind).await {
            Ok(()) => {
                let page = confirm_page(&state, &visitor, problems, true);
                return Ok(page.await?.into_response());
            }
            Err(AppError::Throttled { retry_after }) => {
                problems.add("kode", too_many_attempts(retry_after));
            }
            Err(e) => return Err(e.into()),
        }
    } else if let Some(code) = typed_code(&sent, &mut problems) {
        match state.app.confirm_contact(&visitor.actor, kind, &code).await {
            Ok(_) => return Ok(see_other("/saya")),
            Err(e) => code_refused(e, &mut problems)?,
        }
    }
    let page = confirm_page(&state, &visitor, problems, false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "reset.html")]
pub struct ResetPage {
    layout: Layout,
    /// The second step: a code was asked for this login.
    asked: bool,
    sent: Sent,
    problems: Problems,
}

fn reset_page(visitor: &Visitor, asked: bool, sent: Sent, problems: Problems) -> ResetPage {
    ResetPage {
        layout: Layout::new("Lupa kata sandi", visitor).failed(&problems),
        asked,
        sent,
        problems,
    }
}

/// `GET /lupa-kata-sandi`.
pub async fn reset_form(visitor: Visitor) -> ResetPage {
    reset_page(&visitor, false, Sent::default(), Problems::default())
}

/// `POST /lupa-kata-sandi`: `Kirim kode`, then (with `kode`) `Simpan`.
pub async fn reset(
    State(state): State<AppState>,
    visitor: Visitor,
    client: ClientAddress,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let mut problems = Problems::default();
    let login = match sent.get("login").map(Login::parse) {
        Some(Ok(login)) => login,
        _ => {
            problems.add("login", "Isi email atau nomor telepon akun Anda.");
            let page = reset_page(&visitor, false, sent, problems);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let second_step = sent.get("langkah") == Some("simpan");
    if !second_step {
        return match state.app.request_password_reset(&login, client.0).await {
            Ok(()) => Ok(reset_page(&visitor, true, sent, problems).into_response()),
            Err(AppError::Throttled { retry_after }) => {
                problems.add("login", too_many_attempts(retry_after));
                let page = reset_page(&visitor, false, sent, problems);
                Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
            }
            Err(e) => Err(e.into()),
        };
    }
    let code = typed_code(&sent, &mut problems);
    let password = match sent.get_untrimmed("sandi_baru").map(Password::parse) {
        Some(Ok(password)) => Some(password),
        _ => {
            problems.add(
                "sandi_baru",
                format!(
                    "Kata sandi baru harus {} sampai {} karakter.",
                    Password::MIN,
                    Password::MAX
                ),
            );
            None
        }
    };
    if let (Some(code), Some(password)) = (code, password) {
        match state.app.reset_password(&login, &code, password).await {
            Ok(()) => return Ok(see_other("/masuk?sandi=baru")),
            Err(e) => code_refused(e, &mut problems)?,
        }
    }
    let page = reset_page(&visitor, true, sent, problems);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

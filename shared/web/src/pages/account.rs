//! Signing in and out (`/masuk`, `/keluar`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::sessions::account_subject;
use lapor_app::{AppError, Login};
use lapor_http::AppState;
use lapor_http::client::ClientAddress;

use super::{Failure, Layout, see_other, too_many_attempts};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    layout: Layout,
    sent: Sent,
    problems: Problems,
    /// The password was just reset.
    new_password: bool,
}

fn sign_in_page(visitor: &Visitor, sent: Sent, problems: Problems) -> SignInPage {
    SignInPage {
        layout: Layout::new("Masuk", visitor).failed(&problems),
        sent,
        problems,
        new_password: false,
    }
}

/// What `/masuk` is told by the page that sent the visitor there.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SignInParams {
    /// `baru`: the password was just reset.
    sandi: Option<String>,
}

/// `GET /masuk`.
pub async fn sign_in_form(visitor: Visitor, Query(params): Query<SignInParams>) -> SignInPage {
    let mut page = sign_in_page(&visitor, Sent::default(), Problems::default());
    page.new_password = params.sandi.as_deref() == Some("baru");
    page
}

/// `POST /masuk`: a new session for the account (a new id: none from before is kept), then
/// staff to their work list, citizens to their page.
pub async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    client: ClientAddress,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let mut problems = Problems::default();
    let login = sent.get("login").map(Login::parse);
    let password = sent.get_untrimmed("sandi");
    if !matches!(login, Some(Ok(_))) {
        problems.add("login", "Isi email atau nomor telepon akun Anda.");
    }
    if password.is_none() {
        problems.add("sandi", "Isi kata sandi.");
    }
    let (Some(Ok(login)), Some(password), true) = (login, password, problems.is_empty()) else {
        return Ok(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            &visitor,
            sent,
            problems,
        ));
    };
    match state.app.login(&login, password, client.0).await {
        Ok(signed_in) => {
            if let Some(old) = visitor.session_id() {
                state.app.end_session(old).await?;
            }
            let session = state.app.start_session(account_subject(&signed_in)).await?;
            let to = if signed_in.user.role != lapor_domain::Role::Citizen {
                "/admin/laporan"
            } else {
                "/saya"
            };
            let mut response = see_other(to);
            let (name, value) = visitor.open(&session);
            response.headers_mut().append(name, value);
            Ok(response)
        }
        Err(AppError::WrongCredentials) => {
            problems.add("login", "Email, nomor telepon atau kata sandi salah.");
            Ok(refused(StatusCode::UNAUTHORIZED, &visitor, sent, problems))
        }
        Err(AppError::Throttled { retry_after }) => {
            problems.add("login", too_many_attempts(retry_after));
            Ok(refused(
                StatusCode::TOO_MANY_REQUESTS,
                &visitor,
                sent,
                problems,
            ))
        }
        Err(AppError::Rule(lapor_domain::Violation::Forbidden(_))) => {
            problems.add("login", "Akun ini telah dinonaktifkan. Hubungi admin Anda.");
            Ok(refused(StatusCode::FORBIDDEN, &visitor, sent, problems))
        }
        Err(e) => Err(e.into()),
    }
}

fn refused(status: StatusCode, visitor: &Visitor, sent: Sent, problems: Problems) -> Response {
    (status, sign_in_page(visitor, sent, problems)).into_response()
}

/// `POST /keluar`: ends the session on the server and in the browser.
pub async fn sign_out(
    State(state): State<AppState>,
    visitor: Visitor,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    if let Some(id) = visitor.session_id() {
        state.app.end_session(id).await?;
    }
    let mut response = see_other("/");
    let (name, value) = visitor.close();
    response.headers_mut().append(name, value);
    Ok(response)
}

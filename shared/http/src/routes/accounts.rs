//! `/v1/auth/*`, `/v1/me`, `/v1/users`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lapor_app::accounts::NewAccount;
use lapor_app::ports::Login;
use lapor_domain::fields::{Email, Password, PersonName, Phone};
use lapor_domain::{AgencyId, Role};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{SignedInCaller, USER_TOKEN_TTL};
use crate::input::{Fields, JsonBody};
use crate::problem::Problem;

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

/// `POST /v1/auth/register`.
pub async fn register(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let mut f = Fields::new(&body.object);
    let value = read_account(&mut f, false);
    let (name, email, phone, password) = f.finish(value)?;
    let id = state
        .app
        .register(NewAccount {
            name,
            email,
            phone,
            password,
            role: Role::Citizen,
            agency_id: None,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// `POST /v1/auth/login`.
pub async fn login(State(state): State<AppState>, body: JsonBody) -> Result<Json<Value>, Problem> {
    let mut f = Fields::new(&body.object);
    let login = f.text("login", true, |raw| {
        if raw.contains('@') {
            Email::parse(raw).map(Login::Email)
        } else {
            Phone::parse(raw)
                .map(Login::Phone)
                .map_err(|_| "must be your e-mail address or phone number".to_string())
        }
    });
    // Only the length is checked: a sign-in must not tell which password rules changed since.
    let password = f.text("password", true, |raw| {
        if raw.chars().count() > Password::MAX {
            Err(format!("must be at most {} characters long", Password::MAX))
        } else {
            Ok(raw.to_string())
        }
    });
    let (login, password) = f.finish(login.zip(password))?;
    let signed_in = state.app.login(&login, &password).await?;
    let token = state.tokens.user_token(&signed_in, state.app.clock.now());
    let user = &signed_in.user;
    Ok(Json(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": USER_TOKEN_TTL.whole_seconds(),
        "user": { "id": user.id, "name": user.name, "role": user.role, "agency_id": user.agency_id },
    })))
}

/// `GET /v1/me`.
pub async fn me(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
) -> Result<Json<Value>, Problem> {
    if let lapor_domain::Actor::ReportHolder(report_id) = &actor {
        return Ok(Json(
            json!({ "id": null, "name": null, "role": "citizen", "agency_id": null, "report_id": report_id }),
        ));
    }
    let user = state.app.me(&actor).await?;
    Ok(Json(json!({
        "id": user.id, "name": user.name, "role": user.role, "agency_id": user.agency_id,
        "email": user.email, "phone": user.phone,
    })))
}

/// `POST /v1/users`.
pub async fn create_user(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    body: JsonBody,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let mut f = Fields::new(&body.object);
    let account = read_account(&mut f, true);
    let role = f.text("role", true, |raw| match Role::parse(raw)? {
        Role::Citizen => Err("must be one of national_admin, agency_admin, liaison_officer".into()),
        role => Ok(role),
    });
    let agency_id = f.text("agency_id", false, AgencyId::parse);
    let ((name, email, phone, password), role) = f.finish(account.zip(role))?;
    let id = state
        .app
        .create_staff(
            &actor,
            NewAccount {
                name,
                email,
                phone,
                password,
                role,
                agency_id,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

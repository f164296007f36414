//! One-time codes (`lapor_app::codes`): confirming one's e-mail address or phone number, and
//! resetting a forgotten password. The codes go out through the outgoing webhook gateway.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lapor_app::Login;
use lapor_app::codes::ContactKind;
use lapor_domain::fields::Password;
use serde::Serialize;
use utoipa::ToSchema;

use super::accounts::MeUser;
use crate::AppState;
use crate::auth::SignedInCaller;
use crate::client::ClientAddress;
use crate::input::{Fields, JsonBody};
use crate::openapi::{BodyErrors, Conflict, ServerErrors, Throttled, TokenRequired};
use crate::problem::Problem;

/// `POST /v1/me/confirmation`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct ConfirmationBody {
    /// Which contact: `email` or `phone`.
    channel: ContactKind,
    /// The code sent to it; without it, a code is sent.
    #[schema(example = "123456")]
    code: Option<String>,
}

/// `POST /v1/auth/password-reset`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct ResetBody {
    /// The account's e-mail address or phone number (the code goes there, once confirmed).
    #[schema(example = "siti@contoh.id")]
    login: String,
    /// The code sent; without it (and without `password`), a code is sent.
    #[schema(example = "123456")]
    code: Option<String>,
    /// The new password (10 to 200 characters), with `code`.
    #[schema(format = Password)]
    password: Option<String>,
}

/// What was done.
#[derive(Serialize, ToSchema)]
pub struct Done {
    /// `code_sent`, or `password_changed`.
    status: &'static str,
}

/// A code as typed: digits, at most 12 characters.
fn code(raw: &str) -> Result<String, String> {
    let code = raw.trim();
    if code.is_empty() || code.len() > 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must be the digits of the code sent".to_string());
    }
    Ok(code.to_string())
}

/// Confirm a contact
///
/// Without `code`, sends a code to the caller's e-mail address or phone number (202; 409 when
/// it is confirmed already, or when no webhook gateway is configured; 503 when the gateway
/// fails: ask again). With it, confirms that
/// contact (200 with the caller, 422 for a wrong or expired code). A citizen's contact is
/// confirmed before notifications or a password reset go to it; staff contacts are confirmed
/// by the admin who made the account.
#[utoipa::path(
    post,
    path = "/v1/me/confirmation",
    operation_id = "confirmContact",
    tag = "Accounts",
    request_body(content = ConfirmationBody, example = json!({"channel": "email", "code": "123456"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Confirmed.", body = MeUser),
        (status = 202, description = "A code was sent.", body = Done),
        (status = 401, response = TokenRequired),
        (status = 409, response = Conflict),
        (status = 429, response = Throttled),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn confirmation(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    body: JsonBody,
) -> Result<axum::response::Response, Problem> {
    use axum::response::IntoResponse as _;
    let mut f = Fields::new(&body.object);
    let kind = f.text("channel", true, ContactKind::parse);
    let sent = f.text("code", false, code);
    let kind = f.finish(kind)?;
    match sent {
        None => {
            state.app.send_confirmation_code(&actor, kind).await?;
            Ok((
                StatusCode::ACCEPTED,
                Json(Done {
                    status: "code_sent",
                }),
            )
                .into_response())
        }
        Some(code) => {
            let user = state.app.confirm_contact(&actor, kind, &code).await?;
            Ok(Json(MeUser::from(user)).into_response())
        }
    }
}

/// Reset a forgotten password
///
/// Without `code`, sends a reset code to the account's confirmed e-mail address or phone
/// number, if `login` names one: the answer (202) is the same when it does not, so it tells
/// nobody which accounts exist. With `code` and `password`, sets the new password (200); every
/// session and token of the account then ends. Requests and wrong codes are throttled (429). No
/// token is read.
#[utoipa::path(
    post,
    path = "/v1/auth/password-reset",
    operation_id = "resetPassword",
    tag = "Accounts",
    request_body(content = ResetBody, example = json!({
        "login": "siti@contoh.id", "code": "123456", "password": "kata-sandi-yang-baru"
    })),
    responses(
        (status = 200, description = "The password is changed.", body = Done),
        (status = 202, description = "A code was sent, if the login has an account.", body = Done),
        (status = 429, response = Throttled),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn password_reset(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    body: JsonBody,
) -> Result<(StatusCode, Json<Done>), Problem> {
    let mut f = Fields::new(&body.object);
    let login = f.text("login", true, Login::parse);
    let sent = f.text("code", false, code);
    let password = f.text("password", false, Password::parse);
    if sent.is_some() != password.is_some() && f.is_valid() {
        f.error(
            if sent.is_some() { "password" } else { "code" },
            "code and password go together",
        );
    }
    let login = f.finish(login)?;
    match sent.zip(password) {
        None => {
            state.app.request_password_reset(&login, client).await?;
            Ok((
                StatusCode::ACCEPTED,
                Json(Done {
                    status: "code_sent",
                }),
            ))
        }
        Some((code, password)) => {
            state.app.reset_password(&login, &code, password).await?;
            Ok((
                StatusCode::OK,
                Json(Done {
                    status: "password_changed",
                }),
            ))
        }
    }
}

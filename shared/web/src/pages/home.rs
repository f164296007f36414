//! The home page and its report form (`GET /`, `POST /laporan`), and the confirmation with the
//! tracking id and, once, the access code (`/laporan/terkirim/{tracking_id}`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use lapor_app::attachments::caller_key;
use lapor_app::reports::Idempotency;
use lapor_app::secrets::{seal, sha256_hex, unseal};
use lapor_domain::TrackingId;
use lapor_domain::report::Channel;
use lapor_http::AppState;
use serde_json::Value;

use super::report_form::{self, FormPage, Purpose, Read};
use super::{Failure, Layout, see_other};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};

/// `GET /`: the home page with the report form.
pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<FormPage, Failure> {
    report_form::page(
        &visitor,
        &state,
        Purpose::New,
        Sent::default(),
        Problems::default(),
    )
    .await
}

/// The cookie that carries a new report's access code to its confirmation page, sealed, for
/// ten minutes; the page shows it once and removes it.
const SUBMITTED_COOKIE: &str = "lapor_terkirim";

/// `POST /laporan`: stores the report and redirects to its confirmation, or shows the form
/// again with what was typed and what is wrong, having stored nothing.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    posted: Posted,
) -> Result<Response, Failure> {
    let sent = posted.sent.clone();
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let (submission, files, body) =
        match report_form::read(&state, &visitor, Purpose::New, &posted).await? {
            Read::Ready {
                submission,
                files,
                body,
            } => (submission, files, body),
            Read::Again(page) => return Ok(page.invalid()),
        };
    let idempotency = sent.get("kunci").map(|key| Idempotency {
        caller: caller_key(&visitor.actor),
        key: state.tokens.idempotency_secret(key),
        request_hash: sha256_hex(Value::Object(body).to_string().as_bytes()),
    });
    let attachment_ids = files.store(&state, &visitor.actor).await?;
    let submitted = match state
        .app
        .submit(
            &visitor.actor,
            *submission,
            &attachment_ids,
            Channel::Web,
            idempotency,
        )
        .await
    {
        Ok(submitted) => submitted,
        Err(lapor_app::AppError::Rule(lapor_domain::Violation::Invalid(errors))) => {
            return report_form::refused(&state, &visitor, Purpose::New, sent, &errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    let mut response = see_other(&format!("/laporan/terkirim/{}", submitted.tracking_id));
    if let Some(code) = &submitted.access_code {
        let sealed = seal(
            &format!("{}:{code}", submitted.tracking_id),
            &state.tokens.web_mac("submitted", ""),
        );
        let https = crate::session::over_https(&headers);
        let cookie = format!(
            "{SUBMITTED_COOKIE}={sealed}; Path=/laporan/terkirim; HttpOnly; SameSite=Lax; \
             Max-Age=600{}",
            if https { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "submitted.html")]
struct SubmittedPage {
    layout: Layout,
    tracking_id: String,
    access_code: Option<String>,
}

/// `GET /laporan/terkirim/{tracking_id}`: the tracking id, and once, the access code.
pub async fn submitted(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tracking_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let tracking_id = TrackingId::parse(&tracking_id).map_err(|_| Failure::NotFound)?;
    let key = state.tokens.web_mac("submitted", "");
    let access_code = crate::session::cookie(&headers, SUBMITTED_COOKIE)
        .and_then(|sealed| unseal(sealed, &key))
        .and_then(|plain| {
            let (tracking, code) = plain.split_once(':')?;
            (tracking == tracking_id.as_str()).then(|| code.to_string())
        });
    let page = SubmittedPage {
        layout: Layout::new("Laporan terkirim", &visitor),
        tracking_id: tracking_id.to_string(),
        access_code,
    };
    let mut response = page.into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "lapor_terkirim=; Path=/laporan/terkirim; HttpOnly; SameSite=Lax; Max-Age=0",
        ),
    );
    Ok(response)
}

//! Tracking a report without an account (`/lacak`): its tracking id and access code open a
//! session as its reporter, and its page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::{AppError, SessionSubject};
use lapor_domain::TrackingId;
use lapor_http::AppState;
use lapor_http::client::ClientAddress;

use super::{Failure, Layout, see_other, too_many_attempts};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "track.html")]
pub struct TrackPage {
    layout: Layout,
    sent: Sent,
    problems: Problems,
}

fn track_page(visitor: &Visitor, sent: Sent, problems: Problems) -> TrackPage {
    TrackPage {
        layout: Layout::new("Lacak laporan", visitor).failed(&problems),
        sent,
        problems,
    }
}

/// `GET /lacak`.
pub async fn show(visitor: Visitor) -> TrackPage {
    track_page(&visitor, Sent::default(), Problems::default())
}

/// `POST /lacak`: opens the report as its reporter, or says what is wrong.
pub async fn open(
    State(state): State<AppState>,
    visitor: Visitor,
    client: ClientAddress,
    Posted { sent, .. }: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(sent.get(CSRF_FIELD))?;
    let mut problems = Problems::default();
    let tracking_id = sent.get("nomor").map(TrackingId::parse);
    let code = sent.get("kode");
    if !matches!(tracking_id, Some(Ok(_))) {
        problems.add("nomor", "Isi nomor pelacakan, misalnya 5032082.");
    }
    if code.is_none() {
        problems.add("kode", "Isi kode akses yang Anda terima saat melapor.");
    }
    let (Some(Ok(tracking_id)), Some(code), true) = (tracking_id, code, problems.is_empty()) else {
        return Ok(refused(track_page(&visitor, sent, problems)));
    };
    match state
        .app
        .open_with_access_code(&tracking_id, code, client.0)
        .await
    {
        Ok(report_id) => {
            let session = state
                .app
                .start_session(SessionSubject::Report { report_id })
                .await?;
            let mut response = see_other(&format!("/pengaduan/{tracking_id}"));
            let (name, value) = visitor.open(&session);
            response.headers_mut().append(name, value);
            Ok(response)
        }
        Err(AppError::WrongCredentials) => {
            problems.add("kode", "Nomor pelacakan atau kode akses salah.");
            Ok(refused(track_page(&visitor, sent, problems)))
        }
        Err(AppError::Throttled { retry_after }) => {
            problems.add("kode", too_many_attempts(retry_after));
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                track_page(&visitor, sent, problems),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A form shown again with its problems (422).
fn refused(page: TrackPage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

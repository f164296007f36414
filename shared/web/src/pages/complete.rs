//! `Lengkapi laporan`: a report returned to its reporter, completed on the report form filled in
//! with what it said (`/pengaduan/{tracking_id}/lengkapi`), sent with `Kirim ulang`; it then
//! waits for verification again. Only its reporter, while it is returned, gets the form: to
//! anyone else it is the 404 page, as the API answers.

use axum::extract::{Path, State};
use axum::response::Response;
use lapor_app::{AppError, ReportKey};
use lapor_domain::actions::Command;
use lapor_domain::lifecycle::Action;
use lapor_domain::view::ReportView;
use lapor_domain::{TrackingId, Violation};
use lapor_http::AppState;
use time::format_description::well_known::Iso8601;

use super::report_form::{self, FormPage, Purpose, Read};
use super::{Failure, see_other};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};

/// The report, if the viewer may complete it now.
async fn returned(
    state: &AppState,
    visitor: &Visitor,
    tracking_id: &str,
) -> Result<(ReportKey, ReportView), Failure> {
    let key = TrackingId::parse(tracking_id)
        .map(ReportKey::Tracking)
        .map_err(|_| Failure::NotFound)?;
    let (report, actions) = state.app.view_with_actions(&key, &visitor.actor).await?;
    if !actions.contains(&Action::Complete) {
        return Err(Failure::NotFound);
    }
    Ok((key, report))
}

/// What the completed report keeps of the one it replaces: its files.
fn purpose(report: &ReportView) -> Purpose {
    Purpose::Complete {
        tracking_id: report.tracking_id.to_string(),
        kept: report
            .attachments
            .iter()
            .map(|a| (a.id.to_string(), a.filename.to_string()))
            .collect(),
    }
}

/// The report's fields as the form sends them.
fn as_sent(report: &ReportView) -> Sent {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut put = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            pairs.push((name.to_string(), value));
        }
    };
    put(
        "klasifikasi",
        serde_json::to_value(report.classification)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string)),
    );
    put("judul", Some(report.title.clone()));
    put("isi", Some(report.body.clone()));
    put("kategori", Some(report.category.clone()));
    put(
        "tanggal",
        report.incident_date.date().format(&Iso8601::DATE).ok(),
    );
    let location = &report.location;
    let codes = location.codes.clone().unwrap_or_default();
    put(
        "provinsi",
        codes
            .province
            .or_else(|| Some(location.province.as_str().to_string())),
    );
    put(
        "kabupaten",
        codes
            .regency
            .or_else(|| Some(location.regency.as_str().to_string())),
    );
    put(
        "kecamatan",
        location.district.as_ref().map(|d| d.as_str().to_string()),
    );
    put(
        "desa",
        location.village.as_ref().map(|v| v.as_str().to_string()),
    );
    put(
        "alamat",
        location.address.as_ref().map(|a| a.as_str().to_string()),
    );
    if let Some(agency) = &report.target_agency {
        put("instansi", Some(agency.name.to_string()));
        put("instansi_id", Some(agency.id.to_string()));
    }
    if report.anonymous {
        put("anonim", Some("on".into()));
    }
    if report.confidential {
        put("rahasia", Some("on".into()));
    }
    if let Some(contact) = report.reporter.as_ref().and_then(|r| r.contact.as_ref()) {
        put(
            "nama",
            contact.name.as_ref().map(|n| n.as_str().to_string()),
        );
        put(
            "email",
            contact.email.as_ref().map(|e| e.as_str().to_string()),
        );
        put(
            "telepon",
            contact.phone.as_ref().map(|p| p.as_str().to_string()),
        );
    }
    Sent::new(pairs)
}

/// `GET /pengaduan/{tracking_id}/lengkapi`: the form, filled in.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tracking_id): Path<String>,
) -> Result<FormPage, Failure> {
    let (_, report) = returned(&state, &visitor, &tracking_id).await?;
    let sent = as_sent(&report);
    report_form::page(
        &visitor,
        &state,
        purpose(&report),
        sent,
        Problems::default(),
    )
    .await
}

/// `POST /pengaduan/{tracking_id}/lengkapi`: sends the completed report (`Kirim ulang`).
pub async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tracking_id): Path<String>,
    posted: Posted,
) -> Result<Response, Failure> {
    visitor.check_csrf(posted.sent.get(CSRF_FIELD))?;
    let (key, report) = returned(&state, &visitor, &tracking_id).await?;
    let (submission, files) =
        match report_form::read(&state, &visitor, purpose(&report), &posted).await? {
            Read::Ready {
                submission, files, ..
            } => (submission, files),
            Read::Again(page) => return Ok(page.invalid()),
        };
    let ids = files.store(&state, &visitor.actor).await?;
    let completed = state
        .app
        .act_attaching(
            &key,
            &visitor.actor,
            &ids,
            |attachments| {
                let mut submission = (*submission).clone();
                submission.attachments = attachments;
                Command::Complete(Box::new(submission))
            },
            None,
        )
        .await;
    match completed {
        Ok(_) => Ok(see_other(&format!("/pengaduan/{tracking_id}"))),
        Err(AppError::Rule(Violation::Invalid(errors))) => {
            report_form::refused(&state, &visitor, purpose(&report), posted.sent, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

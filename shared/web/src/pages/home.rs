//! The home page and its report form (`GET /`, `POST /laporan`), and the confirmation with the
//! tracking id and, once, the access code (`/laporan/terkirim/{tracking_id}`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_app::attachments::caller_key;
use lapor_app::reports::Idempotency;
use lapor_app::secrets::{hex, seal, sha256_hex, unseal};
use lapor_domain::fields::{Address, PersonName, PlaceName, ReportBody, Title};
use lapor_domain::report::Channel;
use lapor_domain::{FieldError, TrackingId};
use lapor_http::AppState;
use lapor_http::routes::read_submission_object;
use serde_json::{Map, Value, json};

use super::agency_choice::{self, Choice, Match};
use super::files::{self, FormFiles};
use super::{Failure, Layout, see_other};
use crate::form::{Posted, Problems, Sent};
use crate::session::{CSRF_FIELD, Visitor};
use crate::text;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    sent: Sent,
    problems: Problems,
    /// A fresh idempotency key: sending the form twice (a reload, a double click) stores one
    /// report.
    key: String,
    /// Signed in: the account is the contact, the form asks for none.
    signed_in: bool,
    /// The categories offered, as (code, the names from the top down).
    categories: Vec<(String, String)>,
    /// The agencies that match the name typed in `Instansi tujuan`, to pick one.
    matches: Vec<Match>,
}

impl HomePage {
    fn classifications(
        &self,
    ) -> &'static [(
        &'static str,
        lapor_domain::fields::Classification,
        &'static str,
    )] {
        &text::CLASSIFICATIONS
    }

    fn regions(&self) -> &'static [text::ProvinceGroup] {
        text::regions()
    }

    /// The value sent for `field` is this one.
    fn chosen(&self, field: &str, value: &str) -> bool {
        self.sent.typed(field) == value
    }

    /// The radio of a classification is checked: the one sent, or the first.
    fn checked(&self, value: &str) -> bool {
        self.sent.get("klasifikasi").unwrap_or("complaint") == value
    }
}

/// The home page with its form, as sent and with its problems.
async fn form_page(
    visitor: &Visitor,
    state: &AppState,
    sent: Sent,
    problems: Problems,
) -> Result<HomePage, Failure> {
    let categories = state.app.categories().await?;
    let key = sent
        .get("kunci")
        .map(str::to_string)
        .unwrap_or_else(|| hex(&state.app.ids.secret(16)));
    Ok(HomePage {
        layout: Layout::new("Sampaikan laporan Anda", visitor).failed(&problems),
        sent,
        problems,
        key,
        signed_in: visitor.actor.person().is_some(),
        categories: text::offered_categories(&categories),
        matches: Vec::new(),
    })
}

/// `GET /`: the home page with the report form.
pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Result<HomePage, Failure> {
    form_page(&visitor, &state, Sent::default(), Problems::default()).await
}

/// The form's fields as the API's submission body, so that one reader checks both.
fn submission_body(sent: &Sent, signed_in: bool) -> Map<String, Value> {
    let mut body = Map::new();
    let put = |object: &mut Map<String, Value>, key: &str, field: &str| {
        if let Some(value) = sent.get(field) {
            object.insert(key.to_string(), json!(value));
        }
    };
    put(&mut body, "classification", "klasifikasi");
    put(&mut body, "title", "judul");
    put(&mut body, "body", "isi");
    put(&mut body, "category", "kategori");
    put(&mut body, "incident_date", "tanggal");
    let mut location = Map::new();
    // The selects send codes; a form posted by other means may send names.
    let mut codes = Map::new();
    for (key, field) in [("province", "provinsi"), ("regency", "kabupaten")] {
        match sent.get(field) {
            Some(value) if lapor_regions::find(value).is_some() => {
                codes.insert(key.to_string(), json!(value));
            }
            _ => put(&mut location, key, field),
        }
    }
    if !codes.is_empty() {
        location.insert("codes".into(), Value::Object(codes));
    }
    put(&mut location, "district", "kecamatan");
    put(&mut location, "village", "desa");
    put(&mut location, "address", "alamat");
    body.insert("location".into(), Value::Object(location));
    body.insert("anonymous".into(), json!(sent.ticked("anonim")));
    body.insert("confidential".into(), json!(sent.ticked("rahasia")));
    if !signed_in {
        let mut contact = Map::new();
        put(&mut contact, "name", "nama");
        put(&mut contact, "email", "email");
        put(&mut contact, "phone", "telepon");
        body.insert("contact".into(), Value::Object(contact));
    }
    body
}

/// A text field's message: what is missing, or the rule it breaks.
fn text_message(error: &FieldError, missing: &str, min: usize, max: usize, label: &str) -> String {
    if error.message == "is required" {
        missing.to_string()
    } else {
        format!("{label} harus {min} sampai {max} karakter, tanpa karakter kendali.")
    }
}

/// The form's field and message for an error of the submission body.
fn describe(error: &FieldError) -> Option<(&'static str, String)> {
    let place = |id, label: &str| {
        let missing = format!("Isi {}.", label.to_lowercase());
        Some((
            id,
            text_message(error, &missing, PlaceName::MIN, PlaceName::MAX, label),
        ))
    };
    match error.field.as_str() {
        "classification" => Some(("klasifikasi", "Pilih jenis laporan.".into())),
        "title" => Some((
            "judul",
            text_message(
                error,
                "Isi judul laporan.",
                Title::MIN,
                Title::MAX,
                "Judul laporan",
            ),
        )),
        "body" => Some((
            "isi",
            text_message(
                error,
                "Tuliskan isi laporan.",
                ReportBody::MIN,
                ReportBody::MAX,
                "Isi laporan",
            ),
        )),
        "category" => Some(("kategori", "Pilih kategori.".into())),
        "incident_date" if error.message == "is required" => {
            Some(("tanggal", "Isi tanggal kejadian.".into()))
        }
        "incident_date" => Some((
            "tanggal",
            "Tanggal kejadian harus tanggal setelah tahun 1945 dan tidak di masa depan.".into(),
        )),
        "location.province" | "location.codes.province" if error.message.starts_with("is") => {
            Some(("provinsi", "Pilih provinsi.".into()))
        }
        "location.province" => place("provinsi", "Provinsi"),
        "location.codes.regency" => Some((
            "kabupaten",
            "Pilih kabupaten/kota di provinsi yang dipilih.".into(),
        )),
        "location.regency" if error.message.starts_with("is") => {
            Some(("kabupaten", "Pilih kabupaten/kota.".into()))
        }
        "location.regency" => place("kabupaten", "Kabupaten/Kota"),
        "location.district" => place("kecamatan", "Kecamatan"),
        "location.village" => place("desa", "Desa/Kelurahan"),
        "location.address" => Some((
            "alamat",
            text_message(error, "Isi alamat.", Address::MIN, Address::MAX, "Alamat"),
        )),
        "contact.name" => Some((
            "nama",
            text_message(error, "Isi nama.", PersonName::MIN, PersonName::MAX, "Nama"),
        )),
        "target_agency_id" => Some(("instansi", NO_AGENCY.into())),
        "contact.email" => Some((
            "email",
            "Isi alamat email yang benar, misalnya nama@contoh.id.".into(),
        )),
        "contact.phone" => Some((
            "telepon",
            "Isi nomor telepon yang benar, misalnya 081234567890.".into(),
        )),
        _ => None,
    }
}

/// The agency named is not found.
const NO_AGENCY: &str =
    "Tidak ada instansi dengan nama itu. Periksa ejaannya, atau kosongkan kolom ini.";
/// Several agencies match the name typed.
const PICK_AGENCY: &str = "Pilih salah satu instansi yang cocok di bawah, lalu kirim lagi.";

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
    let signed_in = visitor.actor.person().is_some();
    let mut body = submission_body(&sent, signed_in);
    let choice = agency_choice::choose(&state, &sent).await?;
    if let Choice::Chosen(id) = &choice {
        body.insert("target_agency_id".into(), json!(id));
    }
    let read = read_submission_object(&state, &body).await;
    let mut problems = match &read {
        Ok(_) => Problems::default(),
        Err(problem) => Problems::from_api(&problem.errors, "judul", describe),
    };
    let matches = match choice {
        Choice::NoMatch => {
            problems.add("instansi", NO_AGENCY);
            Vec::new()
        }
        Choice::Matches(matches) => {
            problems.add("instansi", PICK_AGENCY);
            matches
        }
        Choice::Nobody | Choice::Chosen(_) => Vec::new(),
    };
    let files = FormFiles::read(&posted, &mut problems);
    let (submission, _) = match read {
        Ok(read) if problems.is_empty() => read,
        _ => {
            let mut page = form_page(&visitor, &state, sent, problems).await?;
            page.matches = matches;
            return Ok(invalid(page));
        }
    };
    let idempotency = sent.get("kunci").map(|key| Idempotency {
        caller: caller_key(&visitor.actor),
        key: state.tokens.idempotency_secret(key),
        request_hash: sha256_hex(Value::Object(body.clone()).to_string().as_bytes()),
    });
    let attachment_ids = files.store(&state, &visitor.actor).await?;
    let submitted = match state
        .app
        .submit(
            &visitor.actor,
            submission,
            &attachment_ids,
            Channel::Web,
            idempotency,
        )
        .await
    {
        Ok(submitted) => submitted,
        Err(lapor_app::AppError::Rule(lapor_domain::Violation::Invalid(errors))) => {
            let problems = Problems::from_api(&errors, "judul", |e| {
                describe(e).or_else(|| files::describe(e))
            });
            return Ok(invalid(form_page(&visitor, &state, sent, problems).await?));
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

/// A form shown again with its problems (422).
fn invalid(page: HomePage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
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

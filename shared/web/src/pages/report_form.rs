//! The report form: on the home page for a new report, and on `/pengaduan/{tracking_id}/lengkapi`
//! for a returned one, filled in with what it said. Its fields are read as the API's submission
//! body, by the API's own reader, so that one set of rules checks both.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lapor_app::secrets::hex;
use lapor_domain::FieldError;
use lapor_domain::fields::{Address, PersonName, PlaceName, ReportBody, Title};
use lapor_domain::report::Submission;
use lapor_http::AppState;
use lapor_http::routes::read_submission_object;
use serde_json::{Map, Value, json};

use super::Failure;
use super::Layout;
use super::agency_choice::{self, Choice, Match};
use super::files::{self, FormFiles};
use crate::form::{Posted, Problems, Sent};
use crate::session::Visitor;
use crate::text;

/// What the form is for.
pub enum Purpose {
    /// A new report (`POST /laporan`, button `LAPOR!`).
    New,
    /// A returned report completed (`Kirim ulang`), keeping the files it had.
    Complete {
        tracking_id: String,
        /// The files it had, as (id, name): sent again with it.
        kept: Vec<(String, String)>,
    },
}

impl Purpose {
    fn title(&self) -> String {
        match self {
            Self::New => "Sampaikan laporan Anda".to_string(),
            Self::Complete { tracking_id, .. } => format!("Lengkapi laporan #{tracking_id}"),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct FormPage {
    layout: Layout,
    purpose: Purpose,
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
    /// Files came with the form it is shown again for: they must be chosen again.
    files_posted: bool,
}

impl FormPage {
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

    /// Where the form posts.
    fn action(&self) -> String {
        match &self.purpose {
            Purpose::New => "/laporan".to_string(),
            Purpose::Complete { tracking_id, .. } => format!("/pengaduan/{tracking_id}/lengkapi"),
        }
    }

    /// The files a completed report keeps.
    fn kept(&self) -> &[(String, String)] {
        match &self.purpose {
            Purpose::New => &[],
            Purpose::Complete { kept, .. } => kept,
        }
    }

    /// The files the script uploaded, sent again with the form.
    fn uploaded(&self) -> Vec<&str> {
        files::uploaded(&self.sent, &self.problems, self.kept())
    }

    fn files_dropped(&self) -> bool {
        self.files_posted
    }

    fn completing(&self) -> bool {
        matches!(self.purpose, Purpose::Complete { .. })
    }

    /// Shown again with its problems (422).
    pub fn invalid(self) -> Response {
        (StatusCode::UNPROCESSABLE_ENTITY, self).into_response()
    }
}

/// The form, as sent and with its problems.
pub async fn page(
    visitor: &Visitor,
    state: &AppState,
    purpose: Purpose,
    sent: Sent,
    problems: Problems,
) -> Result<FormPage, Failure> {
    let categories = state.app.categories().await?;
    let key = sent
        .get("kunci")
        .map(str::to_string)
        .unwrap_or_else(|| hex(&state.app.ids.secret(16)));
    Ok(FormPage {
        layout: Layout::new(purpose.title(), visitor).failed(&problems),
        purpose,
        sent,
        problems,
        key,
        signed_in: visitor.actor.person().is_some(),
        categories: text::offered_categories(&categories),
        matches: Vec::new(),
        files_posted: false,
    })
}

/// A form read: the submission with its files, ready to store, or the form again.
pub enum Read {
    Ready {
        submission: Box<Submission>,
        files: FormFiles,
        /// The fields as the API's body (what an idempotency key binds).
        body: Map<String, Value>,
    },
    Again(Box<FormPage>),
}

/// Reads the form `posted`, checking every field and file without storing anything.
pub async fn read(
    state: &AppState,
    visitor: &Visitor,
    purpose: Purpose,
    posted: &Posted,
) -> Result<Read, Failure> {
    let sent = &posted.sent;
    let mut body = submission_body(sent, visitor.actor.person().is_some());
    let choice = agency_choice::choose(state, sent).await?;
    if let Choice::Chosen(id) = &choice {
        body.insert("target_agency_id".into(), json!(id));
    }
    let read = read_submission_object(state, &body).await;
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
    let files = FormFiles::read(posted, &mut problems);
    match read {
        Ok((submission, _)) if problems.is_empty() => Ok(Read::Ready {
            submission: Box::new(submission),
            files,
            body,
        }),
        _ => {
            let mut page = page(visitor, state, purpose, sent.clone(), problems).await?;
            page.matches = matches;
            page.files_posted = !posted.files.is_empty();
            Ok(Read::Again(Box::new(page)))
        }
    }
}

/// The form again with the field errors the use case found (its files among them).
pub async fn refused(
    state: &AppState,
    visitor: &Visitor,
    purpose: Purpose,
    sent: Sent,
    errors: &[FieldError],
) -> Result<Response, Failure> {
    let problems = Problems::from_api(errors, "judul", |e| {
        describe(e).or_else(|| files::describe(e))
    });
    Ok(page(visitor, state, purpose, sent, problems)
        .await?
        .invalid())
}

/// The form's fields as the API's submission body, so that one reader checks both.
pub fn submission_body(sent: &Sent, signed_in: bool) -> Map<String, Value> {
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

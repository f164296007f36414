//! The pages, one module per part of the site; what every page shares is here: the layout
//! (`templates/base.html`) and the pages that tell a failure.

pub mod account;
pub mod agency;
mod agency_choice;
pub mod codes;
pub mod complete;
pub mod console;
pub mod feed;
pub mod files;
pub mod home;
pub mod mine;
pub mod register;
pub mod report;
pub mod report_form;
mod report_text;
pub mod track;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_app::AppError;

use crate::assets;
use crate::form::Problems;
use crate::session::Visitor;

/// What the layout of every page needs.
pub struct Layout {
    /// The page's `<title>` (after `Kesalahan: ` when a form failed).
    pub title: String,
    pub css: String,
    pub js: String,
    pub icon: String,
    /// The signed-in person's name, if any.
    pub name: Option<String>,
    /// A report's reporter by its access code is looking.
    pub reporter: bool,
    /// Staff are looking: the menu offers the console.
    pub staff: bool,
    /// An admin: the menu offers the accounts.
    pub admin: bool,
    /// An agency's staff: the menu offers its standard replies.
    pub agency_staff: bool,
    /// On the console: how many of the latest notifications are unread.
    pub unread: Option<usize>,
    /// The form token, for the sign-out button.
    pub csrf: String,
}

impl Layout {
    pub fn new(title: impl Into<String>, visitor: &Visitor) -> Self {
        Self {
            title: title.into(),
            css: assets::url("lapor.css"),
            js: assets::url("lapor.js"),
            icon: assets::url("ikon.svg"),
            name: visitor.name().map(str::to_string),
            reporter: matches!(visitor.actor, lapor_domain::Actor::ReportHolder(_)),
            staff: visitor.actor.is_staff(),
            admin: matches!(
                visitor.actor,
                lapor_domain::Actor::NationalAdmin(_) | lapor_domain::Actor::AgencyAdmin(..)
            ),
            agency_staff: matches!(
                visitor.actor,
                lapor_domain::Actor::AgencyAdmin(..) | lapor_domain::Actor::LiaisonOfficer(..)
            ),
            unread: None,
            csrf: visitor.csrf.clone(),
        }
    }

    /// The layout of a form shown again with its problems: the title says so first.
    pub fn failed(mut self, problems: &Problems) -> Self {
        if !problems.is_empty() {
            self.title = format!("Kesalahan: {}", self.title);
        }
        self
    }

    /// True when someone is signed in or opened a report: the header offers to sign out.
    pub fn in_session(&self) -> bool {
        self.name.is_some() || self.reporter
    }
}

/// A page that tells something went wrong, with its status.
#[derive(Template, WebTemplate)]
#[template(path = "failure.html")]
struct FailurePage {
    layout: Layout,
    heading: &'static str,
    message: String,
}

/// Why a page could not be shown.
#[derive(Debug)]
pub enum Failure {
    /// Nothing here, or nothing the viewer may see (exactly as the API answers 404).
    NotFound,
    /// A POST without this browser's form token: changed nothing.
    Forged,
    /// The store is unavailable: try again shortly.
    Unavailable,
    /// A form bigger than a request may be (files without the script).
    TooLarge,
    /// Not a form this site's pages send.
    NotAForm,
    /// Anything else the use case refused that the page does not tell beside a field.
    Refused(String),
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Rule(lapor_domain::Violation::NotFound) => Self::NotFound,
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "storage unavailable");
                Self::Unavailable
            }
            AppError::Busy { .. } => Self::Unavailable,
            AppError::Rule(lapor_domain::Violation::Forbidden(_)) => {
                Self::Refused("Anda tidak berhak melakukan ini.".into())
            }
            AppError::Rule(lapor_domain::Violation::Conflict(_)) => Self::Refused(
                "Laporan ini telah berubah, atau tindakan ini tidak sesuai dengan statusnya \
                 sekarang. Muat ulang halaman."
                    .into(),
            ),
            AppError::Throttled { retry_after } => Self::Refused(too_many_attempts(retry_after)),
            AppError::Unauthenticated | AppError::WrongCredentials => {
                Self::Refused("Silakan masuk terlebih dahulu.".into())
            }
            AppError::Rule(lapor_domain::Violation::Invalid(_)) | AppError::IdempotencyMismatch => {
                Self::Refused("Isian formulir tidak valid. Periksa lalu kirim lagi.".into())
            }
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Halaman tidak ditemukan",
                "Alamat ini tidak ada, atau Anda tidak berhak melihatnya.".to_string(),
            ),
            Self::Forged => (
                StatusCode::FORBIDDEN,
                "Formulir kedaluwarsa",
                "Formulir ini tidak dapat diterima dan tidak ada yang diubah. Muat ulang \
                 halaman, lalu kirim lagi."
                    .to_string(),
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Layanan sedang sibuk",
                "Tidak ada yang diubah. Coba lagi dalam beberapa detik.".to_string(),
            ),
            Self::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Kiriman terlalu besar",
                "Tidak ada yang disimpan. Tanpa JavaScript, kirim paling banyak 2 berkas, \
                 masing-masing maksimal 2 MB. Kembali ke formulir, lalu pilih berkas yang lebih \
                 kecil."
                    .to_string(),
            ),
            Self::NotAForm => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Formulir tidak dikenali",
                "Kirim formulir dari halaman ini. Tidak ada yang diubah.".to_string(),
            ),
            Self::Refused(detail) => (
                StatusCode::CONFLICT,
                "Permintaan tidak dapat diproses",
                format!("{detail} Tidak ada yang diubah."),
            ),
        };
        // The failure page carries no session: it is shown as to the public.
        let visitor = Visitor::anonymous();
        let page = FailurePage {
            layout: Layout::new(heading, &visitor),
            heading,
            message,
        };
        let mut response = (status, page).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

/// What a throttled guesser (a password, an access code) is told.
pub fn too_many_attempts(retry_after_seconds: u64) -> String {
    format!(
        "Terlalu banyak percobaan yang salah. Coba lagi dalam {} menit.",
        retry_after_seconds.div_ceil(60)
    )
}

/// Any path no page has.
pub async fn not_found() -> Failure {
    Failure::NotFound
}

/// A redirect after a POST, to the page to GET (303 See Other).
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

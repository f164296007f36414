//! What a form sent, and what was wrong with it: the error summary at the top of the page and
//! the message beside each field (UI.md, "Every page").

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use lapor_domain::FieldError;

use crate::pages::Failure;

/// A form's fields as sent, in order; a name sent twice keeps both values (`all`), and the
/// last one is its value (`get`).
#[derive(Clone, Debug, Default)]
pub struct Sent(Vec<(String, String)>);

impl Sent {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    fn last(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of a field, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.last(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Every value sent under `name`, trimmed, the blank ones left out.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The value exactly as sent, spaces kept (a password); `None` when absent or empty.
    pub fn get_untrimmed(&self, name: &str) -> Option<&str> {
        self.last(name).filter(|v| !v.is_empty())
    }

    /// The value as typed, to show it again (empty when absent).
    pub fn typed(&self, name: &str) -> &str {
        self.last(name).unwrap_or_default()
    }

    /// True when the form sent the field at all (even blank): it is shown as typed.
    pub fn has(&self, name: &str) -> bool {
        self.last(name).is_some()
    }

    /// A checkbox: ticked when sent.
    pub fn ticked(&self, name: &str) -> bool {
        self.last(name).is_some()
    }
}

/// A file sent with a form (`multipart/form-data`: a form posted without its script).
#[derive(Clone, Debug)]
pub struct SentFile {
    /// The name of its file input.
    pub field: String,
    /// Its name as the browser gave it.
    pub filename: String,
    /// Its type as the browser declared it.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A form as posted, URL-encoded or `multipart/form-data`: its fields, and its files (a file
/// input left empty sends none). Anything else is not a form of these pages.
pub struct Posted {
    pub sent: Sent,
    pub files: Vec<SentFile>,
}

/// At most this many files are read from one form: more is not a form of these pages.
const MAX_FILES_READ: usize = 10;

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Failure> {
        let kind = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match kind.as_str() {
            "application/x-www-form-urlencoded" => {
                let body = Bytes::from_request(request, state)
                    .await
                    .map_err(|e| too_large_or(e.status(), Failure::NotAForm))?;
                let pairs = form_urlencoded::parse(&body).into_owned().collect();
                Ok(Self {
                    sent: Sent::new(pairs),
                    files: Vec::new(),
                })
            }
            "multipart/form-data" => {
                let mut multipart = Multipart::from_request(request, state)
                    .await
                    .map_err(|_| Failure::NotAForm)?;
                read_multipart(&mut multipart).await
            }
            _ => Err(Failure::NotAForm),
        }
    }
}

/// A body over the limit is too large; any other failure to read it is `otherwise`.
fn too_large_or(status: StatusCode, otherwise: Failure) -> Failure {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Failure::TooLarge
    } else {
        otherwise
    }
}

async fn read_multipart(multipart: &mut Multipart) -> Result<Posted, Failure> {
    let mut pairs = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| too_large_or(e.status(), Failure::NotAForm))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(filename) => {
                let content_type = field.content_type().unwrap_or_default().to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| too_large_or(e.status(), Failure::NotAForm))?;
                // An empty file input sends a part with no name and no bytes.
                if filename.is_empty() && bytes.is_empty() {
                    continue;
                }
                if files.len() == MAX_FILES_READ {
                    return Err(Failure::TooLarge);
                }
                files.push(SentFile {
                    field: name,
                    filename,
                    content_type,
                    bytes: bytes.to_vec(),
                });
            }
            None => {
                let value = field
                    .text()
                    .await
                    .map_err(|e| too_large_or(e.status(), Failure::NotAForm))?;
                pairs.push((name, value));
            }
        }
    }
    Ok(Posted {
        sent: Sent::new(pairs),
        files,
    })
}

/// A field read by its type's parser: `None` when it is blank (then told as `message` if it is
/// `required`) or breaks the type's rules (told as `message`).
pub fn field<T>(
    sent: &Sent,
    problems: &mut Problems,
    name: &str,
    required: bool,
    parse: impl Fn(&str) -> Result<T, String>,
    message: &str,
) -> Option<T> {
    match sent.get(name).map(parse) {
        Some(Ok(value)) => Some(value),
        None if !required => None,
        _ => {
            problems.add(name, message);
            None
        }
    }
}

/// One wrong field: the id of its input (the summary links to it) and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// The problems of a form, in the order of its fields.
#[derive(Clone, Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.of(field).is_none() {
            self.0.push(Problem {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }

    /// The problem of one field, for the message beside it.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// The API's field errors, each told in words of the form by `describe` (the field's id
    /// and message for an API field path, `None` for a field the form does not have, which is
    /// then told against `fallback`).
    pub fn from_api(
        errors: &[FieldError],
        fallback: &str,
        describe: impl Fn(&FieldError) -> Option<(&'static str, String)>,
    ) -> Self {
        let mut problems = Self::default();
        for error in errors {
            match describe(error) {
                Some((field, message)) => problems.add(field, message),
                None => problems.add(fallback, "Periksa kembali isian formulir ini."),
            }
        }
        problems
    }
}

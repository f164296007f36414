//! `Lampiran`: the files that go with a report or a reply. With the script, each file is
//! uploaded through the presigned path before the form is sent (`POST /lampiran/unggah` gives
//! the URL), and the form carries their ids; without it, the form posts the files themselves
//! (`multipart/form-data`, at most [`MAX_POSTED`], as a Lambda request holds about 4.4 MB).
//! Either way a file is checked as every upload is (size, declared and real type) before the
//! report names it, and a form with a wrong file stores nothing.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use lapor_app::attachments::UploadRequest;
use lapor_domain::attachment::{self, ContentType, FileName, MAX_PER_MESSAGE};
use lapor_domain::{Actor, AttachmentId, FieldError};
use lapor_http::AppState;
use serde::Deserialize;
use serde_json::json;

use super::Failure;
use crate::form::{Posted, Problems, Sent};
use crate::session::Visitor;

/// The file input.
pub const FIELD: &str = "lampiran";
/// The ids of the files the script uploaded.
const UPLOADED: &str = "lampiran_id";
/// How many files a form posted without the script may carry.
pub const MAX_POSTED: usize = 2;
/// The largest a form with its files may be: two files of 2 MiB and the text around them,
/// within what API Gateway hands a function (6 MB, base64-encoded: about 4.4 MB).
pub const FORM_LIMIT: usize = 4_500_000;

/// What is said beside the field about the limits.
pub const LIMITS: &str = "Paling banyak 5 berkas (tanpa JavaScript 2), masing-masing \
                          maksimal 2 MB: JPG, PNG, WebP, PDF atau MP4.";

/// The ids of files the script uploaded for a form shown again, to send again with it (none
/// when the files were what was wrong), leaving out those the form keeps anyway (`kept`).
pub fn uploaded<'a>(
    sent: &'a Sent,
    problems: &Problems,
    kept: &[(String, String)],
) -> Vec<&'a str> {
    if problems.of(FIELD).is_some() {
        return Vec::new();
    }
    sent.all(UPLOADED)
        .into_iter()
        .filter(|id| !kept.iter().any(|(kept, _)| kept == id))
        .collect()
}

/// A file of the form, checked as an upload request is.
pub struct FormFile {
    request: UploadRequest,
    bytes: Vec<u8>,
}

/// The files of a form: those it posted, checked before anything is stored, and the ids of
/// those the script uploaded. A problem is told beside `Lampiran`.
pub struct FormFiles {
    posted: Vec<FormFile>,
    uploaded: Vec<AttachmentId>,
}

impl FormFiles {
    /// Reads the files of `posted`, adding to `problems` what is wrong with them.
    pub fn read(posted: &Posted, problems: &mut Problems) -> Self {
        let mut files = Vec::new();
        let sent = posted.files.iter().filter(|f| f.field == FIELD);
        for file in sent {
            match check(&file.filename, &file.content_type, file.bytes.len()) {
                Ok(request) => files.push(FormFile {
                    request,
                    bytes: file.bytes.clone(),
                }),
                Err(message) => problems.add(FIELD, message),
            }
        }
        let mut uploaded = Vec::new();
        for id in posted.sent.all(UPLOADED) {
            match AttachmentId::parse(id) {
                Ok(id) => uploaded.push(id),
                Err(_) => problems.add(FIELD, "Unggah berkasnya lagi."),
            }
        }
        if files.len() > MAX_POSTED {
            problems.add(
                FIELD,
                format!("Tanpa JavaScript, kirim paling banyak {MAX_POSTED} berkas."),
            );
        }
        if files.len() + uploaded.len() > MAX_PER_MESSAGE {
            problems.add(
                FIELD,
                format!("Kirim paling banyak {MAX_PER_MESSAGE} berkas."),
            );
        }
        Self {
            posted: files,
            uploaded,
        }
    }

    /// Stores the posted files as uploads of `actor`: the ids of every file, to name in the
    /// message (the app then checks each).
    pub async fn store(
        self,
        state: &AppState,
        actor: &Actor,
    ) -> Result<Vec<AttachmentId>, Failure> {
        let mut ids = self.uploaded;
        for file in self.posted {
            ids.push(
                state
                    .app
                    .receive_upload(actor, file.request, file.bytes)
                    .await?,
            );
        }
        Ok(ids)
    }
}

/// A file as an upload request, or what to tell about it.
fn check(filename: &str, content_type: &str, size: usize) -> Result<UploadRequest, String> {
    let shown = if filename.is_empty() {
        "tanpa nama"
    } else {
        filename
    };
    let size = size as u64;
    if size > attachment::MAX_BYTES {
        return Err(format!(
            "Ukuran berkas maksimal 2 MB: {shown} terlalu besar."
        ));
    }
    if size == 0 {
        return Err(format!("Berkas {shown} kosong."));
    }
    let content_type = ContentType::parse(content_type).map_err(|_| {
        format!("Jenis berkas {shown} tidak diterima: kirim JPG, PNG, WebP, PDF atau MP4.")
    })?;
    let filename =
        FileName::parse(filename).map_err(|_| format!("Nama berkas {shown} tidak valid."))?;
    Ok(UploadRequest {
        filename,
        content_type,
        size,
    })
}

/// What to tell beside `Lampiran` for an error the app found in the files named.
pub fn describe(error: &FieldError) -> Option<(&'static str, String)> {
    (error.field == "attachment_ids" || error.field.starts_with("attachment_ids[")).then(|| {
        (
            FIELD,
            "Berkas tidak dapat diterima: isinya tidak sesuai dengan jenisnya, atau unggahannya \
             kedaluwarsa. Pilih berkasnya lagi."
                .to_string(),
        )
    })
}

/// What the script asks for, to upload one file.
#[derive(Deserialize)]
pub struct UploadAsked {
    filename: String,
    content_type: String,
    size: usize,
}

/// `POST /lampiran/unggah`: the script's request for one file's upload URL (JSON, with the
/// form token in `X-CSRF-Token`): `{id, url, headers}`, or `{message}` to show.
pub async fn upload(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Json(asked): Json<UploadAsked>,
) -> Result<Response, Failure> {
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    visitor.check_csrf(token)?;
    let request = match check(&asked.filename, &asked.content_type, asked.size) {
        Ok(request) => request,
        Err(message) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"message": message})),
            )
                .into_response());
        }
    };
    let ticket = state.app.request_upload(&visitor.actor, request).await?;
    Ok(Json(json!({
        "id": ticket.id,
        "url": ticket.upload.target.url,
        "headers": ticket.upload.target.headers,
    }))
    .into_response())
}

//! Attachments: upload URLs, the checks made when a file is attached, and downloads.
//!
//! The bytes never pass through the API's functions. A client asks for an upload URL, `PUT`s the
//! file to the blob store, then names the attachment's id in a submission, follow-up or reply.
//! Attaching copies the blob from the `pending` prefix, where blobs never attached expire after
//! a day, to the `kept` prefix, checks the copy (it has the declared size and type, and its
//! first bytes are really of that type), and claims the record for the report in the report's
//! own atomic write, so an upload is attached once.

use lapor_domain::attachment::{Attachment, ContentType, FileName, MAX_PER_MESSAGE};
use lapor_domain::photo;
use lapor_domain::view::report_view;
use lapor_domain::{Actor, AttachmentId, FieldError};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::App;
use crate::error::AppError;
use crate::ports::{AttachmentRecord, BlobRefusal, DirectDownload, UploadUrl, Validity};
use crate::secrets;

/// How long an upload URL may be used.
pub const UPLOAD_URL_LASTS: Duration = Duration::minutes(15);

/// How long a download URL may be used.
pub const DOWNLOAD_URL_LASTS: Duration = Duration::minutes(5);

/// How long an upload that was never attached is kept (its blob and its record).
pub const UNATTACHED_KEPT: Duration = Duration::hours(24);

/// Where a blob lives. Object names are random (128 bits), made by the server: nobody can guess
/// another upload's location, and a client cannot choose where its bytes go.
pub struct BlobKey;

impl BlobKey {
    /// The prefix of every attachment blob (the only one the functions may touch).
    pub const PREFIX: &'static str = "attachments/";
    /// Uploads not attached yet, removed after [`UNATTACHED_KEPT`].
    pub const PENDING: &'static str = "attachments/pending/";
    /// Attached files, kept.
    pub const KEPT: &'static str = "attachments/kept/";

    /// Where an upload is put.
    pub fn pending(object: &str) -> String {
        format!("{}{object}", Self::PENDING)
    }

    /// Where an attached file is kept.
    pub fn kept(object: &str) -> String {
        format!("{}{object}", Self::KEPT)
    }

    /// True for a key this module makes: one of the two prefixes and 32 lower-case hex digits.
    pub fn is_valid(key: &str) -> bool {
        let object = key
            .strip_prefix(Self::PENDING)
            .or_else(|| key.strip_prefix(Self::KEPT));
        object.is_some_and(|o| {
            o.len() == 32
                && o.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
    }
}

/// Who a caller is, for what only that caller may reuse (uploads, idempotency keys): `public`,
/// `report:{id}` or `user:{id}`. Callers without an account share `public`; their uploads are
/// protected by the id itself, which is random and shown only to them.
pub fn caller_key(actor: &Actor) -> String {
    match actor {
        Actor::Public => "public".to_string(),
        Actor::ReportHolder(id) => format!("report:{id}"),
        other => format!(
            "user:{}",
            other.person().map(|p| p.id.as_str()).unwrap_or("")
        ),
    }
}

/// A `Content-Disposition` that makes browsers save the file (never render it in the API's
/// origin) under its name: an ASCII fallback and the UTF-8 name (RFC 6266).
pub fn content_disposition(filename: &FileName) -> String {
    const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'!')
        .remove(b'#')
        .remove(b'$')
        .remove(b'&')
        .remove(b'+')
        .remove(b'-')
        .remove(b'.')
        .remove(b'^')
        .remove(b'_')
        .remove(b'`')
        .remove(b'|')
        .remove(b'~');
    let name = filename.as_str();
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR_CHAR)
    )
}

/// What a client asks for to upload a file.
#[derive(Clone, Debug)]
pub struct UploadRequest {
    /// The file's name.
    pub filename: FileName,
    pub content_type: ContentType,
    /// Its exact size in bytes.
    pub size: u64,
}

/// The answer to `POST /v1/attachments`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadTicket {
    /// The attachment's id, to name in a submission, follow-up or reply.
    pub id: AttachmentId,
    /// Where and how to send the bytes.
    pub upload: UploadInstructions,
    /// When the URL stops working.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// `{method, url, headers}`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadInstructions {
    /// Always `PUT`.
    #[cfg_attr(feature = "openapi", schema(example = "PUT"))]
    pub method: &'static str,
    /// The URL and headers.
    #[serde(flatten)]
    pub target: UploadUrl,
}

/// An upload that passed the checks, ready to be attached.
#[derive(Clone, Debug)]
pub struct Checked {
    /// What the report keeps of it.
    pub attachment: Attachment,
    /// False when the report already holds it (a completed submission keeping its files).
    new: bool,
}

impl Checked {
    /// The files of a list of checked uploads.
    pub fn files(checked: &[Checked]) -> Vec<Attachment> {
        checked.iter().map(|c| c.attachment.clone()).collect()
    }

    /// The ids a report write must claim.
    pub fn claims(checked: &[Checked]) -> Vec<AttachmentId> {
        checked
            .iter()
            .filter(|c| c.new)
            .map(|c| c.attachment.id.clone())
            .collect()
    }
}

impl App {
    /// Records an upload and answers with the URL to send its bytes to.
    pub async fn request_upload(
        &self,
        actor: &Actor,
        request: UploadRequest,
    ) -> Result<UploadTicket, AppError> {
        let now = self.clock.now();
        let record = self.new_upload(actor, request, now).await?;
        let target = self
            .blobs
            .upload_url(
                &BlobKey::pending(&record.object),
                record.attachment.content_type,
                record.attachment.size,
                Validity {
                    from: now,
                    lasts: UPLOAD_URL_LASTS,
                },
            )
            .await?;
        Ok(UploadTicket {
            id: record.attachment.id,
            upload: UploadInstructions {
                method: "PUT",
                target,
            },
            expires_at: now + UPLOAD_URL_LASTS,
        })
    }

    /// Records an upload whose bytes came with the request (a web form posted without its
    /// script): they are stored where an upload URL would have put them, and the upload is then
    /// checked, when a message names it, as any other.
    pub async fn receive_upload(
        &self,
        actor: &Actor,
        request: UploadRequest,
        bytes: Vec<u8>,
    ) -> Result<AttachmentId, AppError> {
        if bytes.len() as u64 != request.size {
            return Err(AppError::field("size", "is not the length of the file"));
        }
        let record = self.new_upload(actor, request, self.clock.now()).await?;
        self.blobs
            .put(
                &BlobKey::pending(&record.object),
                record.attachment.content_type,
                bytes,
            )
            .await?;
        Ok(record.attachment.id)
    }

    /// Stores the record of a new upload by `actor`.
    async fn new_upload(
        &self,
        actor: &Actor,
        request: UploadRequest,
        now: OffsetDateTime,
    ) -> Result<AttachmentRecord, AppError> {
        // 128 random bits, not a time-ordered ULID: for a caller without an account the id is
        // the only proof the upload is theirs, so the next one must not be guessable.
        let random: [u8; 16] = self.ids.secret(16).try_into().unwrap_or_default();
        let record = AttachmentRecord {
            attachment: Attachment {
                id: AttachmentId::from_ulid(ulid::Ulid::from_bytes(random)),
                filename: request.filename,
                content_type: request.content_type,
                size: request.size,
            },
            owner: caller_key(actor),
            object: secrets::hex(&self.ids.secret(16)),
            created_at: now,
            report_id: None,
        };
        self.attachments.create_attachment(&record).await?;
        Ok(record)
    }

    /// Checks the uploads an actor names in a message, without changing anything: each must be
    /// theirs, not attached yet (unless `kept` already holds it), and its blob must be stored
    /// with the declared size and type. Every failure is a field error of `attachment_ids[i]`.
    pub async fn check_attachments(
        &self,
        actor: &Actor,
        ids: &[AttachmentId],
        kept: &[Attachment],
    ) -> Result<Vec<Checked>, AppError> {
        if ids.len() > MAX_PER_MESSAGE {
            return Err(AppError::field(
                "attachment_ids",
                format!("must have at most {MAX_PER_MESSAGE} items"),
            ));
        }
        let owner = caller_key(actor);
        let mut checked = Vec::new();
        let mut errors = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let field = format!("attachment_ids[{i}]");
            if ids[..i].contains(id) {
                errors.push(FieldError::new(&field, "is named twice"));
                continue;
            }
            match self.check_one(&owner, id, kept).await? {
                Ok(c) => checked.push(c),
                Err(message) => errors.push(FieldError::new(&field, message)),
            }
        }
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(AppError::fields(errors))
        }
    }

    async fn check_one(
        &self,
        owner: &str,
        id: &AttachmentId,
        kept: &[Attachment],
    ) -> Result<Result<Checked, String>, AppError> {
        // Someone else's upload is answered exactly as an unknown id: ids reveal nothing.
        let not_yours = || Ok(Err("no upload of yours has this id".to_string()));
        let not_uploaded = || {
            Ok(Err(
                "the file was not uploaded (or its upload expired)".to_string()
            ))
        };
        let Some(record) = self.attachments.attachment(id).await? else {
            return not_yours();
        };
        if record.report_id.is_some() {
            // A completed submission keeps the files of the one it replaces, whoever uploaded
            // them (a reporter without an account uploaded as `public`, completes by token).
            if kept.iter().any(|a| a.id == *id) {
                return Ok(Ok(Checked {
                    attachment: record.attachment,
                    new: false,
                }));
            }
            if record.owner == owner {
                return Ok(Err("is attached already".to_string()));
            }
            return not_yours();
        }
        if record.owner != owner {
            return not_yours();
        }
        let pending = BlobKey::pending(&record.object);
        if self.blobs.info(&pending).await?.is_none() {
            return not_uploaded();
        }
        // The checks read the kept copy, which no client can write: bytes put to the upload URL
        // after them cannot slip in. If the file is refused, the copy is never served (only an
        // attached file downloads) and the next attempt replaces it.
        let key = BlobKey::kept(&record.object);
        self.blobs.copy(&pending, &key).await?;
        let declared = &record.attachment;
        let Some(info) = self.blobs.info(&key).await? else {
            return not_uploaded();
        };
        if info.size != declared.size {
            return Ok(Err(format!(
                "the uploaded file is {} bytes, not the {} declared",
                info.size, declared.size
            )));
        }
        let stored_type = info.content_type.as_deref().map(ContentType::parse);
        if stored_type != Some(Ok(declared.content_type)) {
            return Ok(Err(format!(
                "the file was uploaded as {}, not {}",
                info.content_type.as_deref().unwrap_or("no type"),
                declared.content_type.as_str()
            )));
        }
        let head = self
            .blobs
            .first_bytes(&key, ContentType::SNIFF_BYTES)
            .await?;
        if ContentType::sniff(&head) != Some(declared.content_type) {
            return Ok(Err(format!(
                "the file's content is not {}",
                declared.content_type.as_str()
            )));
        }
        let mut attachment = record.attachment;
        // A photo's kept copy loses what it tells of its taker (a phone's position, its
        // owner's name), before anyone may download it.
        let whole = self.blobs.first_bytes(&key, attachment.size).await?;
        match photo::without_metadata(attachment.content_type, &whole) {
            None => {}
            Some(Ok(cleaned)) => {
                attachment.size = cleaned.len() as u64;
                self.blobs
                    .put(&key, attachment.content_type, cleaned)
                    .await?;
            }
            Some(Err(unreadable)) => return Ok(Err(unreadable.to_string())),
        }
        Ok(Ok(Checked {
            attachment,
            new: true,
        }))
    }

    /// A short-lived download URL for an attachment, if `actor` may see it where it was
    /// attached; else "not found", as for an id that does not exist.
    pub async fn download_url(&self, actor: &Actor, id: &AttachmentId) -> Result<String, AppError> {
        let record = self.attachments.attachment(id).await?;
        let Some((record, report_id)) =
            record.and_then(|r| r.report_id.clone().map(|report| (r, report)))
        else {
            return Err(AppError::not_found());
        };
        let stored = self
            .reports
            .load(&crate::ports::ReportKey::Id(report_id))
            .await?
            .ok_or_else(AppError::not_found)?;
        let now = self.clock.now();
        let visible = report_view(&stored.report, &stored.entries, actor, now)
            .is_some_and(|view| view.attachments.iter().any(|a| a.id == *id));
        if !visible {
            return Err(AppError::not_found());
        }
        let file = &record.attachment;
        Ok(self
            .blobs
            .download_url(
                &BlobKey::kept(&record.object),
                file.content_type,
                // Saved under a name ending in the extension of the type its bytes were
                // checked to be: the file is opened by that extension, not by the name given.
                &content_disposition(&file.filename.for_download(file.content_type)),
                Validity {
                    from: now,
                    lasts: DOWNLOAD_URL_LASTS,
                },
            )
            .await?)
    }

    /// Whether the upload and download URLs handed out are this API's own (paths under
    /// `/v1/blobs`, the embedded backend), rather than the blob store's.
    pub fn serves_blobs(&self) -> bool {
        self.blobs.direct().is_some()
    }

    /// Receives an upload sent to this API's own blob URL (the embedded backend).
    pub async fn receive_blob(
        &self,
        key: &str,
        query: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), BlobRefusal> {
        let direct = self.blobs.direct().ok_or(BlobRefusal::NotFound)?;
        if !BlobKey::is_valid(key) {
            return Err(BlobRefusal::NotFound);
        }
        direct
            .receive(key, query, content_type, body, self.clock.now())
            .await
    }

    /// Serves a download from this API's own blob URL (the embedded backend).
    pub async fn send_blob(&self, key: &str, query: &str) -> Result<DirectDownload, BlobRefusal> {
        let direct = self.blobs.direct().ok_or(BlobRefusal::NotFound)?;
        if !BlobKey::is_valid(key) {
            return Err(BlobRefusal::NotFound);
        }
        direct.send(key, query, self.clock.now()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_server_made_keys_are_valid() {
        let object = "0123456789abcdef0123456789abcdef";
        assert!(BlobKey::is_valid(&BlobKey::pending(object)));
        assert!(BlobKey::is_valid(&BlobKey::kept(object)));
        for bad in [
            "attachments/pending/../../etc/passwd",
            "attachments/other/0123456789abcdef0123456789abcdef",
            "attachments/kept/0123456789ABCDEF0123456789ABCDEF",
            "attachments/kept/0123",
        ] {
            assert!(!BlobKey::is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn a_download_never_saves_under_an_extension_of_another_type() {
        let name = FileName::parse("evil.html").unwrap();
        assert_eq!(
            content_disposition(&name.for_download(ContentType::Png)),
            "attachment; filename=\"evil.png\"; filename*=UTF-8''evil.png"
        );
    }

    #[test]
    fn downloads_are_saved_under_their_name_never_shown_inline() {
        let name = FileName::parse("foto jalan rusak – pasar.jpg").unwrap();
        assert_eq!(
            content_disposition(&name),
            "attachment; filename=\"foto jalan rusak _ pasar.jpg\"; \
             filename*=UTF-8''foto%20jalan%20rusak%20%E2%80%93%20pasar.jpg"
        );
    }
}

//! Attachment blobs in a folder, uploaded and downloaded through URLs this API signs itself
//! (`PUT`/`GET /v1/blobs/{key}`), as S3's presigned URLs work on the AWS backend.
//!
//! A URL carries its expiry and what it binds (the upload's length and type, the download's
//! type and name) and an HMAC of them with a key derived from the server secret: a client can
//! neither stretch it nor change what it allows. Each blob is a file under its key with a
//! `.type` file beside it holding its content type; both are written to a temporary file first
//! and renamed into place, so a blob is either whole or absent.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use lapor_app::attachments::{BlobKey, UNATTACHED_KEPT};
use lapor_app::{
    BlobInfo, BlobRefusal, BlobStore, DirectBlobs, DirectDownload, StoreError, UploadUrl, Validity,
};
use lapor_domain::attachment::ContentType;
use sha2::Sha256;
use time::OffsetDateTime;

/// How often the folder of pending uploads is swept of those never attached.
const SWEEP_EVERY: time::Duration = time::Duration::hours(1);

pub struct FolderBlobs {
    root: PathBuf,
    signing_key: Vec<u8>,
    last_sweep: Mutex<Option<OffsetDateTime>>,
}

impl FolderBlobs {
    /// The blobs under `root`, their URLs signed with a key derived from `secret`.
    pub fn open(root: &Path, secret: &[u8]) -> std::io::Result<Self> {
        crate::private::create_dir(root)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"lapor blob URLs v1");
        Ok(Self {
            root: root.to_path_buf(),
            signing_key: mac.finalize().into_bytes().to_vec(),
            last_sweep: Mutex::new(None),
        })
    }

    /// The file of a blob. Only keys lapor makes are accepted: the folder shares the data
    /// directory with the database and the secrets, so no key may lead elsewhere, whatever a
    /// caller checked before.
    fn path(&self, key: &str) -> Result<PathBuf, StoreError> {
        if BlobKey::is_valid(key) {
            Ok(self.root.join(key))
        } else {
            Err(StoreError::Unavailable(format!("not a blob key: {key:?}")))
        }
    }

    fn mac(&self, parts: &[&str]) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.signing_key).expect("HMAC takes any key length");
        for part in parts {
            // Length-prefixed, so no two lists of parts sign the same bytes.
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    fn sign(&self, parts: &[&str]) -> String {
        lapor_app::secrets::hex(&self.mac(parts).finalize().into_bytes())
    }

    /// Checks a URL's signature over `parts` and its expiry.
    fn verify(
        &self,
        parts: &[&str],
        signature: &str,
        expires: i64,
        now: OffsetDateTime,
    ) -> Result<(), BlobRefusal> {
        let bytes = decode_hex(signature).ok_or(BlobRefusal::Signature)?;
        self.mac(parts)
            .verify_slice(&bytes)
            .map_err(|_| BlobRefusal::Signature)?;
        if now.unix_timestamp() >= expires {
            return Err(BlobRefusal::Expired);
        }
        Ok(())
    }

    /// The query string of the URL that uploads `size` bytes of `content_type` to `key` until
    /// `expires` (Unix seconds): what it binds, signed.
    pub fn upload_query(
        &self,
        key: &str,
        content_type: ContentType,
        size: u64,
        expires: i64,
    ) -> String {
        let (expires, length, kind) =
            (expires.to_string(), size.to_string(), content_type.as_str());
        let signature = self.sign(&["PUT", key, &expires, &length, kind]);
        form_urlencoded::Serializer::new(String::new())
            .append_pair("expires", &expires)
            .append_pair("length", &length)
            .append_pair("type", kind)
            .append_pair("sig", &signature)
            .finish()
    }

    /// The query string of the URL that downloads `key` until `expires` (Unix seconds), answered
    /// as `content_type` with the `Content-Disposition` `disposition`, signed.
    pub fn download_query(
        &self,
        key: &str,
        content_type: ContentType,
        disposition: &str,
        expires: i64,
    ) -> String {
        let (expires, kind) = (expires.to_string(), content_type.as_str());
        let signature = self.sign(&["GET", key, &expires, kind, disposition]);
        form_urlencoded::Serializer::new(String::new())
            .append_pair("expires", &expires)
            .append_pair("type", kind)
            .append_pair("disposition", disposition)
            .append_pair("sig", &signature)
            .finish()
    }

    /// Checks an upload of `length` bytes sent as `content_type` to `key` against the signed
    /// `query` of its URL at `now`: the signature, the expiry, the length and type it binds,
    /// and that the key is one lapor makes. The content type to store on success. Everything
    /// [`DirectBlobs::receive`] checks before it writes; public so that it can be fuzzed.
    pub fn check_upload(
        &self,
        key: &str,
        query: &str,
        content_type: Option<&str>,
        length: u64,
        now: OffsetDateTime,
    ) -> Result<String, BlobRefusal> {
        let query = SignedQuery::parse(query);
        let (expires, signed_length, kind) =
            (query.expires()?, query.get("length")?, query.get("type")?);
        let signed = ["PUT", key, query.get("expires")?, signed_length, kind];
        self.verify(&signed, query.get("sig")?, expires, now)?;
        let expected: u64 = signed_length.parse().map_err(|_| BlobRefusal::Signature)?;
        if length != expected {
            return Err(BlobRefusal::Length {
                expected,
                got: length,
            });
        }
        if !content_type.is_some_and(|sent| sent.eq_ignore_ascii_case(kind)) {
            return Err(BlobRefusal::ContentType {
                expected: kind.to_string(),
            });
        }
        self.path(key).map_err(|_| BlobRefusal::NotFound)?;
        Ok(kind.to_string())
    }

    /// Checks a download of `key` against the signed `query` of its URL at `now`: the
    /// signature, the expiry, and that the key is one lapor makes. The content type and
    /// disposition to answer with on success. Everything [`DirectBlobs::send`] checks before it
    /// reads; public so that it can be fuzzed.
    pub fn check_download(
        &self,
        key: &str,
        query: &str,
        now: OffsetDateTime,
    ) -> Result<SignedDownload, BlobRefusal> {
        let query = SignedQuery::parse(query);
        let (expires, kind, disposition) = (
            query.expires()?,
            query.get("type")?,
            query.get("disposition")?,
        );
        let signed = ["GET", key, query.get("expires")?, kind, disposition];
        self.verify(&signed, query.get("sig")?, expires, now)?;
        self.path(key).map_err(|_| BlobRefusal::NotFound)?;
        Ok(SignedDownload {
            content_type: kind.to_string(),
            disposition: disposition.to_string(),
        })
    }

    /// Removes pending uploads older than a day, at most once an hour.
    fn sweep_if_due(&self, now: OffsetDateTime) {
        {
            let mut last = self
                .last_sweep
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if last.is_some_and(|at| now - at < SWEEP_EVERY) {
                return;
            }
            *last = Some(now);
        }
        let pending = self.root.join(BlobKey::PENDING);
        let cutoff = std::time::SystemTime::from(now - UNATTACHED_KEPT);
        tokio::task::spawn_blocking(move || sweep(&pending, cutoff));
    }
}

/// What a download URL lets its holder have, once checked ([`FolderBlobs::check_download`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedDownload {
    /// The type the blob is answered as.
    pub content_type: String,
    /// The `Content-Disposition` it is answered with.
    pub disposition: String,
}

/// Removes the files in `dir` last written before `cutoff`.
fn sweep(dir: &Path, cutoff: std::time::SystemTime) {
    let Ok(files) = std::fs::read_dir(dir) else {
        return;
    };
    for file in files.flatten() {
        let old = file
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| at < cutoff);
        if old && let Err(e) = std::fs::remove_file(file.path()) {
            tracing::warn!(file = %file.path().display(), error = %e, "cannot sweep an upload");
        }
    }
}

/// The query string of a signed URL.
struct SignedQuery(Vec<(String, String)>);

impl SignedQuery {
    fn parse(query: &str) -> Self {
        Self(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Result<&str, BlobRefusal> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .ok_or(BlobRefusal::Signature)
    }

    fn expires(&self) -> Result<i64, BlobRefusal> {
        self.get("expires")?
            .parse()
            .map_err(|_| BlobRefusal::Signature)
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn io_error(e: std::io::Error) -> StoreError {
    StoreError::Unavailable(format!("attachment folder: {e}"))
}

fn type_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".type");
    PathBuf::from(name)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, synced before the
/// rename, so readers see the old file, or the new one whole. Folders and files are the
/// owner's only, as everything in the data directory (a temporary file is created 0600, and
/// the rename keeps its mode).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::private::create_dir(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Stores a blob: its type first, so a blob file never exists without one.
fn store(path: &Path, content_type: &str, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically(&type_path(path), content_type.as_bytes())?;
    write_atomically(path, bytes)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Unavailable(format!("attachment task failed: {e}")))?
        .map_err(io_error)
}

fn missing_is_none<T>(result: std::io::Result<T>) -> std::io::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[async_trait]
impl BlobStore for FolderBlobs {
    async fn upload_url(
        &self,
        key: &str,
        content_type: ContentType,
        size: u64,
        validity: Validity,
    ) -> Result<UploadUrl, StoreError> {
        self.sweep_if_due(validity.from);
        let expires = (validity.from + validity.lasts).unix_timestamp();
        let query = self.upload_query(key, content_type, size, expires);
        Ok(UploadUrl {
            url: format!("/v1/blobs/{key}?{query}"),
            headers: [
                (
                    "Content-Type".to_string(),
                    content_type.as_str().to_string(),
                ),
                ("Content-Length".to_string(), size.to_string()),
            ]
            .into(),
        })
    }

    async fn download_url(
        &self,
        key: &str,
        content_type: ContentType,
        disposition: &str,
        validity: Validity,
    ) -> Result<String, StoreError> {
        let expires = (validity.from + validity.lasts).unix_timestamp();
        let query = self.download_query(key, content_type, disposition, expires);
        Ok(format!("/v1/blobs/{key}?{query}"))
    }

    async fn info(&self, key: &str) -> Result<Option<BlobInfo>, StoreError> {
        let path = self.path(key)?;
        blocking(move || {
            let Some(meta) = missing_is_none(std::fs::metadata(&path))? else {
                return Ok(None);
            };
            let content_type = missing_is_none(std::fs::read_to_string(type_path(&path)))?;
            Ok(Some(BlobInfo {
                size: meta.len(),
                content_type,
            }))
        })
        .await
    }

    async fn first_bytes(&self, key: &str, n: u64) -> Result<Vec<u8>, StoreError> {
        let path = self.path(key)?;
        blocking(move || {
            use std::io::Read as _;
            let mut head = Vec::new();
            std::fs::File::open(path)?.take(n).read_to_end(&mut head)?;
            Ok(head)
        })
        .await
    }

    async fn copy(&self, from: &str, to: &str) -> Result<(), StoreError> {
        let (from, to) = (self.path(from)?, self.path(to)?);
        blocking(move || {
            let content_type = std::fs::read_to_string(type_path(&from))?;
            store(&to, &content_type, &std::fs::read(&from)?)
        })
        .await
    }

    async fn put(
        &self,
        key: &str,
        content_type: ContentType,
        bytes: Vec<u8>,
    ) -> Result<(), StoreError> {
        let path = self.path(key)?;
        blocking(move || store(&path, content_type.as_str(), &bytes)).await
    }

    fn direct(&self) -> Option<&dyn DirectBlobs> {
        Some(self)
    }
}

#[async_trait]
impl DirectBlobs for FolderBlobs {
    async fn receive(
        &self,
        key: &str,
        query: &str,
        content_type: Option<&str>,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), BlobRefusal> {
        let kind = self.check_upload(key, query, content_type, body.len() as u64, now)?;
        let path = self.path(key).map_err(|_| BlobRefusal::NotFound)?;
        let body = body.to_vec();
        blocking(move || store(&path, &kind, &body))
            .await
            .map_err(|e| BlobRefusal::Unavailable(e.to_string()))
    }

    async fn send(
        &self,
        key: &str,
        query: &str,
        now: OffsetDateTime,
    ) -> Result<DirectDownload, BlobRefusal> {
        let SignedDownload {
            content_type,
            disposition,
        } = self.check_download(key, query, now)?;
        let path = self.path(key).map_err(|_| BlobRefusal::NotFound)?;
        let bytes = blocking(move || missing_is_none(std::fs::read(path)))
            .await
            .map_err(|e| BlobRefusal::Unavailable(e.to_string()))?
            .ok_or(BlobRefusal::NotFound)?;
        Ok(DirectDownload {
            bytes,
            content_type,
            disposition,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const KEY: &str = "attachments/pending/0123456789abcdef0123456789abcdef";
    const NOW: OffsetDateTime = datetime!(2026-11-23 03:00 UTC);

    fn blobs(dir: &Path) -> FolderBlobs {
        FolderBlobs::open(dir, b"a secret of thirty-two bytes or more").unwrap()
    }

    async fn upload_query(blobs: &FolderBlobs, size: u64) -> String {
        let validity = Validity {
            from: NOW,
            lasts: time::Duration::minutes(15),
        };
        let url = blobs
            .upload_url(KEY, ContentType::Png, size, validity)
            .await
            .unwrap();
        url.url.split_once('?').unwrap().1.to_string()
    }

    #[tokio::test]
    async fn an_upload_must_match_what_its_url_binds() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = blobs(dir.path());
        let query = upload_query(&blobs, 4).await;
        let png = Some("image/png");
        let refused = |r: Result<(), BlobRefusal>| r.unwrap_err();
        assert_eq!(
            refused(blobs.receive(KEY, &query, png, b"12345", NOW).await),
            BlobRefusal::Length {
                expected: 4,
                got: 5
            }
        );
        assert!(matches!(
            refused(
                blobs
                    .receive(KEY, &query, Some("image/jpeg"), b"1234", NOW)
                    .await
            ),
            BlobRefusal::ContentType { .. }
        ));
        let later = NOW + time::Duration::minutes(15);
        assert_eq!(
            refused(blobs.receive(KEY, &query, png, b"1234", later).await),
            BlobRefusal::Expired
        );
        let stretched = query.replace("length=4", "length=5");
        assert_eq!(
            refused(blobs.receive(KEY, &stretched, png, b"12345", NOW).await),
            BlobRefusal::Signature
        );
        let elsewhere = KEY.replace("pending", "kept");
        assert_eq!(
            refused(blobs.receive(&elsewhere, &query, png, b"1234", NOW).await),
            BlobRefusal::Signature
        );
        assert_eq!(blobs.info(KEY).await.unwrap(), None, "nothing was stored");

        blobs.receive(KEY, &query, png, b"1234", NOW).await.unwrap();
        let info = blobs.info(KEY).await.unwrap().unwrap();
        assert_eq!((info.size, info.content_type.as_deref()), (4, png));
        assert_eq!(blobs.first_bytes(KEY, 2).await.unwrap(), b"12");
    }

    #[tokio::test]
    async fn no_key_leads_outside_the_attachments() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("jwt-secret"), b"rahasia").unwrap();
        let blobs = blobs(dir.path());
        assert!(blobs.info("jwt-secret").await.is_err());
        assert!(
            blobs
                .first_bytes("attachments/pending/../../jwt-secret", 8)
                .await
                .is_err()
        );
        assert!(blobs.copy("jwt-secret", KEY).await.is_err());
    }

    #[test]
    fn the_sweep_removes_only_old_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old"), b"x").unwrap();
        let cutoff = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        sweep(dir.path(), cutoff);
        assert!(dir.path().join("old").exists());
        sweep(
            dir.path(),
            std::time::SystemTime::now() + std::time::Duration::from_secs(60),
        );
        assert!(!dir.path().join("old").exists());
    }
}

//! The bytes of attachments, behind signed URLs.

use async_trait::async_trait;
use lapor_domain::attachment::ContentType;
use serde::Serialize;
use time::OffsetDateTime;

use super::StoreError;

/// Where the client sends an upload's bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadUrl {
    /// The URL to `PUT` to. A path (starting with `/`) is served by this API itself.
    pub url: String,
    /// The headers to send with it, exactly.
    pub headers: std::collections::BTreeMap<String, String>,
}

/// What a blob store knows of a stored blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobInfo {
    /// Its length in bytes.
    pub size: u64,
    /// The content type it was stored with.
    pub content_type: Option<String>,
}

/// How long a signed URL lasts, from when.
#[derive(Clone, Copy, Debug)]
pub struct Validity {
    /// When it is signed.
    pub from: OffsetDateTime,
    /// How long it lasts.
    pub lasts: time::Duration,
}

/// The bytes of attachments, reached through signed URLs so they never pass through the
/// functions: S3 with presigned URLs, or a folder served by `lapor-local`.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// A URL on which exactly `size` bytes of `content_type` may be put at `key`.
    async fn upload_url(
        &self,
        key: &str,
        content_type: ContentType,
        size: u64,
        validity: Validity,
    ) -> Result<UploadUrl, StoreError>;
    /// A URL that downloads `key` with these `Content-Type` and `Content-Disposition`.
    async fn download_url(
        &self,
        key: &str,
        content_type: ContentType,
        disposition: &str,
        validity: Validity,
    ) -> Result<String, StoreError>;
    /// The size and type of the blob at `key`, if there is one.
    async fn info(&self, key: &str) -> Result<Option<BlobInfo>, StoreError>;
    /// The first `n` bytes of the blob at `key` (fewer if it is shorter).
    async fn first_bytes(&self, key: &str, n: u64) -> Result<Vec<u8>, StoreError>;
    /// Copies a blob, replacing what was at `to`.
    async fn copy(&self, from: &str, to: &str) -> Result<(), StoreError>;
    /// Stores `bytes` of `content_type` at `key`, replacing what was there.
    async fn put(
        &self,
        key: &str,
        content_type: ContentType,
        bytes: Vec<u8>,
    ) -> Result<(), StoreError>;
    /// The uploads and downloads this API serves itself, for a store without its own URLs.
    fn direct(&self) -> Option<&dyn DirectBlobs> {
        None
    }
    /// The origin (`https://host[:port]`) upload URLs point at, when it is not this site's: a
    /// web page's script must be allowed to send files there.
    fn upload_origin(&self) -> Option<String> {
        None
    }
}

/// A blob store whose signed URLs point at this API (`PUT`/`GET /v1/blobs/{key}`).
#[async_trait]
pub trait DirectBlobs: Send + Sync {
    /// Stores an upload if its signature (`query`) holds at `now` and the body has the length
    /// and type it binds.
    async fn receive(
        &self,
        key: &str,
        query: &str,
        content_type: Option<&str>,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), BlobRefusal>;
    /// A blob, if its signature (`query`) holds at `now`.
    async fn send(
        &self,
        key: &str,
        query: &str,
        now: OffsetDateTime,
    ) -> Result<DirectDownload, BlobRefusal>;
}

/// A blob served by [`DirectBlobs::send`].
#[derive(Clone, Debug)]
pub struct DirectDownload {
    pub bytes: Vec<u8>,
    /// The `Content-Type` to answer with.
    pub content_type: String,
    /// The `Content-Disposition` to answer with.
    pub disposition: String,
}

/// Why a direct upload or download is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BlobRefusal {
    /// The URL is not one this API signed, or was altered.
    #[error("the signature does not match this URL")]
    Signature,
    /// The URL has expired.
    #[error("the URL has expired")]
    Expired,
    /// The body is not the length the URL binds.
    #[error("the body is {got} bytes; this URL takes exactly {expected}")]
    Length {
        /// Bound by the URL.
        expected: u64,
        /// Sent.
        got: u64,
    },
    /// The `Content-Type` is not the one the URL binds.
    #[error("the Content-Type must be {expected}")]
    ContentType {
        /// Bound by the URL.
        expected: String,
    },
    /// Nothing is stored there.
    #[error("no such file")]
    NotFound,
    /// The storage failed.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

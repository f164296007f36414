//! Attachment blobs in S3, reached through presigned URLs: the bytes go between the client and
//! S3, never through a function.
//!
//! The upload URL signs `Content-Length` and `Content-Type`, so S3 refuses a body of another
//! length or type. The bucket's lifecycle rule (infra/template.yaml) removes what stays under
//! `attachments/pending/` for a day; attaching copies the blob to `attachments/kept/`.

use std::time::SystemTime;

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::presigning::{PresignedRequest, PresigningConfig};
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
use lapor_app::{BlobInfo, BlobStore, StoreError, UploadUrl, Validity};
use lapor_domain::attachment::ContentType;

use crate::error::unavailable;

/// Attachment blobs in one S3 bucket.
#[derive(Clone, Debug)]
pub struct S3Blobs {
    client: Client,
    bucket: String,
    /// Where its presigned URLs point: the bucket's regional host, or the emulator's.
    origin: Option<String>,
}

impl S3Blobs {
    /// The blobs of `bucket`, through `client`.
    pub fn new(client: Client, bucket: impl Into<String>) -> Self {
        let bucket = bucket.into();
        let origin = client
            .config()
            .region()
            .map(|region| format!("https://{bucket}.s3.{region}.amazonaws.com"));
        Self {
            client,
            bucket,
            origin,
        }
    }

    /// A client of the AWS environment in `config`. With an endpoint of its own (an emulator)
    /// it addresses buckets by path, as emulators on a bare host and port need.
    pub fn from_config(config: &aws_config::SdkConfig, bucket: impl Into<String>) -> Self {
        let s3 = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        let mut blobs = Self::new(Client::from_conf(s3), bucket);
        if let Some(endpoint) = config.endpoint_url() {
            blobs.origin = origin_of(endpoint);
        }
        blobs
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// Creates the bucket unless it exists (for emulators and first runs; the SAM template
    /// makes the deployed one, with its encryption, CORS and lifecycle rules).
    pub async fn create_bucket_if_missing(&self) -> Result<(), StoreError> {
        let region = self.client.config().region().map(|r| r.to_string());
        let mut create = self.client.create_bucket().bucket(&self.bucket);
        if let Some(region) = region.filter(|r| r != "us-east-1") {
            create = create.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region.as_str()))
                    .build(),
            );
        }
        match create.send().await {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error().is_some_and(|e| {
                    e.is_bucket_already_owned_by_you() || e.is_bucket_already_exists()
                }) =>
            {
                Ok(())
            }
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

fn presigning(validity: Validity) -> Result<PresigningConfig, StoreError> {
    let lasts = std::time::Duration::try_from(validity.lasts).map_err(unavailable)?;
    PresigningConfig::builder()
        .start_time(SystemTime::from(validity.from))
        .expires_in(lasts)
        .build()
        .map_err(unavailable)
}

fn upload_url(request: &PresignedRequest) -> UploadUrl {
    UploadUrl {
        url: request.uri().to_string(),
        headers: request
            .headers()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
    }
}

#[async_trait]
impl BlobStore for S3Blobs {
    fn upload_origin(&self) -> Option<String> {
        self.origin.clone()
    }

    async fn upload_url(
        &self,
        key: &str,
        content_type: ContentType,
        size: u64,
        validity: Validity,
    ) -> Result<UploadUrl, StoreError> {
        let length = i64::try_from(size).map_err(unavailable)?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type.as_str())
            .content_length(length)
            .presigned(presigning(validity)?)
            .await
            .map_err(unavailable)?;
        Ok(upload_url(&request))
    }

    async fn download_url(
        &self,
        key: &str,
        content_type: ContentType,
        disposition: &str,
        validity: Validity,
    ) -> Result<String, StoreError> {
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .response_content_type(content_type.as_str())
            .response_content_disposition(disposition)
            .presigned(presigning(validity)?)
            .await
            .map_err(unavailable)?;
        Ok(request.uri().to_string())
    }

    async fn info(&self, key: &str) -> Result<Option<BlobInfo>, StoreError> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(head) => Ok(Some(BlobInfo {
                size: head
                    .content_length()
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(0),
                content_type: head.content_type().map(str::to_string),
            })),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn first_bytes(&self, key: &str, n: u64) -> Result<Vec<u8>, StoreError> {
        let object = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .range(format!("bytes=0-{}", n.saturating_sub(1)))
            .send()
            .await
            .map_err(unavailable)?;
        let bytes = object.body.collect().await.map_err(unavailable)?;
        Ok(bytes.into_bytes().to_vec())
    }

    async fn copy(&self, from: &str, to: &str) -> Result<(), StoreError> {
        // Keys are server-made (hex and slashes): nothing in them needs URL-encoding.
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .copy_source(format!("{}/{from}", self.bucket))
            .key(to)
            .send()
            .await
            .map(drop)
            .map_err(unavailable)
    }

    async fn put(
        &self,
        key: &str,
        content_type: ContentType,
        bytes: Vec<u8>,
    ) -> Result<(), StoreError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type.as_str())
            .body(aws_sdk_s3::primitives::ByteStream::from(bytes))
            .send()
            .await
            .map(drop)
            .map_err(unavailable)
    }
}

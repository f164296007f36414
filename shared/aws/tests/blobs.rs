//! Attachment blobs on S3 (a moto server): presigned uploads and downloads, and what the
//! attach-time checks read. moto does not enforce what a presigned URL signs, so the checks of
//! a wrong length or type are shown end to end, where attaching refuses them.

use lapor_app::{BlobStore, Validity};
use lapor_aws::testing::fresh_bucket;
use lapor_domain::attachment::ContentType;
use time::{Duration, OffsetDateTime};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
const PENDING: &str = "attachments/pending/0123456789abcdef0123456789abcdef";
const KEPT: &str = "attachments/kept/0123456789abcdef0123456789abcdef";

fn validity() -> Validity {
    Validity {
        from: OffsetDateTime::now_utc(),
        lasts: Duration::minutes(15),
    }
}

#[tokio::test]
async fn a_presigned_upload_is_stored_as_signed_and_downloads_as_an_attachment() {
    let blobs = fresh_bucket().await;
    let size = PNG.len() as u64;
    let upload = blobs
        .upload_url(PENDING, ContentType::Png, size, validity())
        .await
        .unwrap();
    let header = |name: &str| {
        upload
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    // Both are signed: S3 refuses a body sent with other values.
    assert_eq!(header("content-type").as_deref(), Some("image/png"));
    assert_eq!(header("content-length"), Some(size.to_string()));
    let signed = upload.url.to_lowercase();
    assert!(
        signed.contains("x-amz-signedheaders=content-length%3bcontent-type%3bhost"),
        "{signed}"
    );

    let client = reqwest::Client::new();
    let mut put = client.put(&upload.url).body(PNG.to_vec());
    for (name, value) in &upload.headers {
        put = put.header(name, value);
    }
    assert!(put.send().await.unwrap().status().is_success());

    let info = blobs.info(PENDING).await.unwrap().unwrap();
    assert_eq!(
        (info.size, info.content_type.as_deref()),
        (size, Some("image/png"))
    );
    assert_eq!(blobs.first_bytes(PENDING, 8).await.unwrap(), &PNG[..8]);
    assert_eq!(blobs.info(KEPT).await.unwrap(), None);

    blobs.copy(PENDING, KEPT).await.unwrap();
    let disposition = "attachment; filename=\"foto.png\"";
    let url = blobs
        .download_url(KEPT, ContentType::Png, disposition, validity())
        .await
        .unwrap();
    // S3 answers with the headers the URL signs (moto ignores them).
    assert!(
        url.contains("response-content-disposition=attachment"),
        "{url}"
    );
    assert!(url.contains("response-content-type=image%2Fpng"), "{url}");
    let got = client.get(&url).send().await.unwrap();
    assert!(got.status().is_success());
    assert_eq!(got.bytes().await.unwrap().as_ref(), PNG);
}

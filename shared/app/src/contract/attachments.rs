//! Upload records.

use std::sync::Arc;

use super::*;

fn upload(n: u128) -> AttachmentRecord {
    use lapor_domain::attachment::{Attachment, ContentType, FileName};
    AttachmentRecord {
        attachment: Attachment {
            id: AttachmentId::from_ulid(ulid(3_000_000 + n)),
            filename: FileName::parse(&format!("foto-{n}.jpg")).unwrap(),
            content_type: ContentType::Jpeg,
            size: 1000 + n as u64,
        },
        owner: "user:warga".to_string(),
        object: format!("{n:032x}"),
        created_at: T0,
        report_id: None,
    }
}

/// An upload is kept as declared and attached by exactly one report write; a write that names
/// an attached or unknown upload writes nothing.
pub async fn an_upload_is_attached_once(store: Arc<impl Stores>) {
    let (photo, scan) = (upload(1), upload(2));
    store.create_attachment(&photo).await.unwrap();
    store.create_attachment(&scan).await.unwrap();
    assert_eq!(
        store.create_attachment(&photo).await,
        Err(StoreError::Conflict(ConflictKind::Duplicate))
    );
    assert_eq!(
        store.attachment(&photo.attachment.id).await.unwrap(),
        Some(photo.clone())
    );
    assert_eq!(
        store.attachment(&upload(9).attachment.id).await.unwrap(),
        None
    );

    let first = report(1);
    let mut new = new_report(first.clone());
    new.attachments = vec![photo.attachment.id.clone()];
    store.create(new).await.unwrap();
    let claimed = store
        .attachment(&photo.attachment.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.report_id, Some(first.id().clone()));

    let mut again = new_report(report(2));
    again.attachments = vec![scan.attachment.id.clone(), photo.attachment.id.clone()];
    assert_eq!(
        store.create(again.clone()).await,
        Err(StoreError::Conflict(ConflictKind::Attachment))
    );
    assert!(load(&*store, &again.report).await.is_none());
    assert_eq!(
        store.attachment(&scan.attachment.id).await.unwrap(),
        Some(scan.clone())
    );

    let second = disposed(first.clone(), 50, 10);
    for taken in [&photo, &upload(9)] {
        let mut change = change(&first, &second, 1);
        change.attachments = vec![scan.attachment.id.clone(), taken.attachment.id.clone()];
        assert_eq!(
            store.apply(change).await,
            Err(StoreError::Conflict(ConflictKind::Attachment))
        );
        assert_eq!(load(&*store, &first).await.unwrap().report, first);
    }
    let mut change = change(&first, &second, 1);
    change.attachments = vec![scan.attachment.id.clone()];
    store.apply(change).await.unwrap();
    let claimed = store
        .attachment(&scan.attachment.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.report_id, Some(first.id().clone()));
}

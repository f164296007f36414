//! In-app notifications and webhook delivery marks.

use std::sync::Arc;

use super::*;

fn notification(id: &str, audience: Audience) -> Notification {
    let report = report(1);
    Notification {
        id: id.to_string(),
        audience,
        report_id: report.id().clone(),
        tracking_id: report.tracking_id().clone(),
        event: EventKind::Disposed,
        text: format!("Laporan #{} telah didisposisikan.", report.tracking_id()),
        created_at: T0,
    }
}

/// A notification is kept once per audience and id (a redelivery adds nothing); a reader's
/// audiences are listed together, newest first, each message once, paged by id; read marks
/// are per reader; a webhook delivery is remembered.
pub async fn notifications_are_kept_once_and_listed_newest_first(store: Arc<impl Stores>) {
    let user = Audience::User(UserId::from_ulid(ulid(5)));
    let agency = Audience::Agency(AgencyId::from_ulid(ulid(6)));
    let other = Audience::Admins(None);
    let ids = [
        "01JDF5M0000000000000000001",
        "01JDF5M0000000000000000002",
        "01JDF5M0000000000000000003",
    ];
    assert!(
        store
            .add_notification(&notification(ids[0], user.clone()))
            .await
            .unwrap()
    );
    assert!(
        !store
            .add_notification(&notification(ids[0], user.clone()))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_notification(&notification(ids[1], agency.clone()))
            .await
            .unwrap()
    );
    // The same message to two of the reader's audiences.
    assert!(
        store
            .add_notification(&notification(ids[2], user.clone()))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_notification(&notification(ids[2], agency.clone()))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_notification(&notification(ids[1], other.clone()))
            .await
            .unwrap()
    );

    let reader = [user.clone(), agency.clone()];
    let listed = |found: Vec<Notification>| found.into_iter().map(|n| n.id).collect::<Vec<_>>();
    assert_eq!(
        listed(store.notifications(&reader, None, 10).await.unwrap()),
        [ids[2], ids[1], ids[0]]
    );
    assert_eq!(
        listed(store.notifications(&reader, None, 2).await.unwrap()),
        [ids[2], ids[1]]
    );
    assert_eq!(
        listed(store.notifications(&reader, Some(ids[1]), 2).await.unwrap()),
        [ids[0]]
    );
    assert_eq!(
        listed(
            store
                .notifications(std::slice::from_ref(&other), None, 10)
                .await
                .unwrap()
        ),
        [ids[1]]
    );

    let me = user.key();
    store.mark_read(&me, &[ids[0].to_string()]).await.unwrap();
    store.mark_read(&me, &[ids[0].to_string()]).await.unwrap();
    let all: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let read = store.read_marks(&me, &all).await.unwrap();
    assert_eq!(read, [ids[0].to_string()].into_iter().collect());
    assert!(
        store
            .read_marks(&agency.key(), &all)
            .await
            .unwrap()
            .is_empty()
    );

    let key = format!("{}:{}:sms", ids[0], user.key());
    assert_eq!(store.count_failure(&key).await.unwrap(), 1);
    assert_eq!(store.count_failure(&key).await.unwrap(), 2);
    assert!(!store.delivered(&key).await.unwrap());
    store.mark_delivered(&key, T0).await.unwrap();
    assert!(store.delivered(&key).await.unwrap());
}

//! Sessions of the web pages.

use std::sync::Arc;

use super::*;

/// A session is kept whole by the hash of its id until it is removed; removing it twice is no
/// error, and another session is untouched.
pub async fn sessions_are_kept_until_removed(store: Arc<impl Stores>) {
    let session = |n: u128, subject| Session {
        id_hash: format!("hash-{n}"),
        subject,
        created_at: T0,
        expires_at: T0 + Duration::hours(8),
    };
    let account = session(
        1,
        SessionSubject::Account {
            user_id: UserId::from_ulid(ulid(1)),
            role: Role::LiaisonOfficer,
            agency_path: vec![AgencyId::from_ulid(ulid(2)), AgencyId::from_ulid(ulid(3))],
        },
    );
    let reporter = session(
        2,
        SessionSubject::Report {
            report_id: ReportId::from_ulid(ulid(4)),
        },
    );
    store.create_session(&account).await.unwrap();
    store.create_session(&reporter).await.unwrap();
    assert_eq!(store.session("hash-1").await.unwrap(), Some(account));
    assert_eq!(store.session("hash-3").await.unwrap(), None);
    store.delete_session("hash-1").await.unwrap();
    store.delete_session("hash-1").await.unwrap();
    assert_eq!(store.session("hash-1").await.unwrap(), None);
    assert_eq!(store.session("hash-2").await.unwrap(), Some(reporter));
}

//! Accounts.

use std::sync::Arc;

use lapor_domain::fields::{Email, Phone};

use super::*;

fn user(n: u128, email: Option<&str>, phone: Option<&str>) -> User {
    User {
        id: UserId::from_ulid(ulid(3_000_000 + n)),
        name: format!("Warga {n}"),
        email: email.map(|e| Email::parse(e).unwrap()),
        phone: phone.map(|p| Phone::parse(p).unwrap()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        role: Role::Citizen,
        agency_id: None,
        created_at: T0,
    }
}

/// Accounts are found by e-mail, phone or id; a taken login is refused.
pub async fn accounts_are_unique_by_login(store: Arc<impl Stores>) {
    assert!(!store.has_users().await.unwrap());
    let siti = user(1, Some("siti@warga.test"), Some("081234567890"));
    store.create_user(&siti).await.unwrap();
    let by_email = Login::Email(Email::parse("SITI@warga.test").unwrap());
    assert_eq!(
        store.user_by_login(&by_email).await.unwrap(),
        Some(siti.clone())
    );
    let by_phone = Login::Phone(Phone::parse("+6281234567890").unwrap());
    assert_eq!(
        store.user_by_login(&by_phone).await.unwrap(),
        Some(siti.clone())
    );
    assert_eq!(store.user(&siti.id).await.unwrap(), Some(siti.clone()));

    let same_email = user(2, Some("siti@warga.test"), None);
    let result = store.create_user(&same_email).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Email)));
    let same_phone = user(3, None, Some("081234567890"));
    let result = store.create_user(&same_phone).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Phone)));
    let without_phone = user(4, Some("budi@warga.test"), None);
    store.create_user(&without_phone).await.unwrap();
    let also_without = user(5, Some("ani@warga.test"), None);
    store.create_user(&also_without).await.unwrap();
    assert!(store.has_users().await.unwrap());
    assert_eq!(store.user(&same_email.id).await.unwrap(), None);
}

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
        active: true,
        version: 1,
        signed_out_at: None,
        email_confirmed: true,
        phone_confirmed: true,
        codes: Vec::new(),
    }
}

/// Accounts are found by e-mail, phone or id; a taken login is refused.
pub async fn accounts_are_unique_by_login(store: Arc<impl Stores>) {
    assert!(!store.has_users().await.unwrap());
    let siti = user(1, Some("siti@warga.test"), Some("081234567890"));
    store.create_user(&siti, &[]).await.unwrap();
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
    let result = store.create_user(&same_email, &[]).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Email)));
    let same_phone = user(3, None, Some("081234567890"));
    let result = store.create_user(&same_phone, &[]).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Phone)));
    let without_phone = user(4, Some("budi@warga.test"), None);
    store.create_user(&without_phone, &[]).await.unwrap();
    let also_without = user(5, Some("ani@warga.test"), None);
    store.create_user(&also_without, &[]).await.unwrap();
    assert!(store.has_users().await.unwrap());
    assert_eq!(store.user(&same_email.id).await.unwrap(), None);
}

/// A change moves an account's logins and lists with it, all at once, only over the version it
/// was made from; a login another account holds refuses the whole change.
pub async fn account_changes_move_logins_and_lists(store: Arc<impl Stores>) {
    let top = AgencyPath::root(AgencyId::from_ulid(ulid(1)));
    let unit = top.child(AgencyId::from_ulid(ulid(2)));
    let mut officer = user(10, Some("petugas@dinas.test"), None);
    officer.role = Role::LiaisonOfficer;
    officer.agency_id = Some(unit.id().clone());
    let lists = StaffList::of(Role::LiaisonOfficer, Some(&unit));
    store.create_user(&officer, &lists).await.unwrap();
    let other = user(11, Some("lain@dinas.test"), Some("081200000011"));
    store.create_user(&other, &[]).await.unwrap();
    let within = |path: &AgencyPath| StaffList::Within(path.id().clone());
    let ids = |users: Vec<User>| users.into_iter().map(|u| u.id).collect::<Vec<_>>();
    for list in [StaffList::All, within(&top), within(&unit)] {
        assert_eq!(
            ids(store.staff(&list, None, 10).await.unwrap()),
            [officer.id.clone()]
        );
    }
    assert!(
        store
            .staff(&StaffList::NationalAdmins, None, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Moved to the top agency, deactivated, with a new e-mail address.
    let mut moved = officer.clone();
    moved.agency_id = Some(top.id().clone());
    moved.active = false;
    moved.email = Some(Email::parse("baru@dinas.test").unwrap());
    moved.version = 2;
    let change = AccountChange {
        before: officer.clone(),
        before_lists: lists.clone(),
        after: moved.clone(),
        lists: StaffList::of(Role::LiaisonOfficer, Some(&top)),
    };
    store.update_user(&change).await.unwrap();
    assert_eq!(store.user(&officer.id).await.unwrap(), Some(moved.clone()));
    let old_login = Login::Email(Email::parse("petugas@dinas.test").unwrap());
    assert_eq!(store.user_by_login(&old_login).await.unwrap(), None);
    let new_login = Login::Email(Email::parse("baru@dinas.test").unwrap());
    assert_eq!(
        store.user_by_login(&new_login).await.unwrap(),
        Some(moved.clone())
    );
    assert!(
        store
            .staff(&within(&unit), None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.staff(&within(&top), None, 10).await.unwrap(),
        [moved.clone()]
    );

    // The same change again is over a version that is gone.
    assert_eq!(
        store.update_user(&change).await,
        Err(StoreError::Conflict(ConflictKind::Version))
    );
    // A login another account holds refuses it all.
    let mut taking = moved.clone();
    taking.phone = other.phone.clone();
    taking.name = "Nama Baru".into();
    taking.version = 3;
    let taken = AccountChange {
        before: moved.clone(),
        before_lists: change.lists.clone(),
        after: taking,
        lists: change.lists.clone(),
    };
    assert_eq!(
        store.update_user(&taken).await,
        Err(StoreError::Conflict(ConflictKind::Phone))
    );
    assert_eq!(store.user(&officer.id).await.unwrap(), Some(moved));
}

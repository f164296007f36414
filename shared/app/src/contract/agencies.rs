//! Agencies.

use std::sync::Arc;

use lapor_domain::agency::Profile;
use lapor_domain::fields::{AgencyName, WorkingDays};

use super::*;

fn agency(n: u128) -> Agency {
    let id = AgencyId::from_ulid(ulid(n));
    Agency {
        path: AgencyPath::root(id.clone()),
        id,
        name: AgencyName::parse(&format!("Instansi {n}")).unwrap(),
        zone: Zone::Wita,
        response_days: WorkingDays::RESPONSE_DEFAULT,
        profile: Profile::default(),
        created_at: T0,
        version: 1,
    }
}

/// Agencies are listed in id order after a given id; updates replace the record.
pub async fn agencies_list_in_id_order(store: Arc<impl Stores>) {
    for n in [3, 1, 2] {
        store.create_agency(&agency(n)).await.unwrap();
    }
    let result = store.create_agency(&agency(1)).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Duplicate)));
    let first = store.list_agencies(None, 2).await.unwrap();
    assert_eq!(first, vec![agency(1), agency(2)]);
    let rest = store.list_agencies(Some(&agency(2).id), 2).await.unwrap();
    assert_eq!(rest, vec![agency(3)]);

    let mut renamed = agency(2);
    renamed.name = AgencyName::parse("Dinas Kesehatan").unwrap();
    renamed.version = 2;
    store.update_agency(&renamed).await.unwrap();
    assert_eq!(
        store.agency(&renamed.id).await.unwrap(),
        Some(renamed.clone())
    );
    // A change made from the old version loses, and changes nothing.
    let mut stale = agency(2);
    stale.response_days = WorkingDays::parse(10).unwrap();
    stale.version = 2;
    let result = store.update_agency(&stale).await;
    assert_eq!(result, Err(StoreError::Conflict(ConflictKind::Version)));
    assert_eq!(store.agency(&renamed.id).await.unwrap(), Some(renamed));
    assert_eq!(store.agency(&agency(9).id).await.unwrap(), None);
}

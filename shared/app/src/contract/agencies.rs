//! Agencies.

use std::sync::Arc;

use lapor_domain::agency::Profile;
use lapor_domain::fields::{AgencyName, WorkingDays};
use lapor_domain::rating::RatingTally;

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
        replies: Vec::new(),
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

/// The write that rates a report adds to the rated agency's tally, once: a later change of the
/// rated report adds nothing, a change that lost its version race adds nothing, and a rating
/// after a reopening counts again.
pub async fn a_rating_counts_once_in_the_agencys_tally(store: Arc<impl Stores>) {
    let agency = agency_ref(1);
    let rated = |report: &Report, stars: u8| {
        let rating = json!({"stars": stars, "comment": null, "agency_id": agency.id});
        let next = next_version(report);
        patched(
            &next,
            json!({"status": "closed", "rating": rating, "rated": true}),
        )
    };
    let tally = || async { store.rating(&agency.id).await.unwrap() };
    assert_eq!(tally().await, RatingTally::default());

    let submitted = report(1);
    create(&*store, submitted.clone()).await;
    let first = rated(&submitted, 4);
    store.apply(change(&submitted, &first, 1)).await.unwrap();
    assert_eq!(tally().await, RatingTally { count: 1, stars: 4 });

    // A lost race rates nothing.
    let stale = rated(&submitted, 1);
    let lost = store.apply(change(&submitted, &stale, 2)).await;
    assert_eq!(lost, Err(StoreError::Conflict(ConflictKind::Version)));
    // A comment on the rated report is no new rating.
    let commented = next_version(&first);
    store.apply(change(&first, &commented, 3)).await.unwrap();
    assert_eq!(tally().await, RatingTally { count: 1, stars: 4 });

    // Reopened, closed and rated again: the second answer counts too.
    let reopened = patched(
        &next_version(&commented),
        json!({"status": "in_progress", "rated": false}),
    );
    store.apply(change(&commented, &reopened, 4)).await.unwrap();
    let again = rated(&reopened, 2);
    store.apply(change(&reopened, &again, 5)).await.unwrap();
    assert_eq!(tally().await, RatingTally { count: 2, stars: 6 });
    assert_eq!(
        store.rating(&agency_ref(2).id).await.unwrap(),
        RatingTally::default()
    );
}

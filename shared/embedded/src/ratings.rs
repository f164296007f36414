//! Agencies' rating tallies (`lapor_domain::rating`), one row per agency, added to in the
//! transaction that rates a report.

use lapor_app::StoreError;
use lapor_domain::AgencyId;
use lapor_domain::fields::Stars;
use lapor_domain::rating::RatingTally;
use rusqlite::{Connection, OptionalExtension, params};

use crate::sql::{execute, unavailable};

/// Adds one rating to the agency's tally.
pub(crate) fn add(conn: &Connection, agency: &AgencyId, stars: Stars) -> Result<(), StoreError> {
    let sql = "INSERT INTO agency_ratings (agency_id, count, stars) VALUES (?1, 1, ?2) \
               ON CONFLICT (agency_id) DO UPDATE SET count = count + 1, stars = stars + ?2";
    execute(conn, sql, params![agency.as_str(), u8::from(stars)])?;
    Ok(())
}

/// The agency's tally; empty when it has none.
pub(crate) fn tally(conn: &Connection, agency: &AgencyId) -> Result<RatingTally, StoreError> {
    let sql = "SELECT count, stars FROM agency_ratings WHERE agency_id = ?1";
    let found = conn
        .prepare_cached(sql)
        .and_then(|mut s| {
            s.query_row([agency.as_str()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })
            .optional()
        })
        .map_err(unavailable)?;
    let (count, stars) = found.unwrap_or_default();
    Ok(RatingTally {
        count: u64::try_from(count).unwrap_or(0),
        stars: u64::try_from(stars).unwrap_or(0),
    })
}

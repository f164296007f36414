//! Agencies' rating tallies (`lapor_domain::rating`): one item beside each agency's, added to
//! by the transaction that rates a report. `ADD` needs no read and no version: two ratings at
//! once both count.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use lapor_app::StoreError;
use lapor_domain::AgencyId;
use lapor_domain::fields::Stars;
use lapor_domain::rating::RatingTally;

use crate::error::unavailable;
use crate::item::{n, number, s};
use crate::write::Write;
use crate::{Dynamo, keys};

/// The tally's sort key, in the agency's partition.
const RATING: &str = "RATING";

impl Dynamo {
    /// The write adding one rating to the agency's tally.
    pub(crate) fn rating_write(
        &self,
        agency: &AgencyId,
        stars: Stars,
    ) -> Result<Write, StoreError> {
        let update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(keys::agency(agency)))
            .key("sk", s(RATING))
            .update_expression("ADD #count :one, #stars :stars")
            .expression_attribute_names("#count", "count")
            .expression_attribute_names("#stars", "stars")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":stars", n(u8::from(stars)))
            .build()
            .map_err(unavailable)?;
        Ok((TransactWriteItem::builder().update(update).build(), None))
    }

    /// The agency's tally, read eventually consistent (half the price): a profile a second
    /// behind is as good.
    pub(crate) async fn rating_tally(&self, agency: &AgencyId) -> Result<RatingTally, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(keys::agency(agency)))
            .key("sk", s(RATING))
            .send()
            .await
            .map_err(unavailable)?;
        let Some(item) = found.item() else {
            return Ok(RatingTally::default());
        };
        let count = |name| number(item, name).map(|v| u64::try_from(v).unwrap_or(0));
        Ok(RatingTally {
            count: count("count")?,
            stars: count("stars")?,
        })
    }
}

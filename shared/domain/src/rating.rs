//! An agency's rating: its reporters' stars over every answer they rated, kept as a running
//! tally beside the agency, so that its profile and its console show it without reading its
//! reports. A reporter rates once per closing (the lifecycle's `Rate`), so each answer counts
//! once; confidential reports count too (they are the agency's work), which is why the average
//! is shown only over enough ratings that it says nothing of one of them.

use serde::{Deserialize, Serialize};

use crate::fields::Stars;
use crate::{AgencyId, Report};

/// Fewer ratings than this show no average: with one or two, the average would be one
/// reporter's stars, of a report that may be confidential.
pub const MIN_RATINGS: u64 = 5;

/// An agency's ratings: how many, and their stars summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTally {
    /// How many answers were rated.
    pub count: u64,
    /// Their stars, summed.
    pub stars: u64,
}

impl RatingTally {
    /// The mean stars, once there are at least [`MIN_RATINGS`] ratings.
    pub fn average(&self) -> Option<f64> {
        (self.count >= MIN_RATINGS).then(|| self.stars as f64 / self.count as f64)
    }

    /// The tally with one more rating.
    pub fn with(self, stars: Stars) -> Self {
        Self {
            count: self.count + 1,
            stars: self.stars + u64::from(u8::from(stars)),
        }
    }
}

/// The rating a change from `before` to `after` adds to an agency's tally, and that agency:
/// the report was rated by it, and was not before it (a report is rated again only after it was
/// reopened, which clears `rated`).
pub fn added<'a>(before: &Report, after: &'a Report) -> Option<(&'a AgencyId, Stars)> {
    if before.rated() || !after.rated() {
        return None;
    }
    let rating = after.rating()?;
    Some((rating.agency_id.as_ref()?, rating.stars))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stars(n: i64) -> Stars {
        Stars::parse(n).unwrap()
    }

    #[test]
    fn the_average_needs_enough_ratings_to_say_nothing_of_one() {
        let four = (0..4).fold(RatingTally::default(), |t, _| t.with(stars(5)));
        assert_eq!(four.count, 4);
        assert_eq!(four.average(), None);
        let five = four.with(stars(1));
        assert_eq!(
            five,
            RatingTally {
                count: 5,
                stars: 21
            }
        );
        assert_eq!(five.average(), Some(4.2));
    }
}

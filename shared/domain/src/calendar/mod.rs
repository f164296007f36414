//! Working days: Monday to Friday, minus Indonesia's national holidays and cuti bersama, counted
//! in the agency's time zone (WIB, WITA or WIT).
//!
//! The built-in days off are `holidays.json` beside this file, transcribed from the joint decrees
//! of the Minister of Religious Affairs, the Minister of Manpower and the Minister of State
//! Apparatus Empowerment and Bureaucratic Reform (SKB 3 Menteri) on national holidays and cuti
//! bersama; each year's decree is cited in full in the file's `sources`:
//!
//! - 2025: SKB No. 1017/2024, 2/2024, 2/2024 (14 October 2024), amended by No. 933/2025, 1/2025,
//!   3/2025 (7 August 2025), which added 18 August 2025 as cuti bersama;
//! - 2026: SKB No. 1497/2025, 2/2025, 5/2025 (19 September 2025);
//! - 2027: SKB No. 1205/2026, 3/2026, 2/2026 (15 September 2026), which leaves the final dates of
//!   Idul Fitri and Idul Adha 1448 H to the Minister of Religious Affairs.
//!
//! Operators can load another file with [`Calendar::from_json`] when a decree is amended.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset, Weekday};

use crate::fields::{WorkingDays, iso_date};

/// Indonesia's three time zones, which have no daylight saving.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Zone {
    /// Waktu Indonesia Barat, UTC+7 (Jakarta): also the national admins' zone.
    #[default]
    #[serde(rename = "Asia/Jakarta")]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8 (Makassar).
    #[serde(rename = "Asia/Makassar")]
    Wita,
    /// Waktu Indonesia Timur, UTC+9 (Jayapura).
    #[serde(rename = "Asia/Jayapura")]
    Wit,
}

impl Zone {
    /// Parses the IANA name the API uses.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "Asia/Jakarta" => Ok(Self::Wib),
            "Asia/Makassar" => Ok(Self::Wita),
            "Asia/Jayapura" => Ok(Self::Wit),
            _ => Err("must be one of Asia/Jakarta, Asia/Makassar, Asia/Jayapura".to_string()),
        }
    }

    /// The IANA name.
    pub fn iana(self) -> &'static str {
        match self {
            Self::Wib => "Asia/Jakarta",
            Self::Wita => "Asia/Makassar",
            Self::Wit => "Asia/Jayapura",
        }
    }

    /// The offset from UTC.
    pub fn offset(self) -> UtcOffset {
        let hours = match self {
            Self::Wib => 7,
            Self::Wita => 8,
            Self::Wit => 9,
        };
        UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
    }

    /// The local date of a moment.
    pub fn date_of(self, at: OffsetDateTime) -> Date {
        at.to_offset(self.offset()).date()
    }
}

/// Whether a day off is a national holiday or collective leave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOffKind {
    /// Hari libur nasional.
    Holiday,
    CutiBersama,
}

/// One day off as the decree lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOff {
    #[serde(with = "iso_date")]
    pub date: Date,
    /// Holiday or cuti bersama.
    pub kind: DayOffKind,
    /// Its name in the decree.
    pub name: String,
}

/// The decree a year's days off come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub year: i32,
    /// The decree's citation.
    pub decree: String,
}

/// The data file: its sources and its days off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFile {
    /// Where each year's days come from.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// The days off.
    pub days: Vec<DayOff>,
}

/// The working-day calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    days_off: BTreeSet<Date>,
}

impl Calendar {
    /// The built-in calendar of Indonesia, 2025–2027.
    pub fn indonesia() -> Self {
        // The file is part of this crate and a unit test parses it, so this cannot fail at run time.
        Self::from_json(include_str!("holidays.json")).unwrap_or_else(|_| Self::weekends_only())
    }

    /// A calendar with no holidays: only weekends are off.
    pub fn weekends_only() -> Self {
        Self {
            days_off: BTreeSet::new(),
        }
    }

    /// Reads a calendar file (the shape of `holidays.json`).
    pub fn from_json(text: &str) -> Result<Self, String> {
        let file: CalendarFile =
            serde_json::from_str(text).map_err(|e| format!("invalid calendar file: {e}"))?;
        Ok(Self {
            days_off: file.days.into_iter().map(|d| d.date).collect(),
        })
    }

    /// Number of days off known (holidays and cuti bersama).
    pub fn days_off(&self) -> usize {
        self.days_off.len()
    }

    /// True on Monday to Friday when the day is neither a holiday nor cuti bersama.
    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.days_off.contains(&date)
    }

    /// The `n`-th working day after `from`; `None` when the dates run out first (past the end of
    /// year 9999, the last day `time` represents), rather than counting the last day again.
    pub fn nth_working_day_after(&self, from: Date, n: u32) -> Option<Date> {
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date.next_day()?;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Some(date)
    }

    /// A deadline of `days` working days from `from`: the end (23:59:59 local time) of the
    /// `days`-th working day after the day of `from`. The day itself does not count, so a report
    /// sent late on Friday still gets its full days.
    pub fn deadline(&self, from: OffsetDateTime, days: WorkingDays, zone: Zone) -> OffsetDateTime {
        self.end_of_working_days(from, days.get(), zone)
    }

    /// The end (23:59:59 local time) of the `n`-th working day after the day of `from`: a
    /// deadline of any length, such as a multiple of an agency's response days.
    pub fn end_of_working_days(&self, from: OffsetDateTime, n: u32, zone: Zone) -> OffsetDateTime {
        // Past the last representable day, the end of that day: as good as never.
        let day = self
            .nth_working_day_after(zone.date_of(from), n)
            .unwrap_or(Date::MAX);
        let end = Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT);
        day.with_time(end).assume_offset(zone.offset())
    }

    /// The last working day before `date`. Bounded: a calendar without working days for ten
    /// years answers the day ten years back instead of looping.
    pub fn working_day_before(&self, date: Date) -> Date {
        let mut day = date;
        for _ in 0..3660 {
            day = day.previous_day().unwrap_or(day);
            if self.is_working_day(day) {
                break;
            }
        }
        day
    }

    /// The start (00:00 local time) of a day in a zone.
    pub fn start_of(date: Date, zone: Zone) -> OffsetDateTime {
        date.midnight().assume_offset(zone.offset())
    }

    /// Working days after the local date of `from`, up to and including that of `to`.
    pub fn working_days_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        zone: Zone,
    ) -> u32 {
        let (mut date, last) = (zone.date_of(from), zone.date_of(to));
        let mut count = 0;
        // Bounded: a report older than a few years is counted to this cap, not day by day forever.
        let cap = 5 * 366;
        while date < last && count < cap {
            date += Duration::days(1);
            if self.is_working_day(date) {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_built_in_file_parses_and_covers_2025_to_2027() {
        let file: CalendarFile = serde_json::from_str(include_str!("holidays.json")).unwrap();
        for year in 2025..=2027 {
            assert!(
                file.sources.iter().any(|s| s.year == year),
                "no decree for {year}"
            );
            assert!(file.days.iter().filter(|d| d.date.year() == year).count() >= 15);
        }
        assert_eq!(Calendar::indonesia().days_off(), file.days.len());
    }

    #[test]
    fn weekends_holidays_and_cuti_bersama_are_not_working_days() {
        let cal = Calendar::indonesia();
        assert!(cal.is_working_day(date!(2025 - 03 - 27)));
        assert!(!cal.is_working_day(date!(2025 - 03 - 29)), "Saturday");
        assert!(
            !cal.is_working_day(date!(2025 - 03 - 31)),
            "Idul Fitri 1446 H"
        );
        assert!(
            !cal.is_working_day(date!(2025 - 04 - 02)),
            "cuti bersama Idul Fitri"
        );
        assert!(!cal.is_working_day(date!(2025 - 12 - 25)), "Christmas");
        assert!(!cal.is_working_day(date!(2026 - 01 - 01)), "New Year");
    }

    #[test]
    fn deadlines_skip_the_idul_fitri_break() {
        let cal = Calendar::indonesia();
        // Thursday 27 March 2025, 10:00 WIB. Days off: Fri 28 (cuti bersama Nyepi), the weekend,
        // Mon 31 and Tue 1 April (Idul Fitri), Wed 2 to Mon 7 April (cuti bersama) : the first
        // working days after are Tue 8, Wed 9 and Thu 10 April.
        let due = cal.deadline(
            datetime!(2025-03-27 03:00 UTC),
            WorkingDays::VERIFICATION,
            Zone::Wib,
        );
        assert_eq!(due, datetime!(2025-04-10 23:59:59 +7));
    }

    #[test]
    fn the_day_of_the_start_is_counted_in_the_agencys_zone() {
        let cal = Calendar::weekends_only();
        // 23:30 UTC on Monday is already Tuesday in Jayapura (UTC+9).
        let from = datetime!(2025-06-02 23:30 UTC);
        let wib = cal.deadline(from, WorkingDays::parse(1).unwrap(), Zone::Wib);
        let wit = cal.deadline(from, WorkingDays::parse(1).unwrap(), Zone::Wit);
        assert_eq!(wib, datetime!(2025-06-04 23:59:59 +7));
        assert_eq!(wit, datetime!(2025-06-04 23:59:59 +9));
        assert_eq!(Zone::Wit.date_of(from), date!(2025 - 06 - 03));
    }

    #[test]
    fn the_working_day_before_idul_fitri_2026_is_a_week_earlier() {
        let cal = Calendar::indonesia();
        // Wed 18 March 2026 (cuti bersama Nyepi) to Tue 24 March (cuti bersama Idul Fitri) are
        // all off: the working day before Wed 25 March is Tue 17 March.
        assert_eq!(
            cal.working_day_before(date!(2026 - 03 - 25)),
            date!(2026 - 03 - 17)
        );
        assert_eq!(
            cal.working_day_before(date!(2026 - 03 - 16)),
            date!(2026 - 03 - 13),
            "over the weekend"
        );
    }

    /// Found by the fuzz target `calendar`: near the last representable day the count went on
    /// on that day, answering it for any number of working days (and never ending when that
    /// day was a day off).
    #[test]
    fn working_days_run_out_at_the_end_of_year_9999() {
        let cal = Calendar::weekends_only();
        // Wednesday 29 December 9999: Thursday 30 and Friday 31 are the last working days.
        let wednesday = date!(9999 - 12 - 29);
        assert_eq!(cal.nth_working_day_after(wednesday, 2), Some(Date::MAX));
        assert_eq!(cal.nth_working_day_after(wednesday, 3), None);
        assert_eq!(cal.nth_working_day_after(wednesday, 10), None);
        let end = cal.end_of_working_days(Calendar::start_of(wednesday, Zone::Wit), 10, Zone::Wit);
        assert_eq!(end, datetime!(9999-12-31 23:59:59 +9));
        let last_off = Calendar::from_json(
            r#"{"days": [{"date": "9999-12-31", "kind": "holiday", "name": "Akhir"}]}"#,
        )
        .unwrap();
        assert_eq!(
            last_off.nth_working_day_after(date!(9999 - 12 - 30), 1),
            None
        );
    }

    #[test]
    fn working_days_between_counts_after_the_start() {
        let cal = Calendar::weekends_only();
        let friday = datetime!(2025-06-06 10:00 +7);
        let next_friday = datetime!(2025-06-13 09:00 +7);
        assert_eq!(cal.working_days_between(friday, next_friday, Zone::Wib), 5);
        assert_eq!(cal.working_days_between(next_friday, friday, Zone::Wib), 0);
    }
}

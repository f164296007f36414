//! The holiday calendar file operators load (`LAPOR_CALENDAR_FILE`, the shape of
//! `holidays.json`), and the working-day arithmetic on what it loaded, from each day it lists.
//! Besides never panicking nor hanging:
//! - a file that loads, written out again, loads the same calendar;
//! - the listed days are days off, and the calendar knows as many as the file lists;
//! - the n-th working day after a day is a working day after it, with n working days from that
//!   day to it, and the working day before it is the (n-1)-th (or at most the day itself);
//! - a deadline falls on the end of that day, in the zone asked.

#![no_main]

use lapor_domain::calendar::{Calendar, CalendarFile, Zone};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use time::{Date, Time};

/// Enough to cross a long break and a year end, short enough to stay fast.
const COUNTS: [u32; 5] = [1, 2, 3, 10, 60];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(calendar) = Calendar::from_json(text) else {
        return;
    };
    let file: CalendarFile = serde_json::from_str(text).expect("what loads is a calendar file");
    let written = serde_json::to_string(&file).expect("a calendar file serialises");
    assert_eq!(Calendar::from_json(&written).as_ref(), Ok(&calendar));

    let listed: BTreeSet<Date> = file.days.iter().map(|d| d.date).collect();
    assert_eq!(calendar.days_off(), listed.len());
    for day in &listed {
        assert!(!calendar.is_working_day(*day), "{day} is listed as off");
    }
    for day in listed.iter().take(8) {
        counts_from(&calendar, *day);
        for neighbour in [day.previous_day(), day.next_day()].into_iter().flatten() {
            counts_from(&calendar, neighbour);
        }
    }
});

fn counts_from(calendar: &Calendar, from: Date) {
    let mut previous = None;
    for n in COUNTS {
        let Some(day) = calendar.nth_working_day_after(from, n) else {
            // The dates run out (after the last day `time` represents) before n working days.
            assert!(from.year() == 9999, "{from} + {n} ran out");
            continue;
        };
        assert!(day > from, "{from} + {n} = {day}");
        assert!(
            calendar.is_working_day(day),
            "{from} + {n} = {day}, a day off"
        );
        let zone = Zone::Wita;
        let start = Calendar::start_of(from, zone);
        assert_eq!(
            calendar.working_days_between(start, Calendar::start_of(day, zone), zone),
            n
        );
        let before = calendar.working_day_before(day);
        if n == 1 {
            assert!(before <= from, "{before} before {day}, 1 after {from}");
        } else {
            assert_eq!(Some(before), calendar.nth_working_day_after(from, n - 1));
        }
        if let Some(previous) = previous {
            assert!(day > previous);
        }
        previous = Some(day);

        let end = calendar.end_of_working_days(start, n, zone);
        assert_eq!(zone.date_of(end), day);
        assert_eq!(end.time(), Time::from_hms(23, 59, 59).expect("a time"));
        assert_eq!(end.offset(), zone.offset());
    }
}

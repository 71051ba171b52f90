//! The calendar of the users: Belgium. A change takes effect "today" as Brussels counts it.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;

/// Today's date in Brussels.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Brussels).date_naive()
}

/// When today began in Brussels, as a UTC time (for "the same day" rules).
pub fn start_of_today(now: DateTime<Utc>) -> DateTime<Utc> {
    start_of(today(now))
}

/// When `date` begins in Brussels, as a UTC time.
pub fn start_of(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    // Brussels never skips midnight; `earliest` only guards against it.
    Brussels
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |t| t.with_timezone(&Utc),
        )
}

/// A moment as the clock in Brussels shows it.
pub fn local_time(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&Brussels).naive_local()
}

/// A date as the pages show it.
pub fn display_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_brussels_day_starts_an_hour_or_two_before_utc_midnight() {
        let late_evening = Utc.with_ymd_and_hms(2026, 12, 1, 23, 30, 0).unwrap();
        assert_eq!(
            today(late_evening),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
        assert_eq!(
            start_of_today(late_evening),
            Utc.with_ymd_and_hms(2026, 12, 1, 23, 0, 0).unwrap()
        );
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(
            start_of_today(summer),
            Utc.with_ymd_and_hms(2026, 6, 30, 22, 0, 0).unwrap()
        );
    }
}

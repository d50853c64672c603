//! Business dates (`time::Date`) and the calendar arithmetic loans need.

use time::{Date, Month};

pub use time::Date as BusinessDate;

/// The date `months` months after `anchor`, on the anchor's day or the month's last day when it
/// has no such day (对月对日: 01-31 → 02-28 → 03-31). Always computed from the anchor, so the
/// day never drifts.
pub fn add_months(anchor: Date, months: u32) -> Date {
    let total = anchor.year() as i64 * 12 + (anchor.month() as i64 - 1) + months as i64;
    let year = total.div_euclid(12) as i32;
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).expect("month in 1..=12");
    let day = anchor.day().min(days_in_month(year, month));
    Date::from_calendar_date(year, month, day).expect("day clamped to the month")
}

pub fn days_in_month(year: i32, month: Month) -> u8 {
    time::util::days_in_month(month, year)
}

/// Days from `start` to `end`, counting the first day and not the last (算头不算尾).
pub fn days_between(start: Date, end: Date) -> i64 {
    (end - start).whole_days()
}

/// `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn month_end_anchor_never_drifts() {
        let start = date!(2026 - 01 - 31);
        assert_eq!(add_months(start, 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(start, 2), date!(2026 - 03 - 31));
        assert_eq!(add_months(start, 3), date!(2026 - 04 - 30));
        assert_eq!(add_months(date!(2027 - 12 - 31), 2), date!(2028 - 02 - 29));
        assert_eq!(add_months(start, 12), date!(2027 - 01 - 31));
    }

    #[test]
    fn day_count_excludes_the_last_day() {
        assert_eq!(
            days_between(date!(2026 - 01 - 31), date!(2026 - 02 - 28)),
            28
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-02-28"), Some(date!(2026 - 02 - 28)));
    }
}

//! When the daily close (日终) starts by itself (定时日终, issue 7): at a configured time of day,
//! once the calendar has left the business date behind. Pure: the clock's instant, the
//! schedule, the business date and the last attempt in; run now or sleep until when out.
//!
//! Times are UTC, like the calendar date the close compares the business date with
//! (`close_day` refuses a day the UTC calendar has not passed).

use std::fmt;
use std::str::FromStr;

use time::{Date, Duration, OffsetDateTime, Time};

/// The time of day the close starts (`HH:MM`, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseAt(Time);

impl CloseAt {
    pub fn time(self) -> Time {
        self.0
    }
}

impl FromStr for CloseAt {
    type Err = String;

    /// `HH:MM` on the 24-hour clock, e.g. `01:30`.
    fn from_str(s: &str) -> Result<CloseAt, String> {
        let bad = || format!("expected HH:MM (00:00–23:59), got {s:?}");
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u8 = h.parse().map_err(|_| bad())?;
        let m: u8 = m.parse().map_err(|_| bad())?;
        Time::from_hms(h, m, 0).map(CloseAt).map_err(|_| bad())
    }
}

impl fmt::Display for CloseAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

/// What the scheduler does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Close every missed day until the business date is `until` (the calendar date).
    Close { until: Date },
    /// Nothing to do before this instant.
    SleepUntil(OffsetDateTime),
}

/// The decision. `last_attempt` is when this scheduler last started a close; while the
/// business date is still behind after it (the run failed, or the database refused), the
/// next attempt waits `retry_after` so that a lasting fault is logged once a retry, not in a
/// hot loop.
pub fn next(
    now: OffsetDateTime,
    at: CloseAt,
    business_date: Date,
    last_attempt: Option<OffsetDateTime>,
    retry_after: Duration,
) -> Next {
    let calendar = now.date();
    let today_at = calendar.with_time(at.time()).assume_utc();
    if now < today_at {
        return Next::SleepUntil(today_at);
    }
    if business_date >= calendar {
        return Next::SleepUntil(today_at + Duration::days(1));
    }
    // An attempt "in the future" means the clock went back: it says nothing about now.
    match last_attempt.filter(|t| *t <= now) {
        Some(t) if now < t + retry_after => Next::SleepUntil(t + retry_after),
        _ => Next::Close { until: calendar },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const RETRY: Duration = Duration::minutes(5);

    fn at(s: &str) -> CloseAt {
        s.parse().unwrap()
    }

    #[test]
    fn the_time_of_day_is_hh_mm_on_the_24_hour_clock() {
        assert_eq!(at("01:30").to_string(), "01:30");
        assert_eq!(at(" 23:59 ").to_string(), "23:59");
        assert_eq!(at("00:00").time(), Time::MIDNIGHT);
        for bad in [
            "24:00", "12:60", "1:30", "0130", "12:3", "ab:cd", "", "-1:00",
        ] {
            assert!(bad.parse::<CloseAt>().is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn before_the_time_it_waits_for_it_even_with_days_missed() {
        assert_eq!(
            next(
                datetime!(2026-05-20 01:59:59 UTC),
                at("02:00"),
                date!(2026 - 05 - 17),
                None,
                RETRY
            ),
            Next::SleepUntil(datetime!(2026-05-20 02:00 UTC))
        );
    }

    #[test]
    fn once_the_time_has_passed_it_closes_every_missed_day_up_to_the_calendar_date() {
        for now in [
            datetime!(2026-05-20 02:00 UTC),
            datetime!(2026-05-20 23:59 UTC),
        ] {
            assert_eq!(
                next(now, at("02:00"), date!(2026 - 05 - 17), None, RETRY),
                Next::Close {
                    until: date!(2026 - 05 - 20)
                }
            );
        }
    }

    #[test]
    fn with_the_business_date_caught_up_it_sleeps_until_the_time_tomorrow() {
        assert_eq!(
            next(
                datetime!(2026-05-20 09:15 UTC),
                at("02:00"),
                date!(2026 - 05 - 20),
                Some(datetime!(2026-05-20 02:00 UTC)),
                RETRY
            ),
            Next::SleepUntil(datetime!(2026-05-21 02:00 UTC))
        );
        // Month and year ends roll over like any day.
        assert_eq!(
            next(
                datetime!(2026-12-31 23:30 UTC),
                at("23:30"),
                date!(2026 - 12 - 31),
                None,
                RETRY
            ),
            Next::SleepUntil(datetime!(2027-01-01 23:30 UTC))
        );
    }

    #[test]
    fn after_a_failed_attempt_it_retries_once_the_retry_interval_has_passed() {
        let tried = datetime!(2026-05-20 02:00 UTC);
        assert_eq!(
            next(
                datetime!(2026-05-20 02:04:59 UTC),
                at("02:00"),
                date!(2026 - 05 - 18),
                Some(tried),
                RETRY
            ),
            Next::SleepUntil(datetime!(2026-05-20 02:05 UTC))
        );
        assert_eq!(
            next(
                datetime!(2026-05-20 02:05 UTC),
                at("02:00"),
                date!(2026 - 05 - 18),
                Some(tried),
                RETRY
            ),
            Next::Close {
                until: date!(2026 - 05 - 20)
            }
        );
    }

    #[test]
    fn yesterdays_attempt_does_not_hold_back_todays_close() {
        assert_eq!(
            next(
                datetime!(2026-05-21 02:00 UTC),
                at("02:00"),
                date!(2026 - 05 - 20),
                Some(datetime!(2026-05-20 02:00 UTC)),
                RETRY
            ),
            Next::Close {
                until: date!(2026 - 05 - 21)
            }
        );
    }

    #[test]
    fn an_attempt_after_now_is_ignored_as_the_clock_went_back() {
        assert_eq!(
            next(
                datetime!(2026-05-20 03:00 UTC),
                at("02:00"),
                date!(2026 - 05 - 19),
                Some(datetime!(2026-05-20 05:00 UTC)),
                RETRY
            ),
            Next::Close {
                until: date!(2026 - 05 - 20)
            }
        );
    }
}

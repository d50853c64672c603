//! The calendar of a schedule: due dates on the start's day of the month (对月对日, month-end
//! anchored), or on a fixed repayment day with a broken first period (RULES.md §1, §2.7).

use kernel::date::{add_months, days_between};
use time::{Date, Duration};

use crate::terms::{LoanTerms, Method};

/// One period of the calendar: interest runs from `start` (in) to `due` (out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub number: u32,
    pub start: Date,
    pub due: Date,
    /// A first period on a fixed repayment day that is not one whole month: its interest
    /// counts days.
    pub broken: bool,
}

impl Period {
    pub fn days(&self) -> i64 {
        days_between(self.start, self.due)
    }
}

/// The periods of `terms`. A bullet has one period from the start to maturity.
pub fn periods(terms: &LoanTerms) -> Vec<Period> {
    let n = terms.term_months;
    if terms.method == Method::Bullet {
        let due = add_months(terms.start_date, n);
        return vec![Period {
            number: 1,
            start: terms.start_date,
            due,
            broken: false,
        }];
    }
    let due_dates: Vec<Date> = match terms.repayment_day {
        None => (1..=n).map(|k| add_months(terms.start_date, k)).collect(),
        Some(day) => {
            let first = first_due_date(terms.start_date, day, terms.min_first_period_days);
            (0..n).map(|k| add_months(first, k)).collect()
        }
    };
    let broken = terms
        .repayment_day
        .is_some_and(|d| u32::from(terms.start_date.day()) != d);
    let mut start = terms.start_date;
    due_dates
        .into_iter()
        .enumerate()
        .map(|(k, due)| {
            let period = Period {
                number: k as u32 + 1,
                start,
                due,
                broken: broken && k == 0,
            };
            start = due;
            period
        })
        .collect()
}

/// The first date after `start` whose day is `day` and that leaves at least `min_days`;
/// otherwise one month later. `day` is 1–28, so every month has it.
pub fn first_due_date(start: Date, day: u32, min_days: u32) -> Date {
    let mut candidate = start + Duration::days(1);
    while u32::from(candidate.day()) != day {
        candidate += Duration::days(1);
    }
    if days_between(start, candidate) < i64::from(min_days) {
        add_months(candidate, 1)
    } else {
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_short_broken_period_moves_a_month_later() {
        assert_eq!(
            first_due_date(date!(2026 - 01 - 15), 20, 10),
            date!(2026 - 02 - 20)
        );
        assert_eq!(
            first_due_date(date!(2026 - 01 - 05), 20, 10),
            date!(2026 - 01 - 20)
        );
        assert_eq!(
            first_due_date(date!(2026 - 01 - 10), 20, 10),
            date!(2026 - 01 - 20)
        );
        assert_eq!(
            first_due_date(date!(2026 - 01 - 31), 5, 10),
            date!(2026 - 03 - 05)
        );
    }

    #[test]
    fn the_start_on_the_repayment_day_makes_a_whole_first_month() {
        assert_eq!(
            first_due_date(date!(2026 - 01 - 20), 20, 10),
            date!(2026 - 02 - 20)
        );
    }
}

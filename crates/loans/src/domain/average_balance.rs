//! 日均余额: the average daily balance over the days [from, to], both included, from a
//! balance history of effective-dated spans — Σ balance × days the span covers in the period,
//! divided by the days in the period, rounded half-up to the fen once, at the end. Days no
//! span covers (before the first close, after settlement) count as a zero balance. The daily
//! close's snapshots and the report's SQL follow the same rule; this is the reference.

use rust_decimal::Decimal;
use time::Date;

use kernel::{FieldError, Money};

/// The longest period a report averages over, so one request cannot scan years of history.
pub const MAX_DAYS: i64 = 366;

/// A balance held from `valid_from` up to `valid_to`, exclusive (`None`: still current).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceSpan {
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub balance: Decimal,
}

/// Days in [from, to], both included.
pub fn days_in(from: Date, to: Date) -> i64 {
    (to - from).whole_days() + 1
}

/// How many days of [from, to] the span covers.
pub fn overlap_days(span: &BalanceSpan, from: Date, to: Date) -> i64 {
    let start = span.valid_from.max(from);
    let end = match span.valid_to {
        Some(v) => v.min(to + time::Duration::DAY),
        None => to + time::Duration::DAY,
    };
    (end - start).whole_days().max(0)
}

/// Σ balance × days over the period (积数, the "balance-days").
pub fn balance_days(spans: &[BalanceSpan], from: Date, to: Date) -> Decimal {
    spans
        .iter()
        .map(|s| s.balance * Decimal::from(overlap_days(s, from, to)))
        .sum()
}

/// The balance-days divided by the days, rounded once.
pub fn average(balance_days: Decimal, days: i64) -> Money {
    if days <= 0 {
        return Money::ZERO;
    }
    Money::round(balance_days / Decimal::from(days))
}

pub fn average_daily_balance(spans: &[BalanceSpan], from: Date, to: Date) -> Money {
    average(balance_days(spans, from, to), days_in(from, to))
}

/// A period a report may average over: in order, no longer than [`MAX_DAYS`], and closed —
/// `to` before the business date, since the day in progress has no end-of-day balance yet.
pub fn check_period(from: Date, to: Date, business_date: Date) -> Result<(), FieldError> {
    if to < from {
        return Err(FieldError::new("to", "before_from", "to comes before from"));
    }
    if to >= business_date {
        return Err(FieldError::new(
            "to",
            "not_closed",
            format!("{to} is not closed yet (the business date is {business_date})"),
        ));
    }
    if days_in(from, to) > MAX_DAYS {
        return Err(FieldError::new(
            "to",
            "too_long",
            format!("a period is at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn span(from: Date, to: Option<Date>, balance: Decimal) -> BalanceSpan {
        BalanceSpan {
            valid_from: from,
            valid_to: to,
            balance,
        }
    }

    #[test]
    fn a_balance_that_changes_once_weighs_each_part_by_its_days() {
        // April 2026, 30 days: 100 000.00 on 04-01..04-09 (9 days), 96 292.65 from 04-10
        // (21 days). (900 000 + 2 022 145.65) / 30 = 97 404.855 → half-up 97 404.86.
        let spans = [
            span(
                date!(2026 - 03 - 10),
                Some(date!(2026 - 04 - 10)),
                dec!(100000.00),
            ),
            span(date!(2026 - 04 - 10), None, dec!(96292.65)),
        ];
        let (from, to) = (date!(2026 - 04 - 01), date!(2026 - 04 - 30));
        assert_eq!(days_in(from, to), 30);
        assert_eq!(balance_days(&spans, from, to), dec!(2922145.65));
        assert_eq!(
            average_daily_balance(&spans, from, to).to_string(),
            "97404.86"
        );
    }

    #[test]
    fn days_without_a_span_count_as_nothing() {
        // Disbursed 01-11 and settled from 01-21: 10 days of 3 000 over 31 days of January:
        // 30 000 / 31 = 967.741… → 967.74.
        let spans = [span(
            date!(2026 - 01 - 11),
            Some(date!(2026 - 01 - 21)),
            dec!(3000),
        )];
        assert_eq!(
            average_daily_balance(&spans, date!(2026 - 01 - 01), date!(2026 - 01 - 31)).to_string(),
            "967.74"
        );
        // A period wholly before or after the span.
        assert_eq!(
            average_daily_balance(&spans, date!(2026 - 02 - 01), date!(2026 - 02 - 03)).to_string(),
            "0.00"
        );
    }

    #[test]
    fn rounding_is_half_up_once_at_the_end_not_bankers() {
        // 0.25 over 2 days of which one holds 0.25: 0.125 → 0.13 (banker's would give 0.12).
        let spans = [span(
            date!(2026 - 05 - 01),
            Some(date!(2026 - 05 - 02)),
            dec!(0.25),
        )];
        assert_eq!(
            average_daily_balance(&spans, date!(2026 - 05 - 01), date!(2026 - 05 - 02)).to_string(),
            "0.13"
        );
        // A single day is that day's balance.
        assert_eq!(
            average_daily_balance(&spans, date!(2026 - 05 - 01), date!(2026 - 05 - 01)).to_string(),
            "0.25"
        );
    }

    #[test]
    fn a_period_must_be_in_order_closed_and_not_too_long() {
        let today = date!(2026 - 06 - 01);
        let code = |from, to| check_period(from, to, today).err().map(|e| e.code);
        assert_eq!(code(date!(2026 - 05 - 01), date!(2026 - 05 - 31)), None);
        assert_eq!(
            code(date!(2026 - 05 - 02), date!(2026 - 05 - 01)).as_deref(),
            Some("before_from")
        );
        assert_eq!(
            code(date!(2026 - 05 - 01), date!(2026 - 06 - 01)).as_deref(),
            Some("not_closed")
        );
        assert_eq!(
            code(date!(2025 - 01 - 01), date!(2026 - 01 - 02)).as_deref(),
            Some("too_long")
        );
    }
}

//! Accrual for the books (计提): each period's scheduled interest spread over its days
//! (RULES.md §1). Accrued-to-date on a date is round(I_k × days elapsed / days in the period),
//! days elapsed = date − period start, clamped to the period; the accrual booked for a date is
//! that day's accrued-to-date minus the previous day's. So the dates (start, due] of a period
//! book exactly its scheduled interest, never more. (Payoff interest, §6, is another thing.)

use kernel::Money;
use kernel::date::days_between;
use rust_decimal::Decimal;
use time::{Date, Duration};

use crate::schedule::{Installment, Schedule};

/// Interest of `installment` accrued through `date`.
pub fn accrued_to_date(installment: &Installment, date: Date) -> Money {
    let days = installment.days();
    let elapsed = days_between(installment.start_date, date).clamp(0, days);
    if elapsed == days {
        // Exact at the end, whatever the rounding of the fraction would say.
        return installment.interest;
    }
    Money::round(installment.interest.amount() * Decimal::from(elapsed) / Decimal::from(days))
}

/// The accrual booked for `date` on `installment` (zero outside its period).
pub fn daily_accrual(installment: &Installment, date: Date) -> Money {
    accrued_to_date(installment, date) - accrued_to_date(installment, date - Duration::days(1))
}

/// What one installment accrues over a range of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccrualLine {
    pub period: u32,
    pub amount: Money,
}

/// Per installment, the accrual booked for the dates after `from` up to and including `to`
/// (a daily close for business date D asks for (D−1, D]). Installments that accrue nothing in
/// the range are left out.
pub fn accrual_between(schedule: &Schedule, from: Date, to: Date) -> Vec<AccrualLine> {
    schedule
        .installments
        .iter()
        .filter(|i| i.due_date > from && i.start_date < to)
        .map(|i| AccrualLine {
            period: i.period,
            amount: accrued_to_date(i, to) - accrued_to_date(i, from),
        })
        .filter(|line| !line.amount.is_zero())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel::Money;
    use time::macros::date;

    fn installment(interest: i64) -> Installment {
        Installment {
            period: 1,
            start_date: date!(2026 - 01 - 31),
            due_date: date!(2026 - 02 - 28),
            principal: Money::ZERO,
            interest: Money::from_fen(interest),
            total: Money::from_fen(interest),
            remaining_principal: Money::ZERO,
        }
    }

    #[test]
    fn a_period_accrues_exactly_its_interest() {
        let i = installment(100_001);
        let mut sum = Money::ZERO;
        let mut d = i.start_date;
        while d <= i.due_date + Duration::days(3) {
            sum += daily_accrual(&i, d);
            d += Duration::days(1);
        }
        assert_eq!(sum, i.interest);
        assert_eq!(
            accrued_to_date(&i, date!(2026 - 02 - 14)),
            Money::from_fen(50_001)
        );
    }

    #[test]
    fn nothing_accrues_on_the_start_date() {
        let i = installment(2800);
        assert_eq!(daily_accrual(&i, i.start_date), Money::ZERO);
        assert_eq!(
            daily_accrual(&i, i.start_date + Duration::days(1)),
            Money::from_fen(100)
        );
    }
}

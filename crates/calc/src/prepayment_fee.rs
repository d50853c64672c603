//! Prepayment fees (提前还款违约金), RULES.md §6: none, a percent of the principal prepaid, or
//! N months of interest on it; each optionally free after M months from the start and capped.

use kernel::date::add_months;
use kernel::{Money, Rate};
use rust_decimal::Decimal;
use time::Date;

use crate::schedule::month_interest;

/// How the fee is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeeKind {
    #[default]
    None,
    /// rate × the principal prepaid.
    PercentOfRemaining { rate: Decimal },
    /// months × round(principal prepaid × r).
    MonthsInterest { months: u32 },
}

/// A product's prepayment fee rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrepaymentFee {
    pub kind: FeeKind,
    /// No fee on or after this many months from the start.
    pub free_after_months: Option<u32>,
    /// The most the fee may be.
    pub cap: Option<Money>,
}

impl PrepaymentFee {
    /// The fee for prepaying `principal_prepaid` on `date`.
    pub fn fee(&self, principal_prepaid: Money, rate: Rate, start: Date, date: Date) -> Money {
        if let Some(m) = self.free_after_months
            && date >= add_months(start, m)
        {
            return Money::ZERO;
        }
        let fee = match self.kind {
            FeeKind::None => Money::ZERO,
            FeeKind::PercentOfRemaining { rate } => principal_prepaid.times(rate),
            FeeKind::MonthsInterest { months } => {
                let one_month = month_interest(principal_prepaid, rate);
                Money::round(one_month.amount() * Decimal::from(months))
            }
        };
        match self.cap {
            Some(cap) => fee.min(cap),
            None => fee,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    #[test]
    fn fee_kinds_free_period_and_cap() {
        let start = date!(2026 - 01 - 31);
        let on = date!(2026 - 06 - 30);
        let pct = PrepaymentFee {
            kind: FeeKind::PercentOfRemaining { rate: dec!(0.02) },
            ..PrepaymentFee::default()
        };
        assert_eq!(
            pct.fee(
                Money::yuan(50_000),
                Rate::annual(dec!(0.12)).unwrap(),
                start,
                on
            ),
            Money::yuan(1_000)
        );
        let capped = PrepaymentFee {
            cap: Some(Money::yuan(800)),
            ..pct
        };
        assert_eq!(
            capped.fee(
                Money::yuan(50_000),
                Rate::annual(dec!(0.12)).unwrap(),
                start,
                on
            ),
            Money::yuan(800)
        );
        let free = PrepaymentFee {
            free_after_months: Some(5),
            ..pct
        };
        assert_eq!(
            free.fee(
                Money::yuan(50_000),
                Rate::annual(dec!(0.12)).unwrap(),
                start,
                on
            ),
            Money::ZERO
        );
        let months = PrepaymentFee {
            kind: FeeKind::MonthsInterest { months: 2 },
            ..PrepaymentFee::default()
        };
        assert_eq!(
            months.fee(
                Money::yuan(50_000),
                Rate::annual(dec!(0.12)).unwrap(),
                start,
                on
            ),
            Money::yuan(1_000)
        );
    }
}

//! Interest on an amount for a span, rounded half-up to the fen exactly once.
//!
//! round(amount × i × numer / denom) is computed on the exact rational value: multiplying
//! before dividing, in integers when they fit. Multiplying by a pre-divided month or day rate
//! (i/12, i/360 held to 28 digits) would be a hair off the true value and could round the
//! wrong way on an exact half fen (0.60 × 0.1/12 is exactly 0.005). Integer arithmetic is
//! also what makes a 36-period schedule take about a microsecond.

use kernel::{Money, Rate};
use rust_decimal::Decimal;

use crate::terms::DayBasis;

/// round(P·r): a full period's interest (按月计息), r = i/12.
pub fn month_interest(amount: Money, rate: Rate) -> Money {
    prorate(amount, rate, 1, 12)
}

/// round(P·r·n): `months` months of interest rounded once (a bullet by months).
pub fn months_interest(amount: Money, rate: Rate, months: u32) -> Money {
    prorate(amount, rate, i64::from(months), 12)
}

/// round(P·i·days/basis): day-counted interest (broken periods, payoff, bullet by days).
pub fn day_interest(amount: Money, rate: Rate, basis: DayBasis, days: i64) -> Money {
    prorate(amount, rate, days, i64::from(basis.days()))
}

/// round(amount × rate × numer / denom), half away from zero; `denom` > 0.
pub fn prorate(amount: Money, rate: Rate, numer: i64, denom: i64) -> Money {
    let (fen, rate_mantissa, rate_scale) = (
        fen_of(amount),
        rate.value().mantissa(),
        rate.value().scale(),
    );
    let exact = 10i128
        .checked_pow(rate_scale)
        .and_then(|pow| pow.checked_mul(i128::from(denom)))
        .and_then(|den| {
            let num = fen
                .checked_mul(rate_mantissa)?
                .checked_mul(i128::from(numer))?;
            Some(div_half_up(num, den))
        });
    match exact.and_then(|f| i64::try_from(f).ok()) {
        Some(f) => Money::from_fen(f),
        None => Money::round(
            amount.amount() * rate.value() * Decimal::from(numer) / Decimal::from(denom),
        ),
    }
}

fn fen_of(amount: Money) -> i128 {
    let mut d = amount.amount();
    d.rescale(2);
    d.mantissa()
}

/// num / den rounded half away from zero, den > 0.
fn div_half_up(num: i128, den: i128) -> i128 {
    let q = (2 * num.abs() + den) / (2 * den);
    if num < 0 { -q } else { q }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn rate(v: Decimal) -> Rate {
        Rate::annual(v).unwrap()
    }

    #[test]
    fn an_exact_half_fen_rounds_up() {
        // 0.60 × 0.1 / 12 = 0.005 exactly; a pre-divided 0.1/12 would give 0.00499….
        assert_eq!(
            month_interest(Money::from_fen(60), rate(dec!(0.1))),
            Money::from_fen(1)
        );
        assert_eq!(
            day_interest(Money::from_fen(18), rate(dec!(0.1)), DayBasis::Days360, 100),
            Money::from_fen(1)
        );
    }

    #[test]
    fn matches_decimal_arithmetic() {
        let p = Money::from_fen(12_345_678);
        let r = rate(dec!(0.2399));
        assert_eq!(
            month_interest(p, r),
            Money::round(p.amount() * dec!(0.2399) / dec!(12))
        );
        assert_eq!(
            months_interest(p, r, 7),
            Money::round(p.amount() * dec!(0.2399) * dec!(7) / dec!(12))
        );
        assert_eq!(
            day_interest(p, r, DayBasis::Days365, 45),
            Money::round(p.amount() * dec!(0.2399) * dec!(45) / dec!(365))
        );
        assert_eq!(month_interest(-p, r), -month_interest(p, r));
    }
}

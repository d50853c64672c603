//! Annualised rate disclosure (年化利率), RULES.md §5: the monthly r that makes the borrower's
//! cash flows worth nothing, 0 = −(P − fees at signing) + Σ (payment_k + fees_k)/(1+r)^(t_k),
//! with t_k in months: t_1 is 1 for a whole month, d/30 for a broken first period of d days,
//! n for a bullet whose one payment falls n months after the start; each later period adds 1.
//! Simple APR = 12·r, compound APR = (1+r)^12 − 1, both as percents to 4 places.
//!
//! Solved in Decimal (28 significant digits) by Newton's method kept inside a bracket, so the
//! 4th place of a percent is exact except within ~1e−20 of a rounding midpoint; no float.

use kernel::{AppError, AppResult, Money, round_half_up};
use rust_decimal::Decimal;

use crate::schedule::Schedule;
use crate::schedule::annuity::pow;

/// Places of a percent in the API (`"13.5826"`).
pub const PCT_PLACES: u32 = 4;

/// The borrower's cash flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashFlows {
    /// What the borrower actually has at signing: principal − fees paid then.
    pub net_advance: Money,
    /// Installment plus that period's fees, period by period.
    pub payments: Vec<Money>,
    /// How long the first period is, which places every payment in time.
    pub first_period: FirstPeriod,
}

/// The length of the first period, t_1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPeriod {
    /// Whole months: 1 for monthly schedules, n for a bullet.
    Months(u32),
    /// A broken period of d days counts d/30 months.
    Days(i64),
}

impl CashFlows {
    /// The flows of a schedule with `upfront_fees` at signing and `period_fee` with every
    /// installment (GPS, service and other fees count, RULES.md §5).
    pub fn from_schedule(schedule: &Schedule, upfront_fees: Money, period_fee: Money) -> CashFlows {
        CashFlows {
            net_advance: schedule.total_principal() - upfront_fees,
            payments: schedule
                .installments
                .iter()
                .map(|i| i.total + period_fee)
                .collect(),
            first_period: first_period(schedule),
        }
    }
}

fn first_period(schedule: &Schedule) -> FirstPeriod {
    let Some(first) = schedule.installments.first() else {
        return FirstPeriod::Months(1);
    };
    if schedule.broken_first_period {
        return FirstPeriod::Days(first.days());
    }
    // Whole months from the start to the first due date: 1, or n for a bullet.
    let months = (1..=crate::terms::MAX_TERM_MONTHS)
        .find(|&m| kernel::date::add_months(first.start_date, m) >= first.due_date)
        .unwrap_or(1);
    FirstPeriod::Months(months)
}

/// The annualised rates of a set of cash flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Apr {
    /// The solved monthly rate, unrounded.
    pub monthly_rate: Decimal,
    /// 12·r as a percent, 4 places.
    pub simple_pct: Decimal,
    /// ((1+r)^12 − 1) as a percent, 4 places.
    pub compound_pct: Decimal,
}

impl Apr {
    /// 12·r as a percent, unrounded: what the caps round to 2 places.
    pub fn simple_pct_exact(&self) -> Decimal {
        self.monthly_rate * Decimal::from(1200)
    }
}

/// Solves the APR of `flows`.
pub fn solve(flows: &CashFlows) -> AppResult<Apr> {
    if !flows.net_advance.is_positive() {
        return Err(AppError::invalid_field(
            "upfrontFees",
            "fees_exceed_principal",
            "fees paid at signing must be less than the principal",
        ));
    }
    let r = monthly_rate(flows)?;
    let hundred = Decimal::ONE_HUNDRED;
    Ok(Apr {
        monthly_rate: r,
        simple_pct: pct(r * Decimal::from(12) * hundred),
        compound_pct: pct((pow(Decimal::ONE + r, 12) - Decimal::ONE) * hundred),
    })
}

fn pct(value: Decimal) -> Decimal {
    let mut v = round_half_up(value, PCT_PLACES);
    v.rescale(PCT_PLACES);
    v
}

/// Far past any legal rate: a monthly rate of 1000 % means the fees ate the loan.
const MAX_MONTHLY_RATE: Decimal = Decimal::TEN;
/// Newton stops when a step is below this.
const TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 24);

fn monthly_rate(flows: &CashFlows) -> AppResult<Decimal> {
    let (f0, _) = npv(flows, Decimal::ZERO);
    if f0 <= Decimal::ZERO {
        // Repaying no more than was received costs nothing (interest-free, no fees).
        return Ok(Decimal::ZERO);
    }
    let (mut lo, mut hi) = (Decimal::ZERO, Decimal::new(5, 2));
    while npv(flows, hi).0 > Decimal::ZERO {
        lo = hi;
        hi *= Decimal::TWO;
        if hi > MAX_MONTHLY_RATE {
            return Err(AppError::invalid_field(
                "upfrontFees",
                "apr_out_of_range",
                "the fees are so high against the principal that no annualised rate applies",
            ));
        }
    }
    let mut r = (lo + hi) / Decimal::TWO;
    for _ in 0..200 {
        let (f, df) = npv(flows, r);
        if f.is_zero() {
            break;
        }
        if f > Decimal::ZERO {
            lo = r;
        } else {
            hi = r;
        }
        let newton = if df.is_zero() { hi } else { r - f / df };
        // Newton converges fast near the root; bisection keeps it from leaving the bracket.
        let next = if newton > lo && newton < hi {
            newton
        } else {
            (lo + hi) / Decimal::TWO
        };
        let step = (next - r).abs();
        r = next;
        if step < TOLERANCE || hi - lo < TOLERANCE {
            break;
        }
    }
    Ok(r)
}

/// NPV at monthly rate r and its derivative in r. Powers of v = 1/(1+r) shrink, so long terms
/// at high trial rates underflow harmlessly instead of overflowing.
fn npv(flows: &CashFlows, r: Decimal) -> (Decimal, Decimal) {
    let one_plus = Decimal::ONE + r;
    let v = Decimal::ONE / one_plus;
    let (first_t, first_factor) = match flows.first_period {
        FirstPeriod::Days(days) => (
            Decimal::from(days) / Decimal::from(30),
            Decimal::ONE / pow(thirtieth_root(one_plus), days.max(0) as u32),
        ),
        FirstPeriod::Months(months) => (Decimal::from(months), pow(v, months)),
    };
    let mut value = -flows.net_advance.amount();
    let mut slope = Decimal::ZERO;
    let mut factor = first_factor;
    let mut t = first_t;
    for payment in &flows.payments {
        let c = payment.amount();
        value += c * factor;
        slope -= t * c * factor * v;
        factor *= v;
        t += Decimal::ONE;
    }
    (value, slope)
}

/// a^(1/30) by Newton on y^30 = a, for a near 1.
fn thirtieth_root(a: Decimal) -> Decimal {
    let thirty = Decimal::from(30);
    let mut y = Decimal::ONE + (a - Decimal::ONE) / thirty;
    for _ in 0..100 {
        let next = (Decimal::from(29) * y + a / pow(y, 29)) / thirty;
        let step = (next - y).abs();
        y = next;
        if step < TOLERANCE {
            break;
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_public_example_gives_12_80_and_13_58() {
        let flows = CashFlows {
            net_advance: Money::yuan(99_000),
            payments: vec![Money::from_fen(883_330); 12],
            first_period: FirstPeriod::Months(1),
        };
        let apr = solve(&flows).unwrap();
        assert_eq!(round_half_up(apr.simple_pct, 2), dec!(12.80));
        assert_eq!(round_half_up(apr.compound_pct, 2), dec!(13.58));
        assert_eq!(apr.simple_pct.scale(), 4);
    }

    #[test]
    fn interest_free_without_fees_is_zero() {
        let flows = CashFlows {
            net_advance: Money::yuan(1_200),
            payments: vec![Money::yuan(100); 12],
            first_period: FirstPeriod::Months(1),
        };
        assert_eq!(solve(&flows).unwrap().simple_pct.to_string(), "0.0000");
    }

    #[test]
    fn a_thirty_day_broken_period_equals_a_month() {
        let mut flows = CashFlows {
            net_advance: Money::yuan(99_000),
            payments: vec![Money::from_fen(883_330); 12],
            first_period: FirstPeriod::Months(1),
        };
        let whole = solve(&flows).unwrap();
        flows.first_period = FirstPeriod::Days(30);
        assert_eq!(solve(&flows).unwrap().simple_pct, whole.simple_pct);
    }
}

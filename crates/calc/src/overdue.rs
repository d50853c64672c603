//! Overdue installments (逾期): penalty interest (罚息) on overdue principal and compound
//! interest (复利) on overdue interest at the contract rate × a multiplier (RULES.md §3).
//!
//! The daily amounts are kept unrounded to 8 places (NUMERIC(_, 8) in the sub-ledger) and
//! rounded half-up to the fen once, when billed or paid; totals add the rounded per-installment
//! figures. Penalty and compound interest are memo amounts until received.

use kernel::error::FieldErrors;
use kernel::{AppResult, Money, Rate, round_half_up};
use rust_decimal::Decimal;
use time::Date;

use crate::classification::{ClassificationTable, RiskClass};
use crate::terms::DayBasis;

/// Places the unrounded daily accrual keeps.
pub const DAILY_PLACES: u32 = 8;
/// Default penalty multiplier (RULES.md §3).
pub const DEFAULT_MULTIPLIER: Decimal = Decimal::from_parts(15, 0, 0, false, 1);
const MIN_MULTIPLIER: Decimal = Decimal::ONE;
const MAX_MULTIPLIER: Decimal = Decimal::TWO;
/// The longest grace window accepted, in days.
pub const MAX_GRACE_DAYS: u32 = 90;

/// The product's overdue parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverdueParams {
    /// The contract rate (a flat loan's quoted annual flat rate).
    pub annual_rate: Rate,
    /// 1.0–2.0: overdue 1.3–1.5, misuse of funds 1.5–2.0; the higher applies, never the sum.
    pub multiplier: Decimal,
    /// 宽限期: an installment cured within this many days bears no penalty.
    pub grace_days: u32,
    pub day_basis: DayBasis,
    /// Round each day's amount to the fen instead of once when billed.
    pub round_daily: bool,
    /// Whether accrued unpaid penalty itself bears compound interest (default off).
    pub compound_on_penalty: bool,
}

impl OverdueParams {
    /// Parameters with the defaults of RULES.md §3, refusing a multiplier outside 1.0–2.0.
    pub fn new(annual_rate: Rate, multiplier: Decimal, grace_days: u32) -> AppResult<Self> {
        let mut errors = FieldErrors::new();
        check_multiplier(multiplier, &mut errors);
        check_grace_days(grace_days, &mut errors);
        errors.finish()?;
        Ok(OverdueParams {
            annual_rate,
            multiplier,
            grace_days,
            day_basis: DayBasis::Days360,
            round_daily: false,
            compound_on_penalty: false,
        })
    }

    /// Penalty rate = contract rate × multiplier, unrounded.
    pub fn penalty_rate(&self) -> Decimal {
        self.annual_rate.value() * self.multiplier
    }

    /// One day's unrounded amount on `base`: round8(base × penalty rate / basis), or rounded to
    /// the fen when the product rounds daily.
    pub fn daily_amount(&self, base: Decimal) -> Decimal {
        let exact = base * self.penalty_rate() / self.day_basis.as_decimal();
        let places = if self.round_daily { 2 } else { DAILY_PLACES };
        round_half_up(exact, places)
    }
}

/// Adds `out_of_range` on `penaltyMultiplier` unless it is within 1.0–2.0.
pub fn check_multiplier(multiplier: Decimal, errors: &mut FieldErrors) {
    if multiplier < MIN_MULTIPLIER || multiplier > MAX_MULTIPLIER {
        errors.add(
            "penaltyMultiplier",
            "out_of_range",
            "penaltyMultiplier must be between 1.0 and 2.0 (1.3–1.5 overdue, 1.5–2.0 misuse)",
        );
    }
}

/// Adds `out_of_range` on `graceDays` above the accepted window.
pub fn check_grace_days(grace_days: u32, errors: &mut FieldErrors) {
    if grace_days > MAX_GRACE_DAYS {
        errors.add(
            "graceDays",
            "out_of_range",
            format!("graceDays must be between 0 and {MAX_GRACE_DAYS}"),
        );
    }
}

/// What is still unpaid on one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unpaid {
    pub period: u32,
    pub due_date: Date,
    pub principal: Money,
    pub interest: Money,
    pub fees: Money,
}

/// Penalty state of one overdue installment on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverdueLine {
    pub period: u32,
    pub due_date: Date,
    /// as-of − due date.
    pub overdue_days: i64,
    pub principal: Money,
    pub interest: Money,
    pub fees: Money,
    /// The 8-place accruals, as the sub-ledger keeps them.
    pub penalty_accrued: Decimal,
    pub compound_accrued: Decimal,
    /// The same, rounded half-up to the fen: what would be billed today.
    pub penalty: Money,
    pub compound: Money,
}

impl OverdueLine {
    /// What curing this installment costs today.
    pub fn amount_to_cure(&self) -> Money {
        self.principal + self.interest + self.fees + self.penalty + self.compound
    }
}

/// The overdue picture of a loan on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueAssessment {
    pub lines: Vec<OverdueLine>,
    pub total_penalty: Money,
    pub total_compound: Money,
    /// as-of − the oldest unpaid due date; 0 when nothing is past due.
    pub days_past_due: i64,
    pub amount_to_cure: Money,
}

impl OverdueAssessment {
    pub fn risk_class(&self, table: &ClassificationTable) -> RiskClass {
        table.floor(self.days_past_due)
    }
}

/// Penalty and compound interest of every installment past due on `as_of`, assuming its unpaid
/// amounts have stood unchanged since its due date (the calculator's case; the daily close
/// steps day by day with [`accrue_day`] as payments move the bases).
pub fn assess(unpaid: &[Unpaid], as_of: Date, params: &OverdueParams) -> OverdueAssessment {
    let lines: Vec<OverdueLine> = unpaid
        .iter()
        .filter(|u| u.due_date < as_of && !(u.principal + u.interest + u.fees).is_zero())
        .map(|u| line(u, as_of, params))
        .collect();
    let days_past_due = lines.iter().map(|l| l.overdue_days).max().unwrap_or(0);
    OverdueAssessment {
        total_penalty: lines.iter().map(|l| l.penalty).sum(),
        total_compound: lines.iter().map(|l| l.compound).sum(),
        amount_to_cure: lines.iter().map(OverdueLine::amount_to_cure).sum(),
        days_past_due,
        lines,
    }
}

fn line(u: &Unpaid, as_of: Date, params: &OverdueParams) -> OverdueLine {
    let overdue_days = kernel::date::days_between(u.due_date, as_of);
    // Within grace nothing is charged; past it, penalty runs from the due date itself.
    let charged_days = if overdue_days > i64::from(params.grace_days) {
        overdue_days
    } else {
        0
    };
    let mut acc = Accrued::default();
    if params.compound_on_penalty {
        for _ in 0..charged_days {
            accrue_day(&mut acc, u.principal, u.interest, params);
        }
    } else {
        let days = Decimal::from(charged_days);
        acc.penalty = params.daily_amount(u.principal.amount()) * days;
        acc.compound = params.daily_amount(u.interest.amount()) * days;
    }
    OverdueLine {
        period: u.period,
        due_date: u.due_date,
        overdue_days,
        principal: u.principal,
        interest: u.interest,
        fees: u.fees,
        penalty_accrued: acc.penalty,
        compound_accrued: acc.compound,
        penalty: Money::round(acc.penalty),
        compound: Money::round(acc.compound),
    }
}

/// The unrounded penalty and compound interest accrued so far on one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accrued {
    pub penalty: Decimal,
    pub compound: Decimal,
}

/// One day's penalty and compound interest on an installment's current overdue principal and
/// interest; with `compound_on_penalty`, yesterday's accrued penalty joins the compound base.
pub fn accrue_day(acc: &mut Accrued, principal: Money, interest: Money, params: &OverdueParams) {
    let compound_base = if params.compound_on_penalty {
        interest.amount() + acc.penalty
    } else {
        interest.amount()
    };
    acc.compound += params.daily_amount(compound_base);
    acc.penalty += params.daily_amount(principal.amount());
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn params(multiplier: Decimal, grace: u32) -> OverdueParams {
        OverdueParams::new(Rate::annual(dec!(0.12)).unwrap(), multiplier, grace).unwrap()
    }

    fn unpaid() -> Unpaid {
        Unpaid {
            period: 1,
            due_date: date!(2026 - 02 - 28),
            principal: Money::yuan(8_000),
            interest: Money::yuan(1_000),
            fees: Money::ZERO,
        }
    }

    #[test]
    fn penalty_and_compound_accrue_per_day() {
        // 8000 × 0.18 / 360 = 4.00 a day; 1000 × 0.18 / 360 = 0.50 a day.
        let a = assess(&[unpaid()], date!(2026 - 03 - 10), &params(dec!(1.5), 0));
        assert_eq!(a.days_past_due, 10);
        assert_eq!(a.total_penalty, Money::yuan(40));
        assert_eq!(a.total_compound, Money::yuan(5));
        assert_eq!(a.amount_to_cure, Money::yuan(9_045));
    }

    #[test]
    fn grace_waives_penalty_only_while_it_lasts() {
        let within = assess(&[unpaid()], date!(2026 - 03 - 03), &params(dec!(1.5), 3));
        assert_eq!(within.total_penalty, Money::ZERO);
        assert_eq!(within.days_past_due, 3);
        let after = assess(&[unpaid()], date!(2026 - 03 - 04), &params(dec!(1.5), 3));
        assert_eq!(after.total_penalty, Money::yuan(16));
    }

    #[test]
    fn nothing_is_overdue_on_the_due_date() {
        let a = assess(&[unpaid()], date!(2026 - 02 - 28), &params(dec!(1.5), 0));
        assert!(a.lines.is_empty());
        assert_eq!(a.days_past_due, 0);
    }

    #[test]
    fn multiplier_outside_one_to_two_is_refused() {
        let rate = Rate::annual(dec!(0.12)).unwrap();
        assert!(OverdueParams::new(rate, dec!(3), 0).is_err());
        assert!(OverdueParams::new(rate, dec!(0.9), 0).is_err());
        assert!(OverdueParams::new(rate, dec!(2.0), 0).is_ok());
    }

    #[test]
    fn compounding_penalty_is_a_parameter() {
        let mut p = params(dec!(1.5), 0);
        p.compound_on_penalty = true;
        let a = assess(&[unpaid()], date!(2026 - 03 - 02), &p);
        // Day 2's compound base is 1000 + 4.00 of day 1's penalty.
        assert_eq!(a.lines[0].compound_accrued, dec!(0.5) + dec!(0.502));
    }
}

//! Repayment schedules (还款计划) for the six methods of RULES.md §2.
//!
//! A schedule is drawn in two steps: the calendar ([`dates`]) says when each period starts and
//! falls due, then the method's module says how much principal and interest each period
//! carries. Keeping them apart lets a prepayment or an extension re-amortise a balance onto the
//! loan's existing due dates.

pub mod annuity;
pub mod balloon;
pub mod bullet;
pub mod dates;
pub mod equal_principal;
pub mod flat;
pub mod interest_only;

use kernel::{AppError, AppResult, Money};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::terms::{LoanTerms, Method};
pub use dates::Period;

/// One period's share of principal and interest, before balances are attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amounts {
    pub principal: Money,
    pub interest: Money,
}

/// One installment (期供) of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Installment {
    /// 1-based period number (期次).
    pub period: u32,
    /// The day interest for this period starts (inclusive).
    pub start_date: Date,
    /// The due date (应还日); interest runs up to it (exclusive).
    pub due_date: Date,
    pub principal: Money,
    pub interest: Money,
    pub total: Money,
    /// Principal left after this installment is paid (剩余本金).
    pub remaining_principal: Money,
}

impl Installment {
    /// Days in the period, first day in, last day out.
    pub fn days(&self) -> i64 {
        kernel::date::days_between(self.start_date, self.due_date)
    }
}

/// A loan's installments in period order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub installments: Vec<Installment>,
    /// Whether period 1 is a broken period whose interest counts days (RULES.md §2.7).
    pub broken_first_period: bool,
}

impl Schedule {
    pub fn total_principal(&self) -> Money {
        self.installments.iter().map(|i| i.principal).sum()
    }

    pub fn total_interest(&self) -> Money {
        self.installments.iter().map(|i| i.interest).sum()
    }

    pub fn total_payment(&self) -> Money {
        self.installments.iter().map(|i| i.total).sum()
    }

    pub fn maturity_date(&self) -> Option<Date> {
        self.installments.last().map(|i| i.due_date)
    }

    /// The principal left after `paid` installments (the whole principal for 0).
    pub fn balance_after(&self, paid: usize) -> Money {
        match paid {
            0 => self.total_principal(),
            k => self
                .installments
                .get(k - 1)
                .map_or(Money::ZERO, |i| i.remaining_principal),
        }
    }

    /// How many installments fall due on or before `date`.
    pub fn due_on_or_before(&self, date: Date) -> usize {
        self.installments.partition_point(|i| i.due_date <= date)
    }
}

/// Draws the schedule of `terms`, refusing terms that break a rule and principals too small
/// to amortise (RULES.md §1).
pub fn generate(terms: &LoanTerms) -> AppResult<Schedule> {
    terms.validate()?;
    let periods = dates::periods(terms);
    let amounts = amounts_for(terms, &periods);
    let broken = periods.first().is_some_and(|p| p.broken);
    let installments = assemble(terms.principal, &periods, &amounts, terms.method)?;
    Ok(Schedule {
        installments,
        broken_first_period: broken,
    })
}

fn amounts_for(terms: &LoanTerms, periods: &[Period]) -> Vec<Amounts> {
    let p = terms.principal;
    let r = terms.annual_rate;
    let n = terms.term_months;
    let first = first_period_interest(terms, periods);
    match terms.method {
        Method::EqualInstallment => annuity::amounts(p, r, n, annuity::installment(p, r, n), first),
        Method::Balloon => {
            let ratio = terms.balloon_ratio.unwrap_or_default();
            let pmt = balloon::installment(p, r, n, balloon::balloon_amount(p, ratio));
            annuity::amounts(p, r, n, pmt, first)
        }
        Method::EqualPrincipal => {
            equal_principal::amounts(p, r, n, equal_principal::per_period(p, n), first)
        }
        Method::InterestOnly => interest_only::amounts(p, r, n, first),
        Method::Flat => flat::amounts(p, r, n, first),
        Method::Bullet => vec![bullet::amounts(terms, &periods[periods.len() - 1])],
    }
}

/// A broken first period earns round(P·i·d/basis) instead of a month's interest.
fn first_period_interest(terms: &LoanTerms, periods: &[Period]) -> Option<Money> {
    let first = periods.first().filter(|p| p.broken)?;
    Some(day_interest(
        terms.principal,
        terms.annual_rate,
        terms.day_basis,
        first.days(),
    ))
}

pub use crate::interest::{day_interest, month_interest};

/// Attaches dates and balances, refusing a principal too small to amortise: a period before
/// the last whose principal is under 0.01, or a balance that goes negative (RULES.md §1).
pub fn assemble(
    principal: Money,
    periods: &[Period],
    amounts: &[Amounts],
    method: Method,
) -> AppResult<Vec<Installment>> {
    let mut balance = principal;
    let mut out = Vec::with_capacity(amounts.len());
    let last = amounts.len().saturating_sub(1);
    for (k, (period, a)) in periods.iter().zip(amounts).enumerate() {
        let must_amortise = k < last && method.amortises_every_period();
        if a.principal.is_negative() || (must_amortise && !a.principal.is_positive()) {
            return Err(principal_too_small());
        }
        balance -= a.principal;
        if balance.is_negative() {
            return Err(principal_too_small());
        }
        out.push(Installment {
            period: period.number,
            start_date: period.start,
            due_date: period.due,
            principal: a.principal,
            interest: a.interest,
            total: a.principal + a.interest,
            remaining_principal: balance,
        });
    }
    Ok(out)
}

fn principal_too_small() -> AppError {
    AppError::invalid_field(
        "principal",
        "principal_too_small",
        "the principal is too small to repay at least 0.01 each period over this term; \
         raise the principal or shorten the term",
    )
}

impl Method {
    /// Whether every period before the last must repay some principal.
    pub fn amortises_every_period(self) -> bool {
        !matches!(self, Method::InterestOnly | Method::Bullet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::{BulletInterest, DayBasis};
    use kernel::Rate;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn terms(method: Method, n: u32) -> LoanTerms {
        LoanTerms::new(
            method,
            Money::yuan(12_000),
            Rate::annual(dec!(0.12)).unwrap(),
            n,
            date!(2026 - 01 - 31),
        )
    }

    fn split(s: &Schedule, k: usize) -> (Money, Money) {
        (s.installments[k].principal, s.installments[k].interest)
    }

    #[test]
    fn equal_installment_pays_pmt_and_the_last_absorbs_the_residue() {
        // PMT = round(12000 × 0.01 × 1.01^12 / (1.01^12 − 1)) = 1066.19.
        let s = generate(&terms(Method::EqualInstallment, 12)).unwrap();
        assert_eq!(split(&s, 0), (Money::from_fen(94_619), Money::yuan(120)));
        assert_eq!(
            split(&s, 1),
            (Money::from_fen(95_565), Money::from_fen(11_054))
        );
        assert!(
            s.installments[..11]
                .iter()
                .all(|i| i.total == Money::from_fen(106_619))
        );
        assert_eq!(
            split(&s, 11),
            (Money::from_fen(105_558), Money::from_fen(1_056))
        );
        assert_eq!(s.installments[1].due_date, date!(2026 - 03 - 31));
    }

    #[test]
    fn equal_principal_interest_falls_with_the_balance() {
        let s = generate(&terms(Method::EqualPrincipal, 12)).unwrap();
        assert_eq!(split(&s, 0), (Money::yuan(1_000), Money::yuan(120)));
        assert_eq!(split(&s, 1), (Money::yuan(1_000), Money::yuan(110)));
        assert_eq!(split(&s, 11), (Money::yuan(1_000), Money::yuan(10)));
    }

    #[test]
    fn interest_only_repays_principal_at_maturity() {
        let s = generate(&terms(Method::InterestOnly, 3)).unwrap();
        assert_eq!(split(&s, 0), (Money::ZERO, Money::yuan(120)));
        assert_eq!(split(&s, 2), (Money::yuan(12_000), Money::yuan(120)));
    }

    #[test]
    fn flat_charges_the_original_principal_every_period() {
        let s = generate(&terms(Method::Flat, 3)).unwrap();
        for k in 0..3 {
            assert_eq!(split(&s, k), (Money::yuan(4_000), Money::yuan(120)));
        }
    }

    #[test]
    fn bullet_by_months_or_by_days() {
        let mut t = terms(Method::Bullet, 6);
        let s = generate(&t).unwrap();
        assert_eq!(split(&s, 0), (Money::yuan(12_000), Money::yuan(720)));
        assert_eq!(s.installments[0].due_date, date!(2026 - 07 - 31));
        t.bullet_interest = BulletInterest::Days;
        // 181 days: 12000 × 0.12 × 181 / 360 = 724.00.
        assert_eq!(
            generate(&t).unwrap().installments[0].interest,
            Money::yuan(724)
        );
        t.day_basis = DayBasis::Days365;
        assert_eq!(
            generate(&t).unwrap().installments[0].interest,
            Money::from_fen(71_408)
        );
    }

    #[test]
    fn balloon_leaves_the_balloon_for_the_last_period() {
        let mut t = terms(Method::Balloon, 12);
        t.balloon_ratio = Some(dec!(0.5));
        let s = generate(&t).unwrap();
        assert_eq!(split(&s, 0), (Money::from_fen(47_309), Money::yuan(120)));
        assert_eq!(
            split(&s, 11),
            (Money::from_fen(652_784), Money::from_fen(6_528))
        );
    }

    #[test]
    fn a_broken_first_period_counts_days() {
        let mut t = terms(Method::EqualInstallment, 1);
        t.start_date = date!(2026 - 01 - 05);
        t.repayment_day = Some(20);
        // 15 days: 12000 × 0.12 × 15 / 360 = 60.00.
        let s = generate(&t).unwrap();
        assert!(s.broken_first_period);
        assert_eq!(split(&s, 0), (Money::yuan(12_000), Money::yuan(60)));
        assert_eq!(s.installments[0].due_date, date!(2026 - 01 - 20));
    }

    #[test]
    fn zero_rate_divides_the_principal() {
        let mut t = terms(Method::EqualInstallment, 7);
        t.annual_rate = Rate::ZERO;
        let s = generate(&t).unwrap();
        // round(12000 / 7) = 1714.29; the last takes 1714.26.
        assert_eq!(split(&s, 0), (Money::from_fen(171_429), Money::ZERO));
        assert_eq!(split(&s, 6), (Money::from_fen(171_426), Money::ZERO));
    }
}

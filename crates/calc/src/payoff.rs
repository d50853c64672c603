//! Full payoff quote on a date (提前结清), RULES.md §6: (a) everything due and unpaid with its
//! penalty and compound interest, (b) the principal not yet due, (c) interest on (b) from the
//! interest-paid-through date to the payoff date, rounded once, (d) the prepayment fee.

use kernel::error::FieldErrors;
use kernel::{AppResult, Money};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::overdue::{self, OverdueParams, Unpaid};
use crate::prepayment_fee::PrepaymentFee;
use crate::schedule::{Schedule, day_interest, month_interest};
use crate::terms::{LoanTerms, Method};

/// What a flat loan's interest (c) is computed on; other methods always use `Remaining`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayoffBasis {
    /// (b) × i/basis × days.
    #[default]
    Remaining,
    /// Original principal × i/basis × days.
    Original,
    /// The next period's full interest, round(P·r).
    NextPeriod,
}

/// The product's payoff parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoffOptions {
    pub fee: PrepaymentFee,
    pub basis: PayoffBasis,
    /// For the penalty of installments already past due.
    pub overdue: OverdueParams,
}

/// A payoff quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoffQuote {
    /// (a) principal and interest of installments due on or before the date and unpaid, plus
    /// the penalty and compound interest of those past due.
    pub due_amount: Money,
    /// The penalty and compound interest inside `due_amount`.
    pub penalty: Money,
    pub compound: Money,
    /// (b) principal not yet due.
    pub remaining_principal: Money,
    /// Start of (c): the due date of the last installment due on or before the payoff date
    /// (its interest is paid or inside (a)), or the start.
    pub interest_from: Date,
    pub accrued_days: i64,
    /// (c)
    pub accrued_interest: Money,
    /// (d), on the principal prepaid (b).
    pub fee: Money,
    pub payoff_amount: Money,
}

/// The payoff quote on `date` of a loan whose first `installments_paid` installments are paid
/// in full and the rest not at all.
pub fn quote(
    terms: &LoanTerms,
    schedule: &Schedule,
    installments_paid: u32,
    date: Date,
    options: &PayoffOptions,
) -> AppResult<PayoffQuote> {
    check(terms, schedule, installments_paid, date, "payoffDate")?;
    if options.basis != PayoffBasis::Remaining && terms.method != Method::Flat {
        return Err(kernel::AppError::invalid_field(
            "payoffBasis",
            "not_applicable",
            "payoffBasis applies to flat loans only; leave it out",
        ));
    }
    let paid = installments_paid as usize;
    let due_count = schedule.due_on_or_before(date);
    let unpaid = unpaid_installments(schedule, paid, due_count);
    let overdue = overdue::assess(&unpaid, date, &options.overdue);
    let scheduled_due: Money = unpaid.iter().map(|u| u.principal + u.interest).sum();
    let due_amount = scheduled_due + overdue.total_penalty + overdue.total_compound;

    let remaining_principal = schedule.balance_after(due_count);
    let interest_from = match due_count {
        0 => terms.start_date,
        k => schedule.installments[k - 1].due_date,
    };
    let accrued_days = kernel::date::days_between(interest_from, date);
    let accrued_interest =
        accrued_interest(terms, options.basis, remaining_principal, accrued_days);
    let fee = options.fee.fee(
        remaining_principal,
        terms.annual_rate,
        terms.start_date,
        date,
    );
    Ok(PayoffQuote {
        due_amount,
        penalty: overdue.total_penalty,
        compound: overdue.total_compound,
        remaining_principal,
        interest_from,
        accrued_days,
        accrued_interest,
        fee,
        payoff_amount: due_amount + remaining_principal + accrued_interest + fee,
    })
}

/// (c): nothing on a due date or with nothing left to repay; else by the basis.
fn accrued_interest(terms: &LoanTerms, basis: PayoffBasis, remaining: Money, days: i64) -> Money {
    if days == 0 || remaining.is_zero() {
        return Money::ZERO;
    }
    let (rate, day_basis) = (terms.annual_rate, terms.day_basis);
    match basis {
        PayoffBasis::Remaining => day_interest(remaining, rate, day_basis, days),
        PayoffBasis::Original => day_interest(terms.principal, rate, day_basis, days),
        PayoffBasis::NextPeriod => month_interest(terms.principal, rate),
    }
}

/// Installments `paid..due_count` as wholly unpaid.
pub fn unpaid_installments(schedule: &Schedule, paid: usize, due_count: usize) -> Vec<Unpaid> {
    schedule.installments[paid.min(due_count)..due_count]
        .iter()
        .map(|i| Unpaid {
            period: i.period,
            due_date: i.due_date,
            principal: i.principal,
            interest: i.interest,
            fees: Money::ZERO,
        })
        .collect()
}

/// Refuses a date before the start, more installments paid than the term, or installments
/// counted as paid that are not due by the date (paid ahead is a credit balance, not a
/// prepayment: RULES.md §4). `date_field` names the date in the caller's request.
pub fn check(
    terms: &LoanTerms,
    schedule: &Schedule,
    installments_paid: u32,
    date: Date,
    date_field: &str,
) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    if date < terms.start_date {
        errors.add(
            date_field,
            "before_start",
            format!("{date_field} must be on or after startDate"),
        );
    }
    let n = schedule.installments.len();
    let due = schedule.due_on_or_before(date);
    if installments_paid as usize > n {
        errors.add(
            "installmentsPaid",
            "out_of_range",
            format!("installmentsPaid must be between 0 and the {n} installments of the term"),
        );
    } else if installments_paid as usize > due {
        errors.add(
            "installmentsPaid",
            "paid_ahead",
            format!(
                "only {due} installments are due by {date_field}; \
                 money paid ahead is a credit balance, not a paid installment"
            ),
        );
    }
    errors.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::generate;
    use kernel::Rate;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn options() -> PayoffOptions {
        PayoffOptions {
            fee: PrepaymentFee::default(),
            basis: PayoffBasis::Remaining,
            overdue: OverdueParams::new(Rate::annual(dec!(0.12)).unwrap(), dec!(1.5), 0).unwrap(),
        }
    }

    fn terms() -> LoanTerms {
        LoanTerms::new(
            Method::EqualInstallment,
            Money::yuan(100_000),
            Rate::annual(dec!(0.12)).unwrap(),
            12,
            date!(2026 - 01 - 15),
        )
    }

    #[test]
    fn on_a_paid_due_date_payoff_is_the_balance() {
        let t = terms();
        let s = generate(&t).unwrap();
        let q = quote(&t, &s, 3, s.installments[2].due_date, &options()).unwrap();
        assert_eq!(q.payoff_amount, s.installments[2].remaining_principal);
        assert_eq!(q.accrued_days, 0);
    }

    #[test]
    fn between_due_dates_interest_runs_by_days() {
        let t = terms();
        let s = generate(&t).unwrap();
        // 10 days after 2026-04-15 on the balance after 3 installments.
        let q = quote(&t, &s, 3, date!(2026 - 04 - 25), &options()).unwrap();
        let bal = s.installments[2].remaining_principal;
        assert_eq!(q.accrued_days, 10);
        assert_eq!(
            q.accrued_interest,
            Money::round(bal.amount() * dec!(0.12) / dec!(360) * dec!(10))
        );
        assert_eq!(q.payoff_amount, bal + q.accrued_interest);
    }

    #[test]
    fn paying_ahead_is_refused() {
        let t = terms();
        let s = generate(&t).unwrap();
        assert!(quote(&t, &s, 4, date!(2026 - 04 - 25), &options()).is_err());
    }
}

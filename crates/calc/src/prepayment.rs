//! Partial prepayment (部分提前还款), RULES.md §6: on a due date, after that installment is paid,
//! an extra amount reduces principal and the rest of the schedule re-amortises on the loan's
//! existing due dates — keeping the term (lower installments) or keeping the installment
//! (shorter term; equal principal keeps its per-period principal). Flat and bullet loans allow
//! full payoff only.

use kernel::{AppError, AppResult, Money};

use crate::prepayment_fee::PrepaymentFee;
use crate::schedule::{
    self, Amounts, Installment, Period, Schedule, annuity, balloon, equal_principal, interest_only,
    month_interest,
};
use crate::terms::{LoanTerms, Method};

/// What the borrower wants to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reamortisation {
    /// Same number of periods, smaller installments (缩减月供).
    KeepTerm,
    /// Same installment, fewer periods (缩短期限).
    KeepInstallment,
}

/// The outcome of a partial prepayment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialPrepayment {
    pub fee: Money,
    /// Balance after the prepayment.
    pub new_balance: Money,
    /// The new installments after the prepayment date, numbered on from the paid ones.
    pub installments: Vec<Installment>,
}

/// Prepays `amount` on the due date of installment `after_period` (already paid).
pub fn partial(
    terms: &LoanTerms,
    schedule: &Schedule,
    after_period: u32,
    amount: Money,
    mode: Reamortisation,
    fee_rule: &PrepaymentFee,
) -> AppResult<PartialPrepayment> {
    if matches!(terms.method, Method::Flat | Method::Bullet) {
        return Err(AppError::invalid_field(
            "method",
            "partial_prepayment_not_allowed",
            "flat and bullet loans can only be paid off in full",
        ));
    }
    let n = schedule.installments.len();
    let k = after_period as usize;
    if k == 0 || k >= n {
        return Err(AppError::invalid_field(
            "afterPeriod",
            "out_of_range",
            format!(
                "a partial prepayment is made on the due date of installments 1 to {}",
                n - 1
            ),
        ));
    }
    let balance = schedule.balance_after(k);
    if !amount.is_positive() || amount >= balance {
        return Err(AppError::invalid_field(
            "amount",
            "out_of_range",
            format!(
                "the prepaid amount must be above 0 and below the balance {balance}; pay off in full instead"
            ),
        ));
    }
    let new_balance = balance - amount;
    let remaining: Vec<Period> = schedule.installments[k..]
        .iter()
        .map(|i| Period {
            number: i.period,
            start: i.start_date,
            due: i.due_date,
            broken: false,
        })
        .collect();
    // "Keep the installment" keeps the one now in force, which an earlier prepayment may
    // have changed from the contract's.
    let current = &schedule.installments[k];
    let amounts = reamortise(terms, current, new_balance, remaining.len() as u32, mode)?;
    let installments = schedule::assemble(new_balance, &remaining, &amounts, terms.method)?;
    let date = schedule.installments[k - 1].due_date;
    Ok(PartialPrepayment {
        fee: fee_rule.fee(amount, terms.annual_rate, terms.start_date, date),
        new_balance,
        installments,
    })
}

fn reamortise(
    terms: &LoanTerms,
    current: &Installment,
    balance: Money,
    periods_left: u32,
    mode: Reamortisation,
) -> AppResult<Vec<Amounts>> {
    let r = terms.annual_rate;
    let p = terms.principal;
    Ok(match (terms.method, mode) {
        (Method::EqualInstallment, Reamortisation::KeepTerm) => {
            let pmt = annuity::installment(balance, r, periods_left);
            annuity::amounts(balance, r, periods_left, pmt, None)
        }
        (Method::EqualInstallment, Reamortisation::KeepInstallment) => {
            let pmt = current.total;
            let periods = periods_at_installment(balance, r, pmt, periods_left);
            annuity::amounts(balance, r, periods, pmt, None)
        }
        (Method::EqualPrincipal, Reamortisation::KeepTerm) => {
            let per = equal_principal::per_period(balance, periods_left);
            equal_principal::amounts(balance, r, periods_left, per, None)
        }
        (Method::EqualPrincipal, Reamortisation::KeepInstallment) => {
            let per = current.principal;
            let periods = ceil_div(balance, per).min(periods_left);
            equal_principal::amounts(balance, r, periods, per, None)
        }
        (Method::InterestOnly, Reamortisation::KeepTerm) => {
            interest_only::amounts(balance, r, periods_left, None)
        }
        (Method::Balloon, Reamortisation::KeepTerm) => {
            let b = balloon::balloon_amount(p, terms.balloon_ratio.unwrap_or_default());
            if balance <= b {
                return Err(AppError::invalid_field(
                    "amount",
                    "exceeds_amortising_balance",
                    format!(
                        "a balloon loan's balance must stay above its balloon {b}; prepay less or pay off in full"
                    ),
                ));
            }
            let pmt = balloon::installment(balance, r, periods_left, b);
            annuity::amounts(balance, r, periods_left, pmt, None)
        }
        _ => {
            return Err(AppError::invalid_field(
                "mode",
                "not_supported",
                "interest-only and balloon loans re-amortise keeping the term only",
            ));
        }
    })
}

/// The periods the installment `pmt` needs to repay `balance`: the first period whose
/// balance plus interest fits in one installment is the last.
fn periods_at_installment(balance: Money, r: kernel::Rate, pmt: Money, cap: u32) -> u32 {
    let mut bal = balance;
    for k in 1..=cap {
        let interest = month_interest(bal, r);
        if bal + interest <= pmt {
            return k;
        }
        bal -= pmt - interest;
    }
    cap
}

fn ceil_div(balance: Money, per: Money) -> u32 {
    let q = balance.amount() / per.amount();
    let whole = q.trunc();
    let n = if q > whole {
        whole + rust_decimal::Decimal::ONE
    } else {
        whole
    };
    u32::try_from(n.mantissa() / 10i128.pow(n.scale())).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel::Rate;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn terms(method: Method) -> LoanTerms {
        LoanTerms::new(
            method,
            Money::yuan(120_000),
            Rate::annual(dec!(0.12)).unwrap(),
            12,
            date!(2026 - 01 - 31),
        )
    }

    #[test]
    fn keeping_the_term_lowers_the_installment() {
        let t = terms(Method::EqualInstallment);
        let s = schedule::generate(&t).unwrap();
        let p = partial(
            &t,
            &s,
            3,
            Money::yuan(30_000),
            Reamortisation::KeepTerm,
            &PrepaymentFee::default(),
        )
        .unwrap();
        assert_eq!(p.installments.len(), 9);
        assert!(p.installments[0].total < s.installments[3].total);
        assert_eq!(p.installments[0].due_date, s.installments[3].due_date);
        assert_eq!(
            p.installments.iter().map(|i| i.principal).sum::<Money>(),
            p.new_balance
        );
        assert_eq!(
            p.installments.last().unwrap().remaining_principal,
            Money::ZERO
        );
    }

    #[test]
    fn keeping_the_installment_shortens_the_term() {
        let t = terms(Method::EqualInstallment);
        let s = schedule::generate(&t).unwrap();
        let p = partial(
            &t,
            &s,
            3,
            Money::yuan(30_000),
            Reamortisation::KeepInstallment,
            &PrepaymentFee::default(),
        )
        .unwrap();
        assert!(p.installments.len() < 9);
        assert_eq!(p.installments[0].total, s.installments[3].total);
        assert_eq!(
            p.installments.iter().map(|i| i.principal).sum::<Money>(),
            p.new_balance
        );
    }

    #[test]
    fn a_second_prepayment_keeps_the_installment_the_first_one_left() {
        let t = terms(Method::EqualInstallment);
        let s = schedule::generate(&t).unwrap();
        let first = partial(
            &t,
            &s,
            3,
            Money::yuan(30_000),
            Reamortisation::KeepTerm,
            &PrepaymentFee::default(),
        )
        .unwrap();
        let lowered = first.installments[0].total;
        let mut installments = s.installments[..3].to_vec();
        installments.extend(first.installments);
        let now = Schedule {
            installments,
            broken_first_period: false,
        };
        let second = partial(
            &t,
            &now,
            5,
            Money::yuan(10_000),
            Reamortisation::KeepInstallment,
            &PrepaymentFee::default(),
        )
        .unwrap();
        assert_eq!(second.installments[0].total, lowered);
        assert!(second.installments.len() < 7);
    }

    #[test]
    fn equal_principal_keeps_its_per_period_principal() {
        let t = terms(Method::EqualPrincipal);
        let s = schedule::generate(&t).unwrap();
        let p = partial(
            &t,
            &s,
            2,
            Money::yuan(25_000),
            Reamortisation::KeepInstallment,
            &PrepaymentFee::default(),
        )
        .unwrap();
        // 100000 − 25000 = 75000 at 10000 a period: 7.5 → 8 periods.
        assert_eq!(p.installments.len(), 8);
        assert_eq!(p.installments[0].principal, Money::yuan(10_000));
        assert_eq!(p.installments[7].principal, Money::yuan(5_000));
    }

    #[test]
    fn flat_loans_refuse_partial_prepayment() {
        let t = terms(Method::Flat);
        let s = schedule::generate(&t).unwrap();
        let e = partial(
            &t,
            &s,
            2,
            Money::yuan(1),
            Reamortisation::KeepTerm,
            &PrepaymentFee::default(),
        )
        .unwrap_err();
        assert_eq!(e.field_errors[0].code, "partial_prepayment_not_allowed");
    }
}

//! Partial prepayment (部分提前还款) of a loan in service, RULES.md §6: on a due date, once
//! everything due is paid, extra principal is repaid and the rest of the schedule
//! re-amortises on the loan's own due dates. `calc::prepayment` is the arithmetic; this
//! module plans it on the sub-ledger's installments and applies it. Pure.

use calc::allocation::AllocationRule;
use calc::calculator::InstallmentRow;
use calc::overdue::OverdueParams;
use calc::prepayment::partial;
use calc::prepayment_fee::PrepaymentFee;
use calc::schedule::{Installment, Schedule};
use calc::terms::LoanTerms;
use kernel::{AppError, AppResult, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::money_events::Reamortisation;
use super::servicing::{InstallmentState, PaymentOutcome, apply_payment};

/// What a partial prepayment on a date takes and what it leaves (提前还款试算).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrepaymentPlan {
    pub date: Date,
    /// The installment due on the date; the new schedule starts after it.
    pub after_period: u32,
    /// Everything due on or before the date and unpaid, that day's installment included.
    pub due_amount: Money,
    pub prepaid_principal: Money,
    /// The product's prepayment fee on the principal prepaid.
    pub fee: Money,
    /// due + prepaid principal + fee: what the borrower pays (any credit balance counts).
    pub amount: Money,
    pub reamortisation: Reamortisation,
    /// Principal outstanding once the day's installment is paid, before and after.
    pub balance_before: Money,
    pub balance_after: Money,
    /// The next installment (principal + interest) before and after.
    pub installment_before: Money,
    pub installment_after: Money,
    pub periods_before: u32,
    pub periods_after: u32,
    pub maturity_before: Date,
    pub maturity_after: Date,
    /// The installments after the date, re-amortised.
    pub schedule: Vec<InstallmentRow>,
}

/// The part of a plan a confirmed repayment keeps in its allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrepaymentApplied {
    pub after_period: u32,
    pub prepaid_principal: Money,
    pub fee: Money,
    pub reamortisation: Reamortisation,
    pub balance_after: Money,
    pub installment_after: Money,
    pub periods_after: u32,
    pub maturity_after: Date,
}

/// Plans prepaying `principal` on `date`. `installments` are the loan's, accrued to the date
/// (see [`InstallmentState::accrue_to`]); `terms` the loan's own (method, rate, principal,
/// balloon) for the arithmetic.
pub fn plan(
    installments: &[InstallmentState],
    terms: &LoanTerms,
    date: Date,
    principal: Money,
    mode: Reamortisation,
    fee_rule: &PrepaymentFee,
) -> AppResult<PrepaymentPlan> {
    let Some(k) = installments.iter().position(|i| i.due_date == date) else {
        let next = installments
            .iter()
            .find(|i| i.due_date > date)
            .map_or_else(|| "none".to_string(), |i| i.due_date.to_string());
        return Err(AppError::invalid_field(
            "valueDate",
            "not_a_due_date",
            format!("a partial prepayment is made on a due date; the next one is {next}"),
        ));
    };
    if k + 1 == installments.len() {
        return Err(AppError::invalid_field(
            "valueDate",
            "last_installment",
            "on the last due date nothing is left to re-amortise: register a payoff",
        ));
    }
    let later = &installments[k + 1..];
    if later.iter().any(|i| {
        i.settled_on.is_some()
            || i.paid_principal.is_positive()
            || i.paid_interest.is_positive()
            || i.paid_fees.is_positive()
    }) {
        return Err(AppError::conflict(
            "paid_ahead",
            "installments after the date are partly paid; they cannot be re-amortised",
        ));
    }
    let due_amount: Money = installments[..=k]
        .iter()
        .filter(|i| i.settled_on.is_none())
        .map(InstallmentState::total_due)
        .sum();
    let schedule = contractual(installments);
    let done = partial(
        terms,
        &schedule,
        (k + 1) as u32,
        principal,
        mode.into(),
        fee_rule,
    )
    .map_err(our_fields)?;
    let last = |rows: &[Installment]| rows.last().map(|i| i.due_date).unwrap_or(date);
    let first_total = |rows: &[Installment]| rows.first().map_or(Money::ZERO, |i| i.total);
    let before = &schedule.installments[k + 1..];
    Ok(PrepaymentPlan {
        date,
        after_period: installments[k].period,
        due_amount,
        prepaid_principal: principal,
        fee: done.fee,
        amount: due_amount + principal + done.fee,
        reamortisation: mode,
        balance_before: schedule.balance_after(k + 1),
        balance_after: done.new_balance,
        installment_before: first_total(before),
        installment_after: first_total(&done.installments),
        periods_before: before.len() as u32,
        periods_after: done.installments.len() as u32,
        maturity_before: last(before),
        maturity_after: last(&done.installments),
        schedule: done.installments.iter().map(InstallmentRow::from).collect(),
    })
}

/// Applies a plan with `amount` received plus the credit balance: what is due first (in the
/// product's order), then the principal and the fee; the installments after the date give
/// way to the re-amortised ones (each keeps its period's fees); the rest stays as credit.
/// Refused when the money falls short of the plan.
pub fn apply_prepayment(
    installments: &mut Vec<InstallmentState>,
    plan: &PrepaymentPlan,
    amount: Money,
    credit_before: Money,
    params: &OverdueParams,
    rule: &AllocationRule,
) -> AppResult<PaymentOutcome> {
    let available = amount + credit_before;
    if available < plan.amount {
        return Err(AppError::invalid_field(
            "amount",
            "short_of_prepayment",
            format!(
                "prepaying {} on {} takes {} (due {}, fee {}); with the credit balance there is {}",
                plan.prepaid_principal,
                plan.date,
                plan.amount,
                plan.due_amount,
                plan.fee,
                available
            ),
        ));
    }
    let mut outcome = apply_payment(
        installments,
        plan.date,
        plan.due_amount,
        Money::ZERO,
        params,
        rule,
    )?;
    let keep = plan.after_period as usize;
    if installments[..keep].iter().any(|i| i.settled_on.is_none()) {
        return Err(AppError::internal(
            "the plan's due amount left an installment unpaid",
        ));
    }
    let fees_of = |period: u32| {
        installments
            .iter()
            .find(|i| i.period == period)
            .map_or(Money::ZERO, |i| i.fees)
    };
    let accrued_of = |period: u32| {
        installments
            .iter()
            .find(|i| i.period == period)
            .map_or(Money::ZERO, |i| i.interest_accrued)
    };
    let mut start = installments[keep - 1].due_date;
    let renewed: Vec<InstallmentState> = plan
        .schedule
        .iter()
        .map(|row| {
            let i = InstallmentState {
                period: row.period,
                start_date: start,
                due_date: row.due_date,
                principal: row.principal,
                interest: row.interest,
                fees: fees_of(row.period),
                paid_principal: Money::ZERO,
                paid_interest: Money::ZERO,
                paid_fees: Money::ZERO,
                paid_penalty: Money::ZERO,
                paid_compound: Money::ZERO,
                penalty_accrued: Decimal::ZERO,
                compound_accrued: Decimal::ZERO,
                accrued_through: None,
                settled_on: None,
                overdue_since: None,
                // What the close accrued on the period so far stays recognised; interest that
                // re-amortising took away is reversed when the repayment settles accruals.
                interest_accrued: accrued_of(row.period),
            };
            start = row.due_date;
            i
        })
        .collect();
    installments.truncate(keep);
    installments.extend(renewed);
    outcome.credit_before = credit_before;
    outcome.credit_after = available - plan.amount;
    outcome.totals.principal += plan.prepaid_principal;
    outcome.totals.fees += plan.fee;
    outcome.prepayment = Some(PrepaymentApplied {
        after_period: plan.after_period,
        prepaid_principal: plan.prepaid_principal,
        fee: plan.fee,
        reamortisation: plan.reamortisation,
        balance_after: plan.balance_after,
        installment_after: plan.installment_after,
        periods_after: plan.periods_after,
        maturity_after: plan.maturity_after,
    });
    Ok(outcome)
}

/// The contract's schedule as the installments now stand (principal and interest as
/// scheduled, whatever has been paid).
fn contractual(installments: &[InstallmentState]) -> Schedule {
    let mut remaining: Money = installments.iter().map(|i| i.principal).sum();
    Schedule {
        installments: installments
            .iter()
            .map(|i| {
                remaining -= i.principal;
                Installment {
                    period: i.period,
                    start_date: i.start_date,
                    due_date: i.due_date,
                    principal: i.principal,
                    interest: i.interest,
                    total: i.principal + i.interest,
                    remaining_principal: remaining,
                }
            })
            .collect(),
        broken_first_period: false,
    }
}

/// The arithmetic names its inputs as the calculator does; a repayment names them its way.
fn our_fields(mut e: AppError) -> AppError {
    for f in &mut e.field_errors {
        f.field = match f.field.as_str() {
            "amount" => "prepaidPrincipal",
            "mode" => "reamortisation",
            "method" => "kind",
            other => other,
        }
        .to_string();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use calc::prepayment_fee::FeeKind;
    use calc::terms::Method;
    use kernel::Rate;
    use rust_decimal_macros::dec;
    use time::macros::date;

    // 100 000 at 12 % over 24 months from 2026-03-10, equal installments of 4 707.35
    // (period 1: 1 000.00 interest, 3 707.35 principal). Prepaying 20 000 on 2026-04-10,
    // worked out by hand (r = 0.01, RULES.md §2, §6):
    //   balance after period 1: 96 292.65 → 76 292.65;
    //   keep the term, 23 periods: PMT = round(76292.65·0.01 / (1 − 1.01^−23)) = 3 729.63,
    //     period 2: interest round(762.9265) = 762.93, principal 2 966.70; period 24 takes
    //     the rest: 3 692.71 + 36.93 = 3 729.64;
    //   keep 4 707.35: the balance runs out in period 19 (18 periods), the last paying
    //     3 595.17 + 35.95 = 3 631.12;
    //   fee 2 % of 20 000 = 400.00.
    fn terms() -> LoanTerms {
        LoanTerms::new(
            Method::EqualInstallment,
            Money::yuan(100_000),
            Rate::annual(dec!(0.12)).unwrap(),
            24,
            date!(2026 - 03 - 10),
        )
    }

    fn loan() -> Vec<InstallmentState> {
        calc::generate(&terms())
            .unwrap()
            .installments
            .iter()
            .map(|i| InstallmentState {
                period: i.period,
                start_date: i.start_date,
                due_date: i.due_date,
                principal: i.principal,
                interest: i.interest,
                fees: Money::ZERO,
                paid_principal: Money::ZERO,
                paid_interest: Money::ZERO,
                paid_fees: Money::ZERO,
                paid_penalty: Money::ZERO,
                paid_compound: Money::ZERO,
                penalty_accrued: Decimal::ZERO,
                compound_accrued: Decimal::ZERO,
                accrued_through: None,
                settled_on: None,
                overdue_since: None,
                interest_accrued: Money::ZERO,
            })
            .collect()
    }

    fn two_percent() -> PrepaymentFee {
        PrepaymentFee {
            kind: FeeKind::PercentOfRemaining { rate: dec!(0.02) },
            free_after_months: None,
            cap: None,
        }
    }

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn params() -> OverdueParams {
        OverdueParams::new(Rate::annual(dec!(0.12)).unwrap(), dec!(1.5), 0).unwrap()
    }

    #[test]
    fn keeping_the_term_lowers_every_later_installment() {
        let p = plan(
            &loan(),
            &terms(),
            date!(2026 - 04 - 10),
            Money::yuan(20_000),
            Reamortisation::KeepTerm,
            &two_percent(),
        )
        .unwrap();
        assert_eq!(p.after_period, 1);
        assert_eq!(p.due_amount, m("4707.35"));
        assert_eq!(p.fee, m("400.00"));
        assert_eq!(p.amount, m("25107.35"));
        assert_eq!(
            (p.balance_before, p.balance_after),
            (m("96292.65"), m("76292.65"))
        );
        assert_eq!(
            (p.installment_before, p.installment_after),
            (m("4707.35"), m("3729.63"))
        );
        assert_eq!((p.periods_before, p.periods_after), (23, 23));
        assert_eq!(p.maturity_after, p.maturity_before);
        let second = &p.schedule[0];
        assert_eq!(
            (second.period, second.interest, second.principal),
            (2, m("762.93"), m("2966.70"))
        );
        let last = p.schedule.last().unwrap();
        assert_eq!(
            (last.period, last.principal, last.interest),
            (24, m("3692.71"), m("36.93"))
        );
    }

    #[test]
    fn keeping_the_installment_ends_the_loan_sooner() {
        let p = plan(
            &loan(),
            &terms(),
            date!(2026 - 04 - 10),
            Money::yuan(20_000),
            Reamortisation::KeepInstallment,
            &two_percent(),
        )
        .unwrap();
        assert_eq!(p.periods_after, 18);
        assert_eq!(p.installment_after, m("4707.35"));
        // Period 19 falls 19 months after the value date.
        assert_eq!(p.maturity_after, date!(2027 - 10 - 10));
        let last = p.schedule.last().unwrap();
        assert_eq!(
            (last.period, last.principal, last.interest),
            (19, m("3595.17"), m("35.95"))
        );
    }

    #[test]
    fn applying_pays_the_day_then_the_principal_and_fee_and_keeps_the_rest_as_credit() {
        let mut s = loan();
        let p = plan(
            &s,
            &terms(),
            date!(2026 - 04 - 10),
            Money::yuan(20_000),
            Reamortisation::KeepInstallment,
            &two_percent(),
        )
        .unwrap();
        let o = apply_prepayment(
            &mut s,
            &p,
            m("25200.00"),
            m("7.35"),
            &params(),
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.interest, m("1000.00"));
        assert_eq!(o.totals.principal, m("23707.35"));
        assert_eq!(o.totals.fees, m("400.00"));
        assert_eq!(o.credit_after, m("100.00"), "25 200.00 + 7.35 − 25 107.35");
        assert_eq!(s.len(), 19);
        assert_eq!(s[0].settled_on, Some(date!(2026 - 04 - 10)));
        assert_eq!(s[1].start_date, date!(2026 - 04 - 10));
        let unpaid: Money = s.iter().map(InstallmentState::unpaid_principal).sum();
        assert_eq!(unpaid, m("76292.65"));
        assert_eq!(o.prepayment.unwrap().periods_after, 18);
    }

    #[test]
    fn short_money_and_a_day_that_is_no_due_date_are_refused() {
        let mut s = loan();
        let off_day = plan(
            &s,
            &terms(),
            date!(2026 - 04 - 11),
            Money::yuan(20_000),
            Reamortisation::KeepTerm,
            &two_percent(),
        )
        .unwrap_err();
        assert_eq!(off_day.field_errors[0].field, "valueDate");
        assert_eq!(off_day.field_errors[0].code, "not_a_due_date");
        let too_much = plan(
            &s,
            &terms(),
            date!(2026 - 04 - 10),
            m("96292.65"),
            Reamortisation::KeepTerm,
            &two_percent(),
        )
        .unwrap_err();
        assert_eq!(too_much.field_errors[0].field, "prepaidPrincipal");
        let p = plan(
            &s,
            &terms(),
            date!(2026 - 04 - 10),
            Money::yuan(20_000),
            Reamortisation::KeepTerm,
            &two_percent(),
        )
        .unwrap();
        let before = s.clone();
        let short = apply_prepayment(
            &mut s,
            &p,
            m("25107.34"),
            Money::ZERO,
            &params(),
            &AllocationRule::default(),
        )
        .unwrap_err();
        assert_eq!(short.field_errors[0].code, "short_of_prepayment");
        assert_eq!(s, before, "nothing changes");
    }
}

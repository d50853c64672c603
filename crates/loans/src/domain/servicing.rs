//! Servicing a loan (贷后): what each installment owes on a date, how a payment is applied to
//! it, and the vouchers money events post (RULES.md §3, §4, §10). Pure: installments and
//! amounts in, the new state and a voucher draft out.

use calc::allocation::{Allocation, AllocationRule, Component, Owed, allocate};
use calc::overdue::OverdueParams;
use calc::terms::DayBasis;
use kernel::{AppError, AppResult, Money, Rate};
use ledgers::domain::account::codes;
use ledgers::domain::voucher::{VoucherDraft, split_vat};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::prepayment::PrepaymentApplied;
use super::terms::{AllocationComponent, AllocationOrder};

/// VAT on interest and fees for a general taxpayer (RULES.md §9).
pub const DEFAULT_VAT_RATE: Decimal = Decimal::from_parts(6, 0, 0, false, 2);

/// The servicing parameters a loan keeps from the product version it was signed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServicingTerms {
    pub day_basis: i64,
    /// 罚息 = contract rate × this.
    #[schema(value_type = String)]
    pub penalty_multiplier: Decimal,
    pub grace_days: u32,
    pub allocation: AllocationOrder,
    /// VAT included in interest and fee income.
    #[schema(value_type = String)]
    pub vat_rate: Decimal,
    /// Fees due with each installment.
    pub period_fee: Money,
}

impl ServicingTerms {
    pub fn overdue_params(&self, annual_rate: Rate) -> AppResult<OverdueParams> {
        let mut p = OverdueParams::new(annual_rate, self.penalty_multiplier, self.grace_days)?;
        p.day_basis = DayBasis::from_days(self.day_basis).unwrap_or(DayBasis::Days360);
        Ok(p)
    }

    pub fn allocation_rule(&self) -> AppResult<AllocationRule> {
        let order = &self.allocation.components;
        if order.len() != 5 {
            return Err(AppError::internal(
                "an allocation order names five components",
            ));
        }
        let mut components = Component::DEFAULT_ORDER;
        for (k, c) in order.iter().enumerate() {
            components[k] = c.component();
        }
        Ok(AllocationRule {
            components,
            installment_by_installment: self.allocation.installment_by_installment,
        })
    }
}

/// One installment (期供) as the sub-ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstallmentState {
    pub period: u32,
    pub start_date: Date,
    pub due_date: Date,
    pub principal: Money,
    pub interest: Money,
    pub fees: Money,
    pub paid_principal: Money,
    pub paid_interest: Money,
    pub paid_fees: Money,
    pub paid_penalty: Money,
    pub paid_compound: Money,
    /// Penalty and compound interest accrued so far, unrounded (memo, off balance sheet).
    pub penalty_accrued: Decimal,
    pub compound_accrued: Decimal,
    /// Accrued up to this date, exclusive.
    pub accrued_through: Option<Date>,
    pub settled_on: Option<Date>,
    /// Since when its unpaid principal is carried as 本金-逾期 (the daily close moves it).
    #[serde(default)]
    pub overdue_since: Option<Date>,
    /// Interest recognised on it so far, gross of VAT: accrued by the daily close (1132) or
    /// received before the close got to it. Between `paid_interest` and `interest`.
    #[serde(default = "no_money")]
    pub interest_accrued: Money,
}

impl InstallmentState {
    pub fn unpaid_principal(&self) -> Money {
        self.principal - self.paid_principal
    }

    pub fn unpaid_interest(&self) -> Money {
        self.interest - self.paid_interest
    }

    pub fn unpaid_fees(&self) -> Money {
        self.fees - self.paid_fees
    }

    /// Penalty billed so far (rounded once, RULES.md §3) less what was paid.
    pub fn penalty_due(&self) -> Money {
        (Money::round(self.penalty_accrued) - self.paid_penalty).max(Money::ZERO)
    }

    pub fn compound_due(&self) -> Money {
        (Money::round(self.compound_accrued) - self.paid_compound).max(Money::ZERO)
    }

    pub fn total_due(&self) -> Money {
        self.unpaid_principal()
            + self.unpaid_interest()
            + self.unpaid_fees()
            + self.penalty_due()
            + self.compound_due()
    }

    /// Accrues penalty on the unpaid principal and compound interest on the unpaid interest
    /// from where accrual stopped (or the due date) to `as_of`. Within the grace window
    /// nothing accrues yet; past it, penalty runs from the due date itself.
    pub fn accrue_to(&mut self, as_of: Date, params: &OverdueParams) {
        if self.settled_on.is_some() || as_of <= self.due_date {
            return;
        }
        if kernel::date::days_between(self.due_date, as_of) <= i64::from(params.grace_days) {
            return;
        }
        let from = self
            .accrued_through
            .unwrap_or(self.due_date)
            .max(self.due_date);
        if as_of <= from {
            return;
        }
        let days = Decimal::from(kernel::date::days_between(from, as_of));
        self.penalty_accrued += params.daily_amount(self.unpaid_principal().amount()) * days;
        self.compound_accrued += params.daily_amount(self.unpaid_interest().amount()) * days;
        self.accrued_through = Some(as_of);
    }

    /// The interest accrued for the books through `as_of` (exclusive), RULES.md §1: the
    /// period's scheduled interest spread over its days, round(I × days elapsed / days in the
    /// period), never more than the period's interest nor less than what is recognised.
    pub fn interest_accrued_to(&self, as_of: Date) -> Money {
        if self.settled_on.is_some() || as_of <= self.start_date {
            return self.interest_accrued;
        }
        let days = kernel::date::days_between(self.start_date, self.due_date);
        let elapsed = kernel::date::days_between(self.start_date, as_of).min(days);
        let target = if days <= 0 {
            self.interest
        } else {
            Money::round(self.interest.amount() * Decimal::from(elapsed) / Decimal::from(days))
        };
        target.min(self.interest).max(self.interest_accrued)
    }

    fn owed(&self) -> Owed {
        Owed {
            period: self.period,
            fees: self.unpaid_fees(),
            penalty: self.penalty_due(),
            compound: self.compound_due(),
            interest: self.unpaid_interest(),
            principal: self.unpaid_principal(),
        }
    }

    fn receive(&mut self, got: &Owed, on: Date) {
        self.paid_fees += got.fees;
        self.paid_penalty += got.penalty;
        self.paid_compound += got.compound;
        self.paid_interest += got.interest;
        self.paid_principal += got.principal;
        if self.total_due().is_zero() {
            self.settled_on = Some(on);
        }
    }
}

/// Totals of a payment per component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComponentTotals {
    pub fees: Money,
    pub penalty: Money,
    pub compound: Money,
    pub interest: Money,
    pub principal: Money,
}

impl ComponentTotals {
    pub fn total(&self) -> Money {
        self.fees + self.penalty + self.compound + self.interest + self.principal
    }
}

/// One amount applied to one component of one installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppliedLine {
    pub period: u32,
    /// `fees`, `penalty`, `compound`, `interest` or `principal`.
    pub component: AllocationComponent,
    pub amount: Money,
}

/// How a confirmed payment was applied (还款冲抵明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentOutcome {
    pub lines: Vec<AppliedLine>,
    pub totals: ComponentTotals,
    /// The customer's credit balance (溢缴款) before and after: it is spent first, and what is
    /// left over is kept there.
    pub credit_before: Money,
    pub credit_after: Money,
    /// The part of `totals.principal` that was carried as 本金-逾期 (the rest was normal).
    #[serde(default = "no_money")]
    pub principal_overdue: Money,
    /// The part of `totals.interest` accrued before (it clears 1132; the rest is income now).
    #[serde(default = "no_money")]
    pub interest_from_receivable: Money,
    /// Accrued interest that fell away because the interest owed shrank (a payoff's interest
    /// to date in place of the period's): reversed out of income and 1132.
    #[serde(default = "no_money")]
    pub interest_reversed: Money,
    /// A partial prepayment's principal, fee and new schedule (counted in the totals too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepayment: Option<PrepaymentApplied>,
}

fn no_money() -> Money {
    Money::ZERO
}

/// Sets `outcome.principal_overdue` from what the payment did to installments whose principal
/// the daily close had moved to overdue: `before` and `after` are the installments around it.
pub fn split_overdue_principal(
    outcome: &mut PaymentOutcome,
    before: &[InstallmentState],
    after: &[InstallmentState],
) {
    outcome.principal_overdue = after
        .iter()
        .filter(|i| i.overdue_since.is_some())
        .map(|i| {
            let paid = before
                .iter()
                .find(|b| b.period == i.period)
                .map_or(Money::ZERO, |b| b.paid_principal);
            i.paid_principal - paid
        })
        .sum();
}

/// Settles the interest recognised on each installment after a payment (`before` and
/// `after` are the installments around it): interest paid out of what was accrued clears the
/// receivable, the rest is recognised now; accrual above interest that shrank is reversed.
/// Sets `interest_from_receivable` and `interest_reversed` and updates `interest_accrued`.
pub fn settle_accrued_interest(
    outcome: &mut PaymentOutcome,
    before: &[InstallmentState],
    after: &mut [InstallmentState],
) {
    let (mut from_receivable, mut reversed) = (Money::ZERO, Money::ZERO);
    for i in after.iter_mut() {
        let (paid, accrued) = before
            .iter()
            .find(|b| b.period == i.period)
            .map_or((Money::ZERO, i.interest_accrued), |b| {
                (b.paid_interest, b.interest_accrued)
            });
        let received = i.paid_interest - paid;
        let open = (accrued - paid).max(Money::ZERO);
        from_receivable += received.min(open).max(Money::ZERO);
        i.interest_accrued = i.interest_accrued.max(i.paid_interest);
        if i.interest_accrued > i.interest {
            reversed += i.interest_accrued - i.interest;
            i.interest_accrued = i.interest;
        }
    }
    outcome.interest_from_receivable = from_receivable;
    outcome.interest_reversed = reversed;
}

/// Applies `amount` received on `value_date`, plus any credit balance, to the installments
/// due on or before that date, in the product's order; the rest stays as credit balance
/// (RULES.md §4: money received before a due date waits for it).
pub fn apply_payment(
    installments: &mut [InstallmentState],
    value_date: Date,
    amount: Money,
    credit_before: Money,
    params: &OverdueParams,
    rule: &AllocationRule,
) -> AppResult<PaymentOutcome> {
    for i in installments.iter_mut() {
        i.accrue_to(value_date, params);
    }
    let due: Vec<usize> = (0..installments.len())
        .filter(|&k| installments[k].due_date <= value_date && installments[k].settled_on.is_none())
        .collect();
    let owed: Vec<Owed> = due.iter().map(|&k| installments[k].owed()).collect();
    let Allocation {
        lines,
        applied,
        credit_balance,
    } = allocate(amount + credit_before, &owed, rule)?;
    let mut totals = ComponentTotals::default();
    for (got, &k) in applied.iter().zip(&due) {
        installments[k].receive(got, value_date);
        totals.fees += got.fees;
        totals.penalty += got.penalty;
        totals.compound += got.compound;
        totals.interest += got.interest;
        totals.principal += got.principal;
    }
    Ok(PaymentOutcome {
        lines: lines
            .into_iter()
            .map(|l| AppliedLine {
                period: l.period,
                component: l.component.into(),
                amount: l.amount,
            })
            .collect(),
        totals,
        credit_before,
        credit_after: credit_balance,
        principal_overdue: Money::ZERO,
        interest_from_receivable: Money::ZERO,
        interest_reversed: Money::ZERO,
        prepayment: None,
    })
}

/// A full payoff on a date (提前结清, RULES.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoffFigures {
    pub date: Date,
    /// (a) Everything due on or before the date and unpaid, penalty and compound included.
    pub due_amount: Money,
    /// (b) Principal not yet due.
    pub remaining_principal: Money,
    /// (c) Interest on (b) from `interest_from` to the date: round((b) × i/basis × days).
    pub interest_from: Date,
    pub accrued_days: i64,
    pub accrued_interest: Money,
    /// (d) The prepayment fee on (b).
    pub fee: Money,
    /// (a) + (b) + (c) + (d)
    pub payoff_amount: Money,
}

/// The payoff figures of installments already accrued to `date` (see
/// [`InstallmentState::accrue_to`]). `start` is the loan's value date; `fee` the product's
/// prepayment fee on the principal prepaid.
pub fn payoff_figures(
    installments: &[InstallmentState],
    date: Date,
    start: Date,
    annual_rate: Rate,
    day_basis: DayBasis,
    fee: impl Fn(Money) -> Money,
) -> PayoffFigures {
    let open = || installments.iter().filter(|i| i.settled_on.is_none());
    let due_amount: Money = open()
        .filter(|i| i.due_date <= date)
        .map(InstallmentState::total_due)
        .sum();
    let remaining_principal: Money = open()
        .filter(|i| i.due_date > date)
        .map(InstallmentState::unpaid_principal)
        .sum();
    let interest_from = installments
        .iter()
        .filter(|i| i.due_date <= date)
        .map(|i| i.due_date)
        .max()
        .unwrap_or(start);
    let accrued_days = kernel::date::days_between(interest_from, date).max(0);
    let accrued_interest = Money::round(
        remaining_principal.amount() * annual_rate.value() * Decimal::from(accrued_days)
            / Decimal::from(day_basis.days()),
    );
    let fee = fee(remaining_principal);
    PayoffFigures {
        date,
        due_amount,
        remaining_principal,
        interest_from,
        accrued_days,
        accrued_interest,
        fee,
        payoff_amount: due_amount + remaining_principal + accrued_interest + fee,
    }
}

/// Settles the whole loan on `date` with `amount` plus any credit balance: what is due goes
/// in the product's order, then the principal not yet due, its interest to date (in place of
/// the current period's scheduled interest; later periods' interest falls away) and the fee.
/// The rest stays as credit balance. Refused when the money falls short of the payoff.
pub fn apply_payoff(
    installments: &mut [InstallmentState],
    figures: &PayoffFigures,
    amount: Money,
    credit_before: Money,
    params: &OverdueParams,
    rule: &AllocationRule,
) -> AppResult<PaymentOutcome> {
    let available = amount + credit_before;
    if available < figures.payoff_amount {
        return Err(AppError::invalid_field(
            "amount",
            "short_of_payoff",
            format!(
                "paying off on {} takes {}; with the credit balance there is {}",
                figures.date, figures.payoff_amount, available
            ),
        ));
    }
    let date = figures.date;
    let due = apply_payment(
        installments,
        date,
        figures.due_amount,
        Money::ZERO,
        params,
        rule,
    )?;
    let mut outcome = PaymentOutcome {
        credit_before,
        credit_after: available - figures.payoff_amount,
        ..due
    };
    let mut first = true;
    for i in installments
        .iter_mut()
        .filter(|i| i.settled_on.is_none() && i.due_date > date)
    {
        let principal = i.unpaid_principal();
        i.paid_principal = i.principal;
        // The current period earns the days it ran; later periods never start.
        i.interest = if first {
            figures.accrued_interest + i.paid_interest
        } else {
            i.paid_interest
        };
        let interest = i.interest - i.paid_interest;
        i.paid_interest = i.interest;
        i.fees = i.paid_fees + if first { figures.fee } else { Money::ZERO };
        let fee = i.fees - i.paid_fees;
        i.paid_fees = i.fees;
        i.settled_on = Some(date);
        for (component, value) in [
            (AllocationComponent::Interest, interest),
            (AllocationComponent::Principal, principal),
            (AllocationComponent::Fees, fee),
        ] {
            if value.is_positive() {
                outcome.lines.push(AppliedLine {
                    period: i.period,
                    component,
                    amount: value,
                });
            }
        }
        outcome.totals.principal += principal;
        outcome.totals.interest += interest;
        outcome.totals.fees += fee;
        first = false;
    }
    Ok(outcome)
}

/// A consulting or other fee received (RULES.md §10): Dr the fund account, Cr 6021 net of
/// VAT and Cr 222101 the VAT.
pub fn fee_voucher(
    date: Date,
    fee_receipt_id: i64,
    contract_no: &str,
    amount: Money,
    fund_account: &str,
    vat_rate: Decimal,
) -> VoucherDraft {
    let mut v = VoucherDraft::new(
        date,
        "fee",
        fee_receipt_id,
        format!("收取咨询费 {contract_no}"),
    );
    let (net, vat) = split_vat(amount, vat_rate);
    v.debit(fund_account, amount, None, "咨询费收入")
        .credit(codes::FEE_INCOME, net, None, "咨询费")
        .credit(codes::OUTPUT_VAT, vat, None, "销项税额");
    v
}

/// Money moving between a fund account and one loan: the facts every such voucher needs.
#[derive(Debug, Clone, Copy)]
pub struct MoneyEvent<'a> {
    pub date: Date,
    /// The disbursement's or repayment's id.
    pub source_id: i64,
    pub loan_id: i64,
    pub loan_no: &'a str,
    pub amount: Money,
    /// The cash or bank account paid from or into.
    pub fund_account: &'a str,
}

/// Disbursement (RULES.md §10): Dr 1303 本金-正常, Cr the paying fund account.
pub fn disbursement_voucher(e: &MoneyEvent) -> VoucherDraft {
    let mut v = VoucherDraft::new(
        e.date,
        "disbursement",
        e.source_id,
        format!("放款 {}", e.loan_no),
    );
    v.debit(
        codes::PRINCIPAL_NORMAL,
        e.amount,
        Some(e.loan_id),
        "贷款本金",
    )
    .credit(e.fund_account, e.amount, None, "放款付出");
    v
}

/// A received repayment on the cash basis (RULES.md §10): Dr the fund account (and the
/// credit balance spent), Cr principal, income net of VAT, output VAT, and any overpayment.
pub fn repayment_voucher(
    e: &MoneyEvent,
    outcome: &PaymentOutcome,
    vat_rate: Decimal,
) -> VoucherDraft {
    // No money received: the close spent the credit balance (溢缴款冲抵).
    let summary = if e.amount.is_zero() {
        format!("溢缴款冲抵 {}", e.loan_no)
    } else {
        format!("收回贷款 {}", e.loan_no)
    };
    let mut v = VoucherDraft::new(e.date, "repayment", e.source_id, summary);
    let loan = Some(e.loan_id);
    v.debit(e.fund_account, e.amount, None, "还款收入");
    let spent = outcome.credit_before - outcome.credit_after;
    if spent.is_positive() {
        v.debit(codes::CUSTOMER_CREDIT, spent, loan, "溢缴款冲抵");
    }
    let t = &outcome.totals;
    v.credit(
        codes::PRINCIPAL_NORMAL,
        t.principal - outcome.principal_overdue,
        loan,
        "收回本金",
    );
    v.credit(
        codes::PRINCIPAL_OVERDUE,
        outcome.principal_overdue,
        loan,
        "收回逾期本金",
    );
    v.credit(
        codes::INTEREST_RECEIVABLE,
        outcome.interest_from_receivable + outcome.interest_reversed,
        loan,
        "收回应收利息",
    );
    if outcome.interest_reversed.is_positive() {
        let (net, tax) = split_vat(outcome.interest_reversed, vat_rate);
        v.debit(codes::INTEREST_INCOME, net, loan, "冲减已计提利息")
            .debit(codes::OUTPUT_VAT, tax, loan, "冲减销项税额");
    }
    let mut vat = Money::ZERO;
    for (gross, account, memo) in [
        (
            t.interest - outcome.interest_from_receivable,
            codes::INTEREST_INCOME,
            "利息收入",
        ),
        (t.penalty, codes::PENALTY_INCOME, "罚息收入"),
        (t.compound, codes::COMPOUND_INCOME, "复利收入"),
        (t.fees, codes::FEE_INCOME, "费用收入"),
    ] {
        let (net, tax) = split_vat(gross, vat_rate);
        v.credit(account, net, loan, memo);
        vat += tax;
    }
    v.credit(codes::OUTPUT_VAT, vat, loan, "销项税额");
    if spent.is_negative() {
        v.credit(codes::CUSTOMER_CREDIT, -spent, loan, "溢缴款");
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    /// Two installments of a 12 000 loan at 12 %: 1 000 principal + 120 / 110 interest.
    fn two() -> Vec<InstallmentState> {
        let one = |period, start, due, principal: &str, interest: &str| InstallmentState {
            period,
            start_date: start,
            due_date: due,
            principal: m(principal),
            interest: m(interest),
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
        };
        vec![
            one(
                1,
                date!(2026 - 01 - 10),
                date!(2026 - 02 - 10),
                "1000.00",
                "120.00",
            ),
            one(
                2,
                date!(2026 - 02 - 10),
                date!(2026 - 03 - 10),
                "1000.00",
                "110.00",
            ),
        ]
    }

    fn params() -> OverdueParams {
        OverdueParams::new(Rate::annual(dec!(0.12)).unwrap(), dec!(1.5), 0).unwrap()
    }

    #[test]
    fn an_on_time_payment_settles_the_installment_due_and_keeps_the_rest_as_credit() {
        let mut s = two();
        let o = apply_payment(
            &mut s,
            date!(2026 - 02 - 10),
            m("1200.00"),
            Money::ZERO,
            &params(),
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.interest, m("120.00"));
        assert_eq!(o.totals.principal, m("1000.00"));
        assert_eq!(o.credit_after, m("80.00"), "period 2 is not due yet");
        assert_eq!(s[0].settled_on, Some(date!(2026 - 02 - 10)));
        assert_eq!(s[1].paid_interest, Money::ZERO);
    }

    #[test]
    fn a_late_payment_pays_penalty_and_compound_before_interest_and_principal() {
        let mut s = two();
        // 10 days late on period 1: penalty rate 18 %, day rate 0.0005.
        // 罚息 = 1000 × 0.0005 × 10 = 5.00; 复利 = 120 × 0.0005 × 10 = 0.60.
        let o = apply_payment(
            &mut s,
            date!(2026 - 02 - 20),
            m("500.00"),
            Money::ZERO,
            &params(),
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.penalty, m("5.00"));
        assert_eq!(o.totals.compound, m("0.60"));
        assert_eq!(o.totals.interest, m("120.00"));
        assert_eq!(o.totals.principal, m("374.40"));
        assert_eq!(o.credit_after, Money::ZERO);
        assert!(s[0].settled_on.is_none());
        // Ten more days on what is left: 625.60 × 0.0005 × 10 = 3.128 → penalty billed
        // round(5 + 3.128) − 5 = 3.13; compound 0 (interest is paid).
        let o = apply_payment(
            &mut s,
            date!(2026 - 03 - 02),
            m("628.73"),
            Money::ZERO,
            &params(),
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.penalty, m("3.13"));
        assert_eq!(o.totals.compound, Money::ZERO);
        assert_eq!(o.totals.principal, m("625.60"));
        assert_eq!(s[0].settled_on, Some(date!(2026 - 03 - 02)));
    }

    #[test]
    fn a_credit_balance_is_spent_on_the_next_due_installment() {
        let mut s = two();
        s[0].paid_principal = m("1000.00");
        s[0].paid_interest = m("120.00");
        s[0].settled_on = Some(date!(2026 - 02 - 10));
        let o = apply_payment(
            &mut s,
            date!(2026 - 03 - 10),
            m("1030.00"),
            m("80.00"),
            &params(),
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.total(), m("1110.00"));
        assert_eq!(o.credit_after, Money::ZERO);
        let event = MoneyEvent {
            date: date!(2026 - 03 - 10),
            source_id: 9,
            loan_id: 1,
            loan_no: "L1",
            amount: m("1030.00"),
            fund_account: "100201",
        };
        let v = repayment_voucher(&event, &o, dec!(0.06));
        v.check().unwrap();
        // 110 interest: net round(110 / 1.06) = 103.77, VAT 6.23.
        let line = |account: &str| {
            v.lines
                .iter()
                .find(|l| l.account == account)
                .unwrap()
                .clone()
        };
        assert_eq!(line(codes::CUSTOMER_CREDIT).debit, m("80.00"));
        assert_eq!(line(codes::INTEREST_INCOME).credit, m("103.77"));
        assert_eq!(line(codes::OUTPUT_VAT).credit, m("6.23"));
        assert_eq!(line(codes::PRINCIPAL_NORMAL).credit, m("1000.00"));
    }

    #[test]
    fn credit_applied_with_no_cash_posts_no_fund_line_and_says_so() {
        // 80.00 of credit on period 2's due date, nothing paid: interest first, 80.00 of the
        // 110.00 (RULES.md §4); 80.00 gross is net round(80 / 1.06) = 75.47, VAT 4.53.
        let mut s = two();
        s[0].paid_principal = m("1000.00");
        s[0].paid_interest = m("120.00");
        s[0].settled_on = Some(date!(2026 - 02 - 10));
        let o = apply_payment(
            &mut s,
            date!(2026 - 03 - 10),
            Money::ZERO,
            m("80.00"),
            &params(),
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.interest, m("80.00"));
        assert_eq!(o.credit_after, Money::ZERO);
        let event = MoneyEvent {
            date: date!(2026 - 03 - 10),
            source_id: 9,
            loan_id: 1,
            loan_no: "L1",
            amount: Money::ZERO,
            fund_account: codes::CUSTOMER_CREDIT,
        };
        let v = repayment_voucher(&event, &o, dec!(0.06));
        v.check().unwrap();
        assert_eq!(v.summary, "溢缴款冲抵 L1");
        let lines: Vec<_> = v
            .lines
            .iter()
            .map(|l| {
                (
                    l.account.as_str(),
                    l.debit.to_string(),
                    l.credit.to_string(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                (codes::CUSTOMER_CREDIT, "80.00".into(), "0.00".into()),
                (codes::INTEREST_INCOME, "0.00".into(), "75.47".into()),
                (codes::OUTPUT_VAT, "0.00".into(), "4.53".into()),
            ]
        );
    }

    #[test]
    fn a_payoff_between_due_dates_charges_the_days_run_and_drops_later_interest() {
        let mut s = two();
        let p = params();
        for i in s.iter_mut() {
            i.accrue_to(date!(2026 - 02 - 25), &p);
        }
        // Paid period 1 on time first.
        s[0].paid_principal = m("1000.00");
        s[0].paid_interest = m("120.00");
        s[0].settled_on = Some(date!(2026 - 02 - 10));
        // (b) 1000.00; (c) round(1000 × 0.12 × 15 / 360) = 5.00; (d) 1 % of (b) = 10.00.
        let f = payoff_figures(
            &s,
            date!(2026 - 02 - 25),
            date!(2026 - 01 - 10),
            p.annual_rate,
            DayBasis::Days360,
            |b| Money::round(b.amount() * dec!(0.01)),
        );
        assert_eq!(f.due_amount, Money::ZERO);
        assert_eq!(f.interest_from, date!(2026 - 02 - 10));
        assert_eq!(f.accrued_days, 15);
        assert_eq!(f.accrued_interest, m("5.00"));
        assert_eq!(f.payoff_amount, m("1015.00"));
        let short = apply_payoff(
            &mut s.clone(),
            &f,
            m("1000.00"),
            m("10.00"),
            &p,
            &AllocationRule::default(),
        );
        assert!(short.is_err(), "10.00 short");
        let o = apply_payoff(
            &mut s,
            &f,
            m("1000.00"),
            m("20.00"),
            &p,
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.principal, m("1000.00"));
        assert_eq!(o.totals.interest, m("5.00"));
        assert_eq!(o.totals.fees, m("10.00"));
        assert_eq!(o.credit_after, m("5.00"));
        assert!(s.iter().all(|i| i.settled_on.is_some()));
        assert_eq!(s[1].interest, m("5.00"), "the period earns the days it ran");
    }

    #[test]
    fn within_the_grace_window_no_penalty_accrues() {
        let mut s = two();
        let mut p = params();
        p.grace_days = 3;
        let o = apply_payment(
            &mut s,
            date!(2026 - 02 - 13),
            m("1120.00"),
            Money::ZERO,
            &p,
            &AllocationRule::default(),
        )
        .unwrap();
        assert_eq!(o.totals.penalty, Money::ZERO);
        assert_eq!(s[0].settled_on, Some(date!(2026 - 02 - 13)));
    }

    #[test]
    fn interest_accrues_over_the_period_s_days_and_never_past_its_interest() {
        // Period 1 runs 2026-01-10 → 02-10, 31 days, 120.00 interest.
        let s = two();
        assert_eq!(s[0].interest_accrued_to(date!(2026 - 01 - 10)), Money::ZERO);
        // round(120 × 1 / 31) = 3.87; round(120 × 15 / 31) = 58.06.
        assert_eq!(s[0].interest_accrued_to(date!(2026 - 01 - 11)), m("3.87"));
        assert_eq!(s[0].interest_accrued_to(date!(2026 - 01 - 25)), m("58.06"));
        assert_eq!(s[0].interest_accrued_to(date!(2026 - 02 - 10)), m("120.00"));
        assert_eq!(s[0].interest_accrued_to(date!(2026 - 03 - 01)), m("120.00"));
    }

    #[test]
    fn paid_interest_clears_what_was_accrued_and_shrunk_interest_reverses_the_excess() {
        let before = {
            let mut s = two();
            s[0].interest_accrued = m("120.00");
            s[1].interest_accrued = m("50.00");
            s
        };
        // Period 1 paid in full; period 2's interest cut to 40.00 and paid (a payoff's
        // interest to date in place of 110.00): 40.00 of the 50.00 accrued is received,
        // 10.00 reversed.
        let mut after = before.clone();
        after[0].paid_interest = m("120.00");
        after[1].interest = m("40.00");
        after[1].paid_interest = m("40.00");
        let mut o = PaymentOutcome {
            lines: vec![],
            totals: ComponentTotals {
                interest: m("160.00"),
                ..ComponentTotals::default()
            },
            credit_before: Money::ZERO,
            credit_after: Money::ZERO,
            principal_overdue: Money::ZERO,
            interest_from_receivable: Money::ZERO,
            interest_reversed: Money::ZERO,
            prepayment: None,
        };
        settle_accrued_interest(&mut o, &before, &mut after);
        assert_eq!(o.interest_from_receivable, m("160.00"));
        assert_eq!(o.interest_reversed, m("10.00"));
        assert_eq!(after[1].interest_accrued, m("40.00"));
        // Interest received before any accrual is recognised as it comes.
        let fresh = two();
        let mut paid = fresh.clone();
        paid[0].paid_interest = m("120.00");
        settle_accrued_interest(&mut o, &fresh, &mut paid);
        assert_eq!(o.interest_from_receivable, Money::ZERO);
        assert_eq!(paid[0].interest_accrued, m("120.00"));
    }
}

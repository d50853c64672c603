//! `POST /api/v1/calculator/payoff`: what settles the loan in full on a date (RULES.md §6).

use kernel::error::FieldErrors;
use kernel::{AppResult, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::inputs::{count, count_in, fen, fraction_in, non_negative_money};
use super::{DecimalString, ScheduleRequest};
use crate::overdue::{self as penalty, DEFAULT_MULTIPLIER, OverdueParams};
use crate::payoff::{self as engine, PayoffBasis, PayoffOptions};
use crate::prepayment_fee::{FeeKind, PrepaymentFee};
use crate::terms::{MAX_TERM_MONTHS, Method};

/// The loan's terms plus how much of it is paid and when it is paid off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoffRequest {
    #[serde(flatten)]
    pub loan: ScheduleRequest,
    /// Installments paid in full, in order; the others are wholly unpaid.
    #[schema(example = 3)]
    pub installments_paid: i64,
    #[schema(value_type = String, format = Date, example = "2026-05-10")]
    pub payoff_date: Date,
    /// The product's prepayment fee; none when omitted.
    #[serde(default)]
    pub prepayment_fee: Option<PrepaymentFeeRequest>,
    /// Flat loans only: what interest to the payoff date is computed on (default `remaining`).
    #[serde(default)]
    pub payoff_basis: Option<PayoffBasis>,
    /// Penalty multiplier for installments already past due, 1.0–2.0 (default "1.5").
    #[serde(default)]
    pub penalty_multiplier: Option<DecimalString>,
    /// Grace days for installments past due (default 0).
    #[serde(default)]
    pub grace_days: Option<i64>,
}

/// Fee kinds, as the API names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeKindName {
    None,
    /// `rate` × the principal prepaid.
    PercentOfRemaining,
    /// `months` × round(principal prepaid × monthly rate).
    MonthsInterest,
}

/// A prepayment fee rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrepaymentFeeRequest {
    pub kind: FeeKindName,
    /// For `percent_of_remaining`: 0–1 ("0.02" is 2 %).
    #[serde(default)]
    #[schema(example = "0.02")]
    pub rate: Option<DecimalString>,
    /// For `months_interest`: 1–12.
    #[serde(default)]
    pub months: Option<i64>,
    /// No fee from this many months after the start, 0–360.
    #[serde(default)]
    pub free_after_months: Option<i64>,
    /// The most the fee may be.
    #[serde(default)]
    #[schema(example = "5000.00")]
    pub cap: Option<DecimalString>,
}

impl PrepaymentFeeRequest {
    /// The engine's rule, adding one field error (`prepaymentFee.*`) per broken range.
    pub fn rule(&self, errors: &mut FieldErrors) -> PrepaymentFee {
        let kind = match self.kind {
            FeeKindName::None => FeeKind::None,
            FeeKindName::PercentOfRemaining => match self.rate {
                Some(rate) => FeeKind::PercentOfRemaining {
                    rate: fraction_in(
                        "prepaymentFee.rate",
                        rate,
                        Decimal::ZERO,
                        Decimal::ONE,
                        errors,
                    ),
                },
                None => {
                    errors.add(
                        "prepaymentFee.rate",
                        "required",
                        "percent_of_remaining needs a rate, e.g. \"0.02\"",
                    );
                    FeeKind::None
                }
            },
            FeeKindName::MonthsInterest => match self.months {
                Some(months) => FeeKind::MonthsInterest {
                    months: count_in("prepaymentFee.months", months, 1, 12, errors),
                },
                None => {
                    errors.add(
                        "prepaymentFee.months",
                        "required",
                        "months_interest needs months, e.g. 2",
                    );
                    FeeKind::None
                }
            },
        };
        PrepaymentFee {
            kind,
            free_after_months: self.free_after_months.map(|m| {
                count_in(
                    "prepaymentFee.freeAfterMonths",
                    m,
                    0,
                    MAX_TERM_MONTHS,
                    errors,
                )
            }),
            cap: self
                .cap
                .map(|c| non_negative_money("prepaymentFee.cap", c, errors)),
        }
    }
}

/// The payoff quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoffResponse {
    /// (a) Installments due on or before payoffDate and unpaid: principal, interest, penalty
    /// and compound interest.
    pub due_amount: Money,
    /// The penalty and compound interest inside dueAmount.
    pub penalty_interest: Money,
    pub compound_interest: Money,
    /// (b) Principal not yet due.
    pub remaining_principal: Money,
    /// Interest on (b) runs from this date (last due date on or before payoffDate, or the start).
    #[schema(value_type = String, format = Date)]
    pub interest_from_date: Date,
    pub accrued_days: i64,
    /// (c) Interest on (b) for accruedDays at the day rate, rounded once.
    pub accrued_interest: Money,
    /// (d) Prepayment fee on (b).
    pub fee: Money,
    /// (a) + (b) + (c) + (d).
    pub payoff_amount: Money,
}

/// Quotes the payoff of `request`.
pub fn payoff(request: &PayoffRequest) -> AppResult<PayoffResponse> {
    let mut errors = FieldErrors::new();
    let inputs = request.loan.inputs(&mut errors);
    let terms = &inputs.terms;
    let paid = count(request.installments_paid);
    if paid > terms.term_months.min(MAX_TERM_MONTHS) {
        errors.add(
            "installmentsPaid",
            "out_of_range",
            "installmentsPaid must be between 0 and termMonths",
        );
    }
    if request.payoff_date < terms.start_date {
        errors.add(
            "payoffDate",
            "before_start",
            "payoffDate must be on or after startDate",
        );
    }
    if request
        .payoff_basis
        .is_some_and(|b| b != PayoffBasis::Remaining)
        && terms.method != Method::Flat
    {
        errors.add(
            "payoffBasis",
            "not_applicable",
            "payoffBasis applies to flat loans only; leave it out",
        );
    }
    let fee = request
        .prepayment_fee
        .as_ref()
        .map_or_else(PrepaymentFee::default, |f| f.rule(&mut errors));
    let overdue = overdue_params(
        terms,
        request.penalty_multiplier,
        request.grace_days,
        &mut errors,
    );
    errors.finish()?;

    let schedule = crate::schedule::generate(terms)?;
    let options = PayoffOptions {
        fee,
        basis: request.payoff_basis.unwrap_or_default(),
        overdue,
    };
    let q = engine::quote(terms, &schedule, paid, request.payoff_date, &options)?;
    Ok(PayoffResponse {
        due_amount: fen(q.due_amount),
        penalty_interest: fen(q.penalty),
        compound_interest: fen(q.compound),
        remaining_principal: fen(q.remaining_principal),
        interest_from_date: q.interest_from,
        accrued_days: q.accrued_days,
        accrued_interest: fen(q.accrued_interest),
        fee: fen(q.fee),
        payoff_amount: fen(q.payoff_amount),
    })
}

/// Overdue parameters from the optional multiplier and grace days, checking both.
pub(super) fn overdue_params(
    terms: &crate::terms::LoanTerms,
    multiplier: Option<DecimalString>,
    grace_days: Option<i64>,
    errors: &mut FieldErrors,
) -> OverdueParams {
    let multiplier = multiplier.map_or(DEFAULT_MULTIPLIER, DecimalString::value);
    penalty::check_multiplier(multiplier, errors);
    let grace_days = count(grace_days.unwrap_or(0));
    penalty::check_grace_days(grace_days, errors);
    OverdueParams {
        annual_rate: terms.annual_rate,
        multiplier,
        grace_days,
        // Penalty counts days like every day-based amount, on the loan's basis (RULES.md §1).
        day_basis: terms.day_basis,
        round_daily: false,
        compound_on_penalty: false,
    }
}

//! `POST /api/v1/calculator/schedule`: the schedule, its totals, its APR and the cap check.

use kernel::error::FieldErrors;
use kernel::{AppResult, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::DecimalString;
use super::inputs::{count, fen, money, non_negative_money, rate};
use crate::apr::{self, CashFlows};
use crate::caps::{self, CapCheck, CapPolicy};
use crate::schedule::{self as engine, Installment, Schedule};
use crate::terms::{BulletInterest, DayBasis, LoanTerms, Method};

/// The terms of a loan to draw a schedule for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "method": "equal_installment", "principal": "100000.00", "annualRate": "0.12",
    "termMonths": 12, "startDate": "2026-01-31", "upfrontFees": "1000.00"
}))]
pub struct ScheduleRequest {
    pub method: Method,
    /// Principal lent, at most 2 decimal places.
    #[schema(example = "100000.00")]
    pub principal: DecimalString,
    /// Annual rate as a decimal fraction, at most 8 places ("0.12" is 12 %; a flat loan's
    /// quoted flat rate).
    #[schema(example = "0.12")]
    pub annual_rate: DecimalString,
    /// 1–360.
    #[schema(example = 12)]
    pub term_months: i64,
    /// Value date (起息日), YYYY-MM-DD.
    #[schema(value_type = String, format = Date, example = "2026-01-31")]
    pub start_date: Date,
    /// Fixed repayment day 1–28 (固定还款日); omitted: due on the start's day each month.
    /// Not for bullet loans.
    #[serde(default)]
    pub repayment_day: Option<i64>,
    /// 360 (default) or 365: the divisor of the day rate.
    #[serde(default)]
    pub day_basis: Option<i64>,
    /// Balloon loans only, 0 < ratio < 1 ("0.3").
    #[serde(default)]
    pub balloon_ratio: Option<DecimalString>,
    /// Bullet loans only: `months` (default) or `days`.
    #[serde(default)]
    pub bullet_interest: Option<BulletInterest>,
    /// Fees paid at signing; they count in the APR.
    #[serde(default)]
    pub upfront_fees: Option<DecimalString>,
    /// Fees paid with every installment (GPS, service); they count in the APR.
    #[serde(default)]
    pub period_fees: Option<DecimalString>,
    /// Picks the LPR for the cap check; default startDate.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub contract_date: Option<Date>,
    /// Minimum days of a broken first period, 0–28 (default 10).
    #[serde(default)]
    pub min_first_period_days: Option<i64>,
}

/// A request turned into the engine's terms.
pub(super) struct LoanInputs {
    pub terms: LoanTerms,
    pub upfront_fees: Money,
    pub period_fee: Money,
    pub contract_date: Date,
}

impl ScheduleRequest {
    /// Converts every field, adding an error for each one that breaks a rule.
    pub(super) fn inputs(&self, errors: &mut FieldErrors) -> LoanInputs {
        let day_basis = match self.day_basis {
            None => DayBasis::default(),
            Some(days) => DayBasis::from_days(days).unwrap_or_else(|| {
                errors.add("dayBasis", "invalid_value", "dayBasis must be 360 or 365");
                DayBasis::default()
            }),
        };
        if self.bullet_interest.is_some() && self.method != Method::Bullet {
            errors.add(
                "bulletInterest",
                "not_applicable",
                "bulletInterest applies to bullet loans only; leave it out",
            );
        }
        let terms = LoanTerms {
            method: self.method,
            principal: money("principal", self.principal, errors),
            annual_rate: rate("annualRate", self.annual_rate, errors),
            term_months: count(self.term_months),
            start_date: self.start_date,
            repayment_day: self.repayment_day.map(count),
            day_basis,
            balloon_ratio: self.balloon_ratio.map(DecimalString::value),
            bullet_interest: self.bullet_interest.unwrap_or_default(),
            min_first_period_days: self
                .min_first_period_days
                .map_or(crate::terms::DEFAULT_MIN_FIRST_PERIOD_DAYS, count),
        };
        terms.validate_into(errors);
        let fee = |field: &str, v: Option<DecimalString>, errors: &mut FieldErrors| {
            v.map_or(Money::ZERO, |v| non_negative_money(field, v, errors))
        };
        LoanInputs {
            upfront_fees: fee("upfrontFees", self.upfront_fees, errors),
            period_fee: fee("periodFees", self.period_fees, errors),
            contract_date: self.contract_date.unwrap_or(self.start_date),
            terms,
        }
    }
}

/// One row of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstallmentRow {
    pub period: u32,
    #[schema(value_type = String, format = Date, example = "2026-02-28")]
    pub due_date: Date,
    pub principal: Money,
    pub interest: Money,
    /// principal + interest (fees not included).
    pub total: Money,
    /// Principal left after this installment.
    pub remaining_principal: Money,
}

impl From<&Installment> for InstallmentRow {
    fn from(i: &Installment) -> Self {
        InstallmentRow {
            period: i.period,
            due_date: i.due_date,
            principal: fen(i.principal),
            interest: fen(i.interest),
            total: fen(i.total),
            remaining_principal: fen(i.remaining_principal),
        }
    }
}

/// The schedule with its totals and its annualised rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleResponse {
    pub installments: Vec<InstallmentRow>,
    pub total_principal: Money,
    pub total_interest: Money,
    /// totalPrincipal + totalInterest.
    pub total_payment: Money,
    /// upfrontFees + periodFees × installments.
    pub total_fees: Money,
    /// Simple APR (12·r) as a percent with 4 places.
    #[schema(value_type = String, example = "12.8000")]
    pub apr_simple_pct: Decimal,
    /// Compound APR ((1+r)^12 − 1) as a percent with 4 places.
    #[schema(value_type = String, example = "13.5826")]
    pub apr_compound_pct: Decimal,
    pub cap_check: CapCheck,
}

/// Draws the schedule of `request` and discloses its APR.
pub fn schedule(request: &ScheduleRequest) -> AppResult<ScheduleResponse> {
    let mut errors = FieldErrors::new();
    let inputs = request.inputs(&mut errors);
    errors.finish()?;
    let schedule = engine::generate(&inputs.terms)?;
    respond(&schedule, &inputs)
}

fn respond(schedule: &Schedule, inputs: &LoanInputs) -> AppResult<ScheduleResponse> {
    let flows = CashFlows::from_schedule(schedule, inputs.upfront_fees, inputs.period_fee);
    let apr = apr::solve(&flows)?;
    let n = Decimal::from(schedule.installments.len());
    Ok(ScheduleResponse {
        installments: schedule
            .installments
            .iter()
            .map(InstallmentRow::from)
            .collect(),
        total_principal: fen(schedule.total_principal()),
        total_interest: fen(schedule.total_interest()),
        total_payment: fen(schedule.total_payment()),
        total_fees: fen(inputs.upfront_fees + inputs.period_fee.times(n)),
        apr_simple_pct: apr.simple_pct,
        apr_compound_pct: apr.compound_pct,
        // The caps compare the simple APR rounded once to 2 places from its exact value, not
        // from the 4-place figure (12.00496 is 12.00, though its 4 places, 12.0050, would say 12.01).
        cap_check: caps::check(
            apr.simple_pct_exact(),
            inputs.contract_date,
            &CapPolicy::default(),
        ),
    })
}

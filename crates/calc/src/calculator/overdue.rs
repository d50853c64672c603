//! `POST /api/v1/calculator/overdue`: penalty and compound interest, days past due, the risk
//! class and the amount to cure on a date (RULES.md §3, §8).

use kernel::error::FieldErrors;
use kernel::{AppResult, Money};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::inputs::{count, fen};
use super::payoff::overdue_params;
use super::{DecimalString, ScheduleRequest};
use crate::classification::{ClassificationTable, RiskClass, is_non_accrual};
use crate::overdue as engine;
use crate::payoff::{check, unpaid_installments};

/// The loan's terms plus how much is paid and the date to assess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverdueRequest {
    #[serde(flatten)]
    pub loan: ScheduleRequest,
    /// Installments paid in full, in order; the others are wholly unpaid.
    #[schema(example = 2)]
    pub installments_paid: i64,
    #[schema(value_type = String, format = Date, example = "2026-06-15")]
    pub as_of: Date,
    /// Contract rate × this is the penalty rate; 1.0–2.0.
    #[schema(example = "1.5")]
    pub penalty_multiplier: DecimalString,
    /// An installment cured within this many days bears no penalty (default 0).
    #[serde(default)]
    pub grace_days: Option<i64>,
}

/// One installment past due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverdueInstallmentRow {
    pub period: u32,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// asOf − dueDate.
    pub overdue_days: i64,
    pub overdue_principal: Money,
    pub overdue_interest: Money,
    /// 罚息 on the overdue principal, rounded to the fen.
    pub penalty_interest: Money,
    /// 复利 on the overdue interest, rounded to the fen.
    pub compound_interest: Money,
}

/// The overdue picture on asOf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverdueResponse {
    pub installments: Vec<OverdueInstallmentRow>,
    pub total_penalty_interest: Money,
    pub total_compound_interest: Money,
    /// asOf − the oldest unpaid due date; 0 when nothing is past due.
    pub days_past_due: i64,
    /// The five-tier floor from daysPastDue (2023 table).
    pub risk_class: RiskClass,
    /// Days past due over 90: interest income stops being booked.
    pub non_accrual: bool,
    /// Unpaid principal + interest + penalty + compound of the installments past due.
    pub amount_to_cure: Money,
}

/// Assesses the overdue installments of `request`.
pub fn overdue(request: &OverdueRequest) -> AppResult<OverdueResponse> {
    let mut errors = FieldErrors::new();
    let inputs = request.loan.inputs(&mut errors);
    let terms = &inputs.terms;
    let paid = count(request.installments_paid);
    if paid > terms.term_months {
        errors.add(
            "installmentsPaid",
            "out_of_range",
            "installmentsPaid must be between 0 and termMonths",
        );
    }
    if request.as_of < terms.start_date {
        errors.add("asOf", "before_start", "asOf must be on or after startDate");
    }
    let params = overdue_params(
        terms,
        Some(request.penalty_multiplier),
        request.grace_days,
        &mut errors,
    );
    errors.finish()?;

    let schedule = crate::schedule::generate(terms)?;
    check(terms, &schedule, paid, request.as_of, "asOf")?;
    let due = schedule.due_on_or_before(request.as_of);
    let unpaid = unpaid_installments(&schedule, paid as usize, due);
    let a = engine::assess(&unpaid, request.as_of, &params);
    Ok(OverdueResponse {
        installments: a
            .lines
            .iter()
            .map(|l| OverdueInstallmentRow {
                period: l.period,
                due_date: l.due_date,
                overdue_days: l.overdue_days,
                overdue_principal: fen(l.principal),
                overdue_interest: fen(l.interest),
                penalty_interest: fen(l.penalty),
                compound_interest: fen(l.compound),
            })
            .collect(),
        total_penalty_interest: fen(a.total_penalty),
        total_compound_interest: fen(a.total_compound),
        days_past_due: a.days_past_due,
        risk_class: a.risk_class(&ClassificationTable::default()),
        non_accrual: is_non_accrual(a.days_past_due),
        amount_to_cure: fen(a.amount_to_cure),
    })
}

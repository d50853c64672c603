//! The worst-case APR of a product against the caps (RULES.md §5): a product is checked where
//! its borrower pays most — every allowed method at the highest rate with every fee — and its
//! simple APR there goes through [`calc::caps::check`].
//!
//! RULES.md names "shortest term, at the maximum amount" as that point. It is the worst point
//! for fees paid at signing on a percentage basis, but not for every product: a flat (等本等息)
//! loan's APR peaks inside its term range (at 14.4 % flat: 25.60 % over 12 months, 25.75 % over
//! 17, 25.03 % over 36), and a fixed fee weighs most on the smallest loan. So the check walks
//! the term range (every term when it spans at most 120 months; otherwise both ends and each
//! whole year between) at both ends of the amount range, and reports the highest APR found.
//! Past 120 months the yearly points are a sample, not a proof.

use calc::apr::{self, CashFlows};
use calc::caps::{self, CapCheck, CapPolicy};
use calc::{LoanTerms, Method};
use kernel::{AppError, AppResult, FieldError, Money, Rate, round_half_up};
use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use super::terms::ValidTerms;

/// Ranges up to this many months are walked term by term.
const FULL_SCAN_MONTHS: u32 = 120;

/// The APR of one loan the product allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AprCase {
    pub method: Method,
    pub term_months: u32,
    pub amount: Money,
    #[schema(value_type = String, example = "0.2399")]
    pub annual_rate: Rate,
    /// Fees paid at signing and with each installment, on this amount.
    pub upfront_fees: Money,
    pub period_fees: Money,
    /// Simple APR (12·r) as a percent, 4 places.
    #[schema(value_type = String, example = "23.9900")]
    pub apr_simple_pct: Decimal,
    #[schema(value_type = String, example = "26.8218")]
    pub apr_compound_pct: Decimal,
}

/// The product's worst case and its verdict against the caps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorstCase {
    /// The contract date whose LPR was used.
    #[schema(value_type = String, format = Date, example = "2026-03-02")]
    pub contract_date: Date,
    /// The loan with the highest APR.
    pub worst: AprCase,
    /// The worst loan of each allowed method, in the product's order.
    pub per_method: Vec<AprCase>,
    pub check: CapCheck,
}

/// The terms the check walks.
fn terms_to_check(min: u32, max: u32) -> Vec<u32> {
    if max - min <= FULL_SCAN_MONTHS {
        return (min..=max).collect();
    }
    let mut terms = vec![min];
    terms.extend((min / 12 + 1..).map(|y| y * 12).take_while(|&t| t < max));
    terms.push(max);
    terms
}

fn loan_terms(t: &ValidTerms, method: Method, amount: Money, n: u32, start: Date) -> LoanTerms {
    let mut terms = LoanTerms::new(method, amount, t.rate_max, n, start);
    terms.day_basis = t.day_basis;
    terms.balloon_ratio = (method == Method::Balloon)
        .then_some(t.balloon_ratio)
        .flatten();
    terms.min_first_period_days = t.min_first_period_days;
    terms
}

/// The APR of one loan, or a field error naming the end of the amount range that fails.
fn case(t: &ValidTerms, method: Method, amount: Money, n: u32, start: Date) -> AppResult<AprCase> {
    let field = if amount == t.amount_min {
        "amountMin"
    } else {
        "amountMax"
    };
    let at = |e: AppError| {
        let detail = e
            .field_errors
            .first()
            .map_or(e.message.clone(), |f| f.message.clone());
        AppError::validation(vec![FieldError::new(
            field,
            e.field_errors
                .first()
                .map_or(e.code.clone(), |f| f.code.clone()),
            format!(
                "a {} loan of {amount} over {n} months cannot be scheduled: {detail}",
                super::terms::method_name(method)
            ),
        )])
    };
    let schedule = calc::generate(&loan_terms(t, method, amount, n, start)).map_err(at)?;
    let upfront_fees = t.upfront_fees(amount);
    let period_fees = t.period_fees(amount);
    let flows = CashFlows::from_schedule(&schedule, upfront_fees, period_fees);
    let apr = apr::solve(&flows).map_err(|e| {
        AppError::validation(vec![FieldError::new(
            "fees",
            e.code.clone(),
            format!("on a loan of {amount}: {}", e.message),
        )])
    })?;
    Ok(AprCase {
        method,
        term_months: n,
        amount,
        annual_rate: t.rate_max,
        upfront_fees,
        period_fees,
        apr_simple_pct: apr.simple_pct,
        apr_compound_pct: apr.compound_pct,
    })
}

/// Finds the product's highest simple APR and checks it against `policy` on `contract_date`,
/// which is also the start of every trial schedule.
pub fn worst_case(t: &ValidTerms, contract_date: Date, policy: &CapPolicy) -> AppResult<WorstCase> {
    let terms = terms_to_check(t.term_months_min, t.term_months_max);
    let mut amounts = vec![t.amount_max];
    if t.amount_min != t.amount_max {
        amounts.push(t.amount_min);
    }
    // Cases are compared as the caps compare them, to 2 places; among equals the first wins
    // (the largest amount, the shortest term), so fen-rounding noise in the 4th place of an
    // annuity's APR does not pick an arbitrary term.
    let capped = |c: &AprCase| round_half_up(c.apr_simple_pct, 2);
    let mut per_method: Vec<AprCase> = Vec::new();
    for &method in &t.methods {
        let mut worst: Option<AprCase> = None;
        for &amount in &amounts {
            for &n in &terms {
                let c = case(t, method, amount, n, contract_date)?;
                if worst.as_ref().is_none_or(|w| capped(&c) > capped(w)) {
                    worst = Some(c);
                }
            }
        }
        per_method.extend(worst);
    }
    let worst = per_method
        .iter()
        .fold(None::<&AprCase>, |w, c| match w {
            Some(w) if capped(w) >= capped(c) => Some(w),
            _ => Some(c),
        })
        .cloned()
        .ok_or_else(|| AppError::invalid_field("methods", "required", "no method to check"))?;
    let check = caps::check(worst.apr_simple_pct, contract_date, policy);
    Ok(WorstCase {
        contract_date,
        worst,
        per_method,
        check,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProductTerms;
    use crate::domain::terms::tests::sample;
    use calc::caps::CapStatus;
    use serde_json::json;
    use time::macros::date;

    fn check(value: serde_json::Value) -> WorstCase {
        let terms: ProductTerms = serde_json::from_value(value).unwrap();
        worst_case(
            &terms.validate().unwrap(),
            date!(2026 - 03 - 02),
            &CapPolicy::default(),
        )
        .unwrap()
    }

    #[test]
    fn the_terms_walked_cover_both_ends() {
        assert_eq!(terms_to_check(12, 14), vec![12, 13, 14]);
        assert_eq!(terms_to_check(6, 126).len(), 121);
        assert_eq!(
            terms_to_check(6, 200),
            vec![
                6, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120, 132, 144, 156, 168, 180, 192, 200
            ]
        );
    }

    #[test]
    fn an_annuity_without_fees_costs_its_rate() {
        let mut v = sample();
        v["methods"] = json!(["equal_installment"]);
        v["fees"] = json!([]);
        let w = check(v);
        assert_eq!(w.check.apr_simple_pct_2dp, Decimal::new(1800, 2));
        assert_eq!(
            (w.worst.term_months, w.worst.amount),
            (12, Money::yuan(500_000))
        );
        assert_eq!(
            w.check.status,
            CapStatus::Warning,
            "18 % is above 4 × 3 % LPR"
        );
    }

    #[test]
    fn a_fixed_fee_weighs_most_on_the_smallest_shortest_loan() {
        let w = check(sample());
        assert_eq!(w.worst.amount, Money::yuan(20_000));
        assert_eq!(w.worst.term_months, 12);
        assert_eq!(w.per_method.len(), 2);
        assert!(w.worst.apr_simple_pct > Decimal::from(18));
    }

    #[test]
    fn a_flat_quote_peaks_inside_its_term_range_and_can_break_the_cap() {
        let mut v = sample();
        v["methods"] = json!(["flat"]);
        v["fees"] = json!([]);
        v["rateMin"] = json!("0.072");
        v["rateMax"] = json!("0.144");
        let w = check(v);
        assert_eq!(w.worst.term_months, 17);
        assert_eq!(w.worst.apr_simple_pct, Decimal::new(257458, 4));
        assert_eq!(w.check.status, CapStatus::Refused);
    }
}

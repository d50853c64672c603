//! Extension (展期), RULES.md §7: a new schedule from the extension date at the new rate and
//! term, within the cumulative limit of 贷款通则 §12 — original term ≤ 12 months: at most the
//! original term; ≤ 60 months: at most half of it (whole months, rounded down); longer: at most
//! 36 months. The guarantor's written consent and the restructuring class are the loan's
//! business; the arithmetic only checks the limit.

use kernel::date::add_months;
use kernel::{AppError, AppResult, Money, Rate};
use time::Date;

use crate::schedule::{self, Schedule};
use crate::terms::LoanTerms;

/// The most months a loan of `original_term_months` may be extended in total.
pub fn limit_months(original_term_months: u32) -> u32 {
    match original_term_months {
        0..=12 => original_term_months,
        13..=60 => original_term_months / 2,
        _ => 36,
    }
}

/// An extension request against the loan's original terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRequest {
    /// The terms the loan was signed under (term, method, repayment day, basis).
    pub original: LoanTerms,
    /// The maturity of the schedule in force (after earlier extensions, if any).
    pub current_maturity: Date,
    /// Months already granted by earlier extensions.
    pub extended_months_before: u32,
    /// The date the new schedule starts from, on or before the current maturity.
    pub extension_date: Date,
    /// Principal outstanding on the extension date.
    pub outstanding_principal: Money,
    pub new_annual_rate: Rate,
    /// Months of the new schedule, counted from the extension date.
    pub new_term_months: u32,
}

/// The extension granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// Months by which the maturity moves.
    pub extension_months: u32,
    /// Including earlier extensions.
    pub cumulative_months: u32,
    pub limit_months: u32,
    pub terms: LoanTerms,
    pub schedule: Schedule,
}

/// Checks the limit and draws the new schedule.
pub fn extend(request: &ExtensionRequest) -> AppResult<Extension> {
    if request.extension_date > request.current_maturity {
        return Err(AppError::invalid_field(
            "extensionDate",
            "after_maturity",
            "an extension takes effect on or before the current maturity",
        ));
    }
    let new_maturity = add_months(request.extension_date, request.new_term_months);
    if new_maturity <= request.current_maturity {
        return Err(AppError::invalid_field(
            "newTermMonths",
            "not_an_extension",
            "the new term must end after the current maturity",
        ));
    }
    let extension_months = months_to_cover(request.current_maturity, new_maturity);
    let cumulative_months = request.extended_months_before + extension_months;
    let limit = limit_months(request.original.term_months);
    if cumulative_months > limit {
        return Err(AppError::invalid_field(
            "newTermMonths",
            "extension_limit_exceeded",
            format!(
                "extensions may add at most {limit} months in total for a {}-month loan; \
                 this one would make {cumulative_months}",
                request.original.term_months
            ),
        ));
    }
    let terms = LoanTerms {
        principal: request.outstanding_principal,
        annual_rate: request.new_annual_rate,
        term_months: request.new_term_months,
        start_date: request.extension_date,
        ..request.original.clone()
    };
    let schedule = schedule::generate(&terms)?;
    Ok(Extension {
        extension_months,
        cumulative_months,
        limit_months: limit,
        terms,
        schedule,
    })
}

/// The fewest whole months after `from` that reach `to`.
fn months_to_cover(from: Date, to: Date) -> u32 {
    (1..)
        .find(|&m| add_months(from, m) >= to)
        .unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Method;
    use rust_decimal_macros::dec;
    use time::macros::date;

    #[test]
    fn limits_follow_the_general_rules_on_loans() {
        assert_eq!(limit_months(6), 6);
        assert_eq!(limit_months(12), 12);
        assert_eq!(limit_months(13), 6);
        assert_eq!(limit_months(36), 18);
        assert_eq!(limit_months(60), 30);
        assert_eq!(limit_months(72), 36);
    }

    fn request(new_term_months: u32, before: u32) -> ExtensionRequest {
        let original = LoanTerms::new(
            Method::EqualInstallment,
            Money::yuan(100_000),
            Rate::annual(dec!(0.12)).unwrap(),
            12,
            date!(2026 - 01 - 31),
        );
        ExtensionRequest {
            original,
            current_maturity: date!(2027 - 01 - 31),
            extended_months_before: before,
            extension_date: date!(2026 - 10 - 31),
            outstanding_principal: Money::yuan(30_000),
            new_annual_rate: Rate::annual(dec!(0.10)).unwrap(),
            new_term_months,
        }
    }

    #[test]
    fn an_extension_within_the_limit_regenerates_the_schedule() {
        let e = extend(&request(9, 0)).unwrap();
        assert_eq!(e.extension_months, 6);
        assert_eq!(e.schedule.installments.len(), 9);
        assert_eq!(e.schedule.total_principal(), Money::yuan(30_000));
        assert_eq!(e.schedule.installments[0].due_date, date!(2026 - 11 - 30));
    }

    #[test]
    fn cumulative_extensions_past_the_limit_are_refused() {
        let e = extend(&request(9, 7)).unwrap_err();
        assert_eq!(e.field_errors[0].code, "extension_limit_exceeded");
        assert!(extend(&request(3, 0)).is_err());
    }
}

//! Turning parsed request fields into the engine's types, collecting one field error per
//! broken rule. A bad field is replaced by a stand-in so the other fields are still checked,
//! and the caller fails once with every error.

use kernel::error::FieldErrors;
use kernel::money::MoneyError;
use kernel::{Money, Rate};
use rust_decimal::Decimal;

use super::DecimalString;

/// An amount with at most 2 places; negative ones are refused unless `allow_negative`.
pub fn money(field: &str, value: DecimalString, errors: &mut FieldErrors) -> Money {
    match Money::from_decimal(value.0) {
        Ok(m) => m,
        Err(e) => {
            let message = match e {
                MoneyError::TooManyDecimals => {
                    format!(
                        "{field} has more than 2 decimal places; amounts are in yuan to the fen"
                    )
                }
                MoneyError::NotANumber => format!("{field} is not a number"),
            };
            errors.add(field, e.code(), message);
            Money::round(value.0)
        }
    }
}

/// An amount that may be zero but not negative (fees, caps).
pub fn non_negative_money(field: &str, value: DecimalString, errors: &mut FieldErrors) -> Money {
    let amount = money(field, value, errors);
    if amount.is_negative() {
        errors.add(
            field,
            "must_not_be_negative",
            format!("{field} must be 0 or more"),
        );
        return Money::ZERO;
    }
    amount
}

/// An annual rate: a decimal fraction with at most 8 places, not negative.
pub fn rate(field: &str, value: DecimalString, errors: &mut FieldErrors) -> Rate {
    Rate::annual(value.0).unwrap_or_else(|e| {
        let message = match e {
            kernel::rate::RateError::TooManyDecimals => {
                format!("{field} has more than 8 decimal places")
            }
            kernel::rate::RateError::Negative => format!("{field} must be 0 or more"),
            kernel::rate::RateError::NotANumber => format!("{field} is not a number"),
        };
        errors.add(field, e.code(), message);
        Rate::ZERO
    })
}

/// A count from JSON as `u32`; a negative one becomes `u32::MAX`, which every range check
/// refuses with the field's own "between … and …" message.
pub fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A count within `low..=high`, else an `out_of_range` error and `low`.
pub fn count_in(field: &str, value: i64, low: u32, high: u32, errors: &mut FieldErrors) -> u32 {
    let v = count(value);
    if (low..=high).contains(&v) {
        v
    } else {
        errors.add(
            field,
            "out_of_range",
            format!("{field} must be between {low} and {high}"),
        );
        low
    }
}

/// A fraction within `[low, high]`.
pub fn fraction_in(
    field: &str,
    value: DecimalString,
    low: Decimal,
    high: Decimal,
    errors: &mut FieldErrors,
) -> Decimal {
    if value.0 < low || value.0 > high {
        errors.add(
            field,
            "out_of_range",
            format!("{field} must be between {low} and {high}"),
        );
        return low;
    }
    value.0
}

/// The amount with exactly two places, as every answer shows it. (`Money::ZERO` and sums of
/// nothing carry scale 0 and would print "0".)
pub fn fen(amount: Money) -> Money {
    Money::round(amount.amount())
}

//! 气球贷 — balloon (RULES.md §2.6): an annuity sized to leave B = round(P·ratio) for the last
//! period. Its periods then follow [`super::annuity::amounts`].

use kernel::{Money, Rate};
use rust_decimal::Decimal;

use super::annuity::discount_factor;

/// B = round(P·ratio).
pub fn balloon_amount(principal: Money, ratio: Decimal) -> Money {
    principal.times(ratio)
}

/// PMT = round((P − B·v^n)·r / (1 − v^n)); zero rate: round((P − B)/n), the limit of the same
/// formula.
pub fn installment(principal: Money, rate: Rate, n: u32, balloon: Money) -> Money {
    let monthly_rate = rate.monthly();
    if monthly_rate.is_zero() {
        return Money::round((principal - balloon).amount() / Decimal::from(n));
    }
    let v_n = discount_factor(monthly_rate, n);
    Money::round(
        (principal.amount() - balloon.amount() * v_n) * monthly_rate / (Decimal::ONE - v_n),
    )
}

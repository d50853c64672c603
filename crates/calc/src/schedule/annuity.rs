//! 等额本息 — equal installments (RULES.md §2.1). The balloon method shares the loop below with
//! its own installment.

use kernel::{Money, Rate};
use rust_decimal::Decimal;

use super::{Amounts, month_interest};

/// PMT = round(P·r / (1 − v^n)) with v = 1/(1+r), which is P·r·(1+r)^n / ((1+r)^n − 1)
/// written so that (1+r)^n never has to be held for long terms; zero rate: round(P/n).
pub fn installment(principal: Money, rate: Rate, n: u32) -> Money {
    let monthly_rate = rate.monthly();
    if monthly_rate.is_zero() {
        return Money::round(principal.amount() / Decimal::from(n));
    }
    let v_n = discount_factor(monthly_rate, n);
    Money::round(principal.amount() * monthly_rate / (Decimal::ONE - v_n))
}

/// v^n = (1+r)^−n, unrounded.
pub fn discount_factor(monthly_rate: Decimal, n: u32) -> Decimal {
    let growth = pow(Decimal::ONE + monthly_rate, n);
    Decimal::ONE / growth
}

/// x^n by squaring; Decimal keeps 28 significant digits at each step.
pub fn pow(x: Decimal, mut n: u32) -> Decimal {
    let mut base = x;
    let mut acc = Decimal::ONE;
    while n > 0 {
        if n & 1 == 1 {
            acc *= base;
        }
        n >>= 1;
        if n > 0 {
            base *= base;
        }
    }
    acc
}

/// For k < n: I_k = round(Bal·r), principal = PMT − I_k; period n repays the whole balance
/// with its interest. `first_interest` replaces period 1's interest for a broken period while
/// its principal stays PMT − round(P·r) (RULES.md §2.7).
pub fn amounts(
    principal: Money,
    rate: Rate,
    n: u32,
    pmt: Money,
    first_interest: Option<Money>,
) -> Vec<Amounts> {
    let mut balance = principal;
    let mut out = Vec::with_capacity(n as usize);
    for k in 1..=n {
        let scheduled_interest = month_interest(balance, rate);
        let paid_principal = if k == n {
            balance
        } else {
            pmt - scheduled_interest
        };
        let interest = match (k, first_interest) {
            (1, Some(days)) => days,
            _ => scheduled_interest,
        };
        balance -= paid_principal;
        out.push(Amounts {
            principal: paid_principal,
            interest,
        });
    }
    out
}

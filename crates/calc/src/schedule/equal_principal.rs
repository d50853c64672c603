//! 等额本金 — equal principal (RULES.md §2.2).

use kernel::{Money, Rate};

use super::{Amounts, month_interest};

/// round(P/n), the principal of every period but the last.
pub fn per_period(principal: Money, n: u32) -> Money {
    Money::round(principal.amount() / rust_decimal::Decimal::from(n))
}

/// principal_k = `per_period` for k < n, the remainder at n; I_k = round(Bal(k−1)·r), or the
/// broken period's day interest for k = 1. Stops early when the balance is repaid, which only
/// a prepayment that keeps the per-period principal asks for.
pub fn amounts(
    principal: Money,
    rate: Rate,
    n: u32,
    per_period: Money,
    first_interest: Option<Money>,
) -> Vec<Amounts> {
    let mut balance = principal;
    let mut out = Vec::with_capacity(n as usize);
    for k in 1..=n {
        let interest = match (k, first_interest) {
            (1, Some(days)) => days,
            _ => month_interest(balance, rate),
        };
        let paid_principal = if k == n { balance } else { per_period };
        balance -= paid_principal;
        out.push(Amounts {
            principal: paid_principal,
            interest,
        });
    }
    out
}

//! 先息后本 — interest every period, principal at maturity (RULES.md §2.3).

use kernel::{Money, Rate};

use super::{Amounts, month_interest};

/// I_k = round(P·r) every period (day interest for a broken first one); P at period n.
pub fn amounts(
    principal: Money,
    rate: Rate,
    n: u32,
    first_interest: Option<Money>,
) -> Vec<Amounts> {
    let interest = month_interest(principal, rate);
    (1..=n)
        .map(|k| Amounts {
            principal: if k == n { principal } else { Money::ZERO },
            interest: match (k, first_interest) {
                (1, Some(days)) => days,
                _ => interest,
            },
        })
        .collect()
}

//! 等本等息 — flat rate, the usual car-loan quote (RULES.md §2.4). Interest is charged on the
//! original principal every period, so the true cost is far above the quote: show the APR.

use kernel::{Money, Rate};

use super::{Amounts, equal_principal, month_interest};

/// principal_k = round(P/n) (remainder at n); I_k = round(P·r) every period, or the broken
/// period's day interest for k = 1.
pub fn amounts(
    principal: Money,
    rate: Rate,
    n: u32,
    first_interest: Option<Money>,
) -> Vec<Amounts> {
    let per_period = equal_principal::per_period(principal, n);
    let interest = month_interest(principal, rate);
    let mut balance = principal;
    (1..=n)
        .map(|k| {
            let paid_principal = if k == n { balance } else { per_period };
            balance -= paid_principal;
            Amounts {
                principal: paid_principal,
                interest: match (k, first_interest) {
                    (1, Some(days)) => days,
                    _ => interest,
                },
            }
        })
        .collect()
}

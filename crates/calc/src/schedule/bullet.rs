//! 一次性还本付息 — bullet (RULES.md §2.5): one payment at maturity.

use super::{Amounts, Period, day_interest};
use crate::interest::months_interest;
use crate::terms::{BulletInterest, LoanTerms};

/// P + round(P·r·n) by whole months, or P + round(P·i·days/basis) by actual days.
pub fn amounts(terms: &LoanTerms, period: &Period) -> Amounts {
    let p = terms.principal;
    let interest = match terms.bullet_interest {
        BulletInterest::Months => months_interest(p, terms.annual_rate, terms.term_months),
        BulletInterest::Days => day_interest(p, terms.annual_rate, terms.day_basis, period.days()),
    };
    Amounts {
        principal: p,
        interest,
    }
}

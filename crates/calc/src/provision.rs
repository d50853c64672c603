//! Loan-loss provisions (贷款损失准备), RULES.md §8: a specific rate per class on each loan's
//! balance, rounded per loan; a general provision on gross loans; coverage of non-performing
//! loans.

use kernel::error::FieldErrors;
use kernel::{AppResult, Money, round_half_up};
use rust_decimal::Decimal;

use crate::classification::RiskClass;

/// The provision rates a company has set, each within the range RULES.md allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvisionRates {
    pub normal: Decimal,
    pub special_mention: Decimal,
    /// 20–30 %.
    pub substandard: Decimal,
    /// 40–60 %.
    pub doubtful: Decimal,
    pub loss: Decimal,
    /// On gross loans.
    pub general: Decimal,
}

impl Default for ProvisionRates {
    /// 0 %, 2 %, 25 %, 50 %, 100 %; general 1 %.
    fn default() -> Self {
        ProvisionRates {
            normal: Decimal::ZERO,
            special_mention: Decimal::new(2, 2),
            substandard: Decimal::new(25, 2),
            doubtful: Decimal::new(50, 2),
            loss: Decimal::ONE,
            general: Decimal::new(1, 2),
        }
    }
}

impl ProvisionRates {
    /// Refuses rates outside their ranges (substandard 20–30 %, doubtful 40–60 %, others 0–100 %).
    pub fn validate(&self) -> AppResult<()> {
        let pct = |n: i64| Decimal::new(n, 2);
        let checks = [
            ("normal", self.normal, pct(0), pct(100)),
            ("specialMention", self.special_mention, pct(0), pct(100)),
            ("substandard", self.substandard, pct(20), pct(30)),
            ("doubtful", self.doubtful, pct(40), pct(60)),
            ("loss", self.loss, pct(0), pct(100)),
            ("general", self.general, pct(0), pct(100)),
        ];
        let mut errors = FieldErrors::new();
        for (field, rate, low, high) in checks {
            if rate < low || rate > high {
                errors.add(
                    field,
                    "out_of_range",
                    format!("{field} must be between {low} and {high}"),
                );
            }
        }
        errors.finish()
    }

    pub fn specific_rate(&self, class: RiskClass) -> Decimal {
        match class {
            RiskClass::Normal => self.normal,
            RiskClass::SpecialMention => self.special_mention,
            RiskClass::Substandard => self.substandard,
            RiskClass::Doubtful => self.doubtful,
            RiskClass::Loss => self.loss,
        }
    }
}

/// One loan's specific provision: round(balance × class rate), rounded per loan.
pub fn specific(balance: Money, class: RiskClass, rates: &ProvisionRates) -> Money {
    balance.times(rates.specific_rate(class))
}

/// One loan as the portfolio sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanBalance {
    pub balance: Money,
    pub class: RiskClass,
}

/// Provisions of a portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortfolioProvision {
    pub gross_loans: Money,
    /// Σ of the per-loan specific provisions.
    pub specific: Money,
    /// round(gross × general rate).
    pub general: Money,
    /// specific + general: the balance 1304 should hold.
    pub allowance: Money,
    /// 次级 + 可疑 + 损失 balances.
    pub non_performing: Money,
    /// allowance ÷ non-performing, as a percent rounded half-up to 2 places; `None` without
    /// non-performing loans.
    pub coverage_pct: Option<Decimal>,
}

pub fn portfolio(loans: &[LoanBalance], rates: &ProvisionRates) -> PortfolioProvision {
    let gross_loans: Money = loans.iter().map(|l| l.balance).sum();
    let specific: Money = loans
        .iter()
        .map(|l| self::specific(l.balance, l.class, rates))
        .sum();
    let general = gross_loans.times(rates.general);
    let allowance = specific + general;
    let non_performing: Money = loans
        .iter()
        .filter(|l| l.class.is_non_performing())
        .map(|l| l.balance)
        .sum();
    let coverage_pct = (!non_performing.is_zero()).then(|| {
        round_half_up(
            allowance.amount() * Decimal::ONE_HUNDRED / non_performing.amount(),
            2,
        )
    });
    PortfolioProvision {
        gross_loans,
        specific,
        general,
        allowance,
        non_performing,
        coverage_pct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn provisions_round_per_loan_and_cover_the_npls() {
        let rates = ProvisionRates::default();
        let loans = [
            LoanBalance {
                balance: Money::from_fen(100_050),
                class: RiskClass::SpecialMention,
            },
            LoanBalance {
                balance: Money::yuan(10_000),
                class: RiskClass::Substandard,
            },
            LoanBalance {
                balance: Money::yuan(2_000),
                class: RiskClass::Loss,
            },
        ];
        // 1000.50 × 2 % = 20.01; 2500; 2000.
        let p = portfolio(&loans, &rates);
        assert_eq!(p.specific, Money::from_fen(452_001));
        assert_eq!(p.general, Money::from_fen(13_001));
        assert_eq!(p.non_performing, Money::yuan(12_000));
        assert_eq!(p.coverage_pct, Some(dec!(38.75)));
        assert!(rates.validate().is_ok());
        let bad = ProvisionRates {
            substandard: dec!(0.35),
            ..rates
        };
        assert!(bad.validate().is_err());
    }
}

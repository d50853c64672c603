//! Allocation of a payment over what is owed (还款冲抵顺序), RULES.md §4. The default is
//! 民法典 §561's order across installments: fees → penalty → compound interest → interest →
//! principal, each component over the oldest installment first. The alternative settles
//! installment by installment. Whatever is left is an overpayment held as a credit balance
//! (2241), never swallowed.

use kernel::{AppResult, Money};

/// A component of what an installment owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Component {
    /// 费用
    Fees,
    /// 罚息
    Penalty,
    /// 复利
    Compound,
    /// 利息
    Interest,
    /// 本金
    Principal,
}

impl Component {
    /// The default order.
    pub const DEFAULT_ORDER: [Component; 5] = [
        Component::Fees,
        Component::Penalty,
        Component::Compound,
        Component::Interest,
        Component::Principal,
    ];
}

/// The product's allocation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocationRule {
    /// Component order, applied within each pass.
    pub components: [Component; 5],
    /// `false`: one pass per component across all installments (default);
    /// `true`: each installment fully, in component order, before the next.
    pub installment_by_installment: bool,
}

impl Default for AllocationRule {
    fn default() -> Self {
        AllocationRule {
            components: Component::DEFAULT_ORDER,
            installment_by_installment: false,
        }
    }
}

/// What one installment owes (or, in an [`Allocation`], what it received), per component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owed {
    pub period: u32,
    pub fees: Money,
    pub penalty: Money,
    pub compound: Money,
    pub interest: Money,
    pub principal: Money,
}

impl Owed {
    pub fn zero(period: u32) -> Owed {
        Owed {
            period,
            fees: Money::ZERO,
            penalty: Money::ZERO,
            compound: Money::ZERO,
            interest: Money::ZERO,
            principal: Money::ZERO,
        }
    }

    pub fn get(&self, c: Component) -> Money {
        match c {
            Component::Fees => self.fees,
            Component::Penalty => self.penalty,
            Component::Compound => self.compound,
            Component::Interest => self.interest,
            Component::Principal => self.principal,
        }
    }

    fn slot(&mut self, c: Component) -> &mut Money {
        match c {
            Component::Fees => &mut self.fees,
            Component::Penalty => &mut self.penalty,
            Component::Compound => &mut self.compound,
            Component::Interest => &mut self.interest,
            Component::Principal => &mut self.principal,
        }
    }

    pub fn total(&self) -> Money {
        self.fees + self.penalty + self.compound + self.interest + self.principal
    }
}

/// One amount applied to one component of one installment, in the order applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocationLine {
    pub period: u32,
    pub component: Component,
    pub amount: Money,
}

/// The exact split of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub lines: Vec<AllocationLine>,
    /// Per installment (in the order given), what each component received.
    pub applied: Vec<Owed>,
    /// The overpayment, held as a credit balance.
    pub credit_balance: Money,
}

/// Splits `payment` over `owed` (oldest installment first, as given) by `rule`.
pub fn allocate(payment: Money, owed: &[Owed], rule: &AllocationRule) -> AppResult<Allocation> {
    if payment.is_negative() {
        return Err(kernel::AppError::invalid_field(
            "amount",
            "must_not_be_negative",
            "a payment cannot be negative; record a reversal instead",
        ));
    }
    let mut left = payment;
    let mut lines = Vec::new();
    let mut applied: Vec<Owed> = owed.iter().map(|o| Owed::zero(o.period)).collect();
    let mut apply = |k: usize, c: Component, left: &mut Money| {
        let take = owed[k].get(c).max(Money::ZERO).min(*left);
        if take.is_positive() {
            *left -= take;
            *applied[k].slot(c) += take;
            lines.push(AllocationLine {
                period: owed[k].period,
                component: c,
                amount: take,
            });
        }
    };
    if rule.installment_by_installment {
        for k in 0..owed.len() {
            for c in rule.components {
                apply(k, c, &mut left);
            }
        }
    } else {
        for c in rule.components {
            for k in 0..owed.len() {
                apply(k, c, &mut left);
            }
        }
    }
    Ok(Allocation {
        lines,
        applied,
        credit_balance: left,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owed(period: u32, penalty: i64, interest: i64, principal: i64) -> Owed {
        Owed {
            period,
            fees: Money::ZERO,
            penalty: Money::yuan(penalty),
            compound: Money::ZERO,
            interest: Money::yuan(interest),
            principal: Money::yuan(principal),
        }
    }

    #[test]
    fn default_order_pays_all_penalties_before_any_principal() {
        let o = [owed(1, 10, 100, 1000), owed(2, 5, 90, 1010)];
        let a = allocate(Money::yuan(300), &o, &AllocationRule::default()).unwrap();
        assert_eq!(a.applied[0].penalty, Money::yuan(10));
        assert_eq!(a.applied[1].penalty, Money::yuan(5));
        assert_eq!(a.applied[0].interest, Money::yuan(100));
        assert_eq!(a.applied[1].interest, Money::yuan(90));
        assert_eq!(a.applied[0].principal, Money::yuan(95));
        assert_eq!(a.applied[1].principal, Money::ZERO);
        assert_eq!(a.credit_balance, Money::ZERO);
    }

    #[test]
    fn installment_by_installment_settles_the_oldest_first() {
        let o = [owed(1, 10, 100, 1000), owed(2, 5, 90, 1010)];
        let rule = AllocationRule {
            installment_by_installment: true,
            ..AllocationRule::default()
        };
        let a = allocate(Money::yuan(1200), &o, &rule).unwrap();
        assert_eq!(a.applied[0].total(), Money::yuan(1110));
        assert_eq!(a.applied[1].penalty, Money::yuan(5));
        assert_eq!(a.applied[1].interest, Money::yuan(85));
    }

    #[test]
    fn an_overpayment_is_held_as_credit() {
        let o = [owed(1, 0, 100, 1000)];
        let a = allocate(Money::yuan(1500), &o, &AllocationRule::default()).unwrap();
        assert_eq!(a.credit_balance, Money::yuan(400));
    }
}

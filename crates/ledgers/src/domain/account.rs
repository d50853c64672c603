//! Accounts (会计科目) and the codes the loan books post to.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an account sits in the statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 资产
    Asset,
    /// 负债
    Liability,
    /// 所有者权益
    Equity,
    /// 损益
    ProfitAndLoss,
}

impl Category {
    pub fn parse(s: &str) -> Option<Category> {
        match s {
            "asset" => Some(Category::Asset),
            "liability" => Some(Category::Liability),
            "equity" => Some(Category::Equity),
            "profit_and_loss" => Some(Category::ProfitAndLoss),
            _ => None,
        }
    }
}

/// The side on which an account's balance normally stands (余额方向).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Debit,
    Credit,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "debit" => Some(Direction::Debit),
            "credit" => Some(Direction::Credit),
            _ => None,
        }
    }
}

/// The accounts the loan books use (RULES.md §9, §10).
pub mod codes {
    pub const CASH: &str = "1001";
    pub const BANK: &str = "1002";
    pub const OTHER_FUNDS: &str = "1012";
    pub const INTEREST_RECEIVABLE: &str = "1132";
    pub const LOANS: &str = "1303";
    /// 贷款-本金-正常
    pub const PRINCIPAL_NORMAL: &str = "130301";
    /// 贷款-本金-逾期
    pub const PRINCIPAL_OVERDUE: &str = "130302";
    /// 贷款-本金-展期
    pub const PRINCIPAL_EXTENDED: &str = "130303";
    /// 贷款-已减值
    pub const PRINCIPAL_IMPAIRED: &str = "130304";
    /// 应交税费-应交增值税(销项税额)
    pub const OUTPUT_VAT: &str = "222101";
    /// 贷款损失准备-单项 (per loan) and -一般 (the book as a whole).
    pub const ALLOWANCE_SPECIFIC: &str = "130401";
    pub const ALLOWANCE_GENERAL: &str = "130402";
    /// 信用减值损失.
    pub const CREDIT_IMPAIRMENT: &str = "6701";
    /// 其他应付款-客户溢缴款
    pub const CUSTOMER_CREDIT: &str = "224101";
    /// 利息收入-正常利息
    pub const INTEREST_INCOME: &str = "601101";
    /// 利息收入-罚息
    pub const PENALTY_INCOME: &str = "601102";
    /// 利息收入-复利
    pub const COMPOUND_INCOME: &str = "601103";
    /// 手续费及佣金收入
    pub const FEE_INCOME: &str = "6021";
    /// 本年利润
    pub const CURRENT_YEAR_PROFIT: &str = "4103";
    /// 利润分配
    pub const PROFIT_DISTRIBUTION: &str = "4104";
}

/// Whether `code` is `parent` or below it: codes grow by two digits per level.
pub fn is_within(code: &str, parent: &str) -> bool {
    code.starts_with(parent)
}

/// A sub-account's code is its parent's followed by two digits.
pub fn is_child_code(code: &str, parent: &str) -> bool {
    code.len() == parent.len() + 2
        && code.starts_with(parent)
        && code[parent.len()..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_account_extends_its_parent_by_two_digits() {
        assert!(is_child_code("130301", "1303"));
        assert!(!is_child_code("1303011", "1303"));
        assert!(!is_child_code("130401", "1303"));
        assert!(!is_child_code("1303ab", "1303"));
        assert!(is_within("130301", "1303"));
        assert!(!is_within("1304", "1303"));
    }
}

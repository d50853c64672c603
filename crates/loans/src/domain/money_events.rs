//! The maker-checker states of money events and of the loan they create (DESIGN.md §5): a
//! registration (登记) waits for a second person's review or confirmation (复核/确认).

use kernel::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A loan's state once money has moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    /// 正常/在贷: disbursed and not yet paid off.
    Active,
    /// 结清: everything owed is paid.
    Settled,
}

/// 放款登记 → 放款复核.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisbursementStatus {
    Registered,
    Approved,
    Rejected,
}

/// 还款登记 → 还款财务确认.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentStatus {
    Registered,
    Confirmed,
    Rejected,
    Reversed,
}

/// 冲正申请: requested, then approved or rejected by someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReversalStatus {
    Requested,
    Approved,
    Rejected,
}

/// How the money came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentChannel {
    /// 现金
    Cash,
    /// 银行转账
    BankTransfer,
    /// 第三方支付/代扣渠道
    Channel,
    /// 溢缴款: no money comes in; the daily close spends the loan's credit balance (224101).
    CreditBalance,
}

/// What a repayment is for. Payoff and partial prepayment (提前还款) come with their quotes;
/// `credit_application` (溢缴款冲抵) is made by the daily close alone, never registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentKind {
    Regular,
    Payoff,
    Prepayment,
    CreditApplication,
}

/// What a partial prepayment keeps (RULES.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reamortisation {
    /// 缩减月供: the same number of periods, smaller installments.
    KeepTerm,
    /// 缩短期限: the installment now in force, fewer periods.
    KeepInstallment,
}

impl From<Reamortisation> for calc::prepayment::Reamortisation {
    fn from(r: Reamortisation) -> Self {
        match r {
            Reamortisation::KeepTerm => calc::prepayment::Reamortisation::KeepTerm,
            Reamortisation::KeepInstallment => calc::prepayment::Reamortisation::KeepInstallment,
        }
    }
}

macro_rules! text_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> Result<Self, AppError> {
                match s {
                    $($s => Ok(<$t>::$v),)*
                    other => Err(AppError::internal(format!("unknown {} {other}", stringify!($t)))),
                }
            }
        }
    };
}

text_enum!(LoanStatus { Active => "active", Settled => "settled" });
text_enum!(DisbursementStatus { Registered => "registered", Approved => "approved", Rejected => "rejected" });
text_enum!(RepaymentStatus { Registered => "registered", Confirmed => "confirmed", Rejected => "rejected", Reversed => "reversed" });
text_enum!(ReversalStatus { Requested => "requested", Approved => "approved", Rejected => "rejected" });
text_enum!(RepaymentChannel { Cash => "cash", BankTransfer => "bank_transfer", Channel => "channel", CreditBalance => "credit_balance" });
text_enum!(RepaymentKind { Regular => "regular", Payoff => "payoff", Prepayment => "prepayment", CreditApplication => "credit_application" });
text_enum!(Reamortisation { KeepTerm => "keep_term", KeepInstallment => "keep_installment" });

/// The checker's decision on a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckDecision {
    Approve,
    Reject,
}

/// A registration is checked once, by someone other than its maker.
pub fn check_registration(
    what: &str,
    registered: bool,
    registered_by: i64,
    checker: i64,
) -> Result<(), AppError> {
    if !registered {
        return Err(AppError::conflict(
            "invalid_transition",
            format!("this {what} has already been checked"),
        ));
    }
    if registered_by == checker {
        return Err(AppError::forbidden(
            "maker_checker",
            format!("the person who registered a {what} cannot also check it"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_maker_never_checks_and_nothing_is_checked_twice() {
        assert_eq!(
            check_registration("repayment", true, 7, 7)
                .unwrap_err()
                .code,
            "maker_checker"
        );
        assert_eq!(
            check_registration("repayment", false, 7, 8)
                .unwrap_err()
                .code,
            "invalid_transition"
        );
        assert!(check_registration("repayment", true, 7, 8).is_ok());
    }

    #[test]
    fn states_read_back_as_written() {
        for s in [
            RepaymentStatus::Registered,
            RepaymentStatus::Confirmed,
            RepaymentStatus::Reversed,
        ] {
            assert_eq!(RepaymentStatus::parse(s.as_str()).unwrap(), s);
        }
        assert!(LoanStatus::parse("closed").is_err());
    }
}

//! The pure model of approval flows: the graph, the business types, the actions.

pub mod committee;
pub mod graph;

pub use graph::{
    Assignee, Condition, DiagramPosition, END, Exit, Fact, Facts, FlowGraph, Op, Step,
};

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a flow decides. One flow definition per type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum BusinessType {
    /// 授信审核
    #[sea_orm(string_value = "credit_line")]
    CreditLine,
    /// 贷款审批
    #[sea_orm(string_value = "loan_application")]
    LoanApplication,
    /// 展期
    #[sea_orm(string_value = "extension")]
    Extension,
    /// 债权转让
    #[sea_orm(string_value = "debt_transfer")]
    DebtTransfer,
    /// 核销
    #[sea_orm(string_value = "write_off")]
    WriteOff,
    /// 五级分类调整
    #[sea_orm(string_value = "classification_change")]
    ClassificationChange,
    /// 合同变更
    #[sea_orm(string_value = "contract_change")]
    ContractChange,
    /// 手工凭证
    #[sea_orm(string_value = "manual_voucher")]
    ManualVoucher,
}

/// What a person does with a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Pass it on along the flow's exits.
    Approve,
    /// End the flow: the application is declined.
    Reject,
    /// Send it back to an earlier step, or to the applicant to amend and resubmit.
    Return,
    /// Hand the task to another user.
    Transfer,
}

/// Where an instance stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    #[sea_orm(string_value = "running")]
    Running,
    /// With the applicant to amend; resubmission starts again at the first step.
    #[sea_orm(string_value = "returned")]
    Returned,
    #[sea_orm(string_value = "approved")]
    Approved,
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Withdrawn by the business before a decision.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl InstanceStatus {
    pub fn is_final(self) -> bool {
        matches!(
            self,
            InstanceStatus::Approved | InstanceStatus::Rejected | InstanceStatus::Cancelled
        )
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "done")]
    Done,
    /// Closed without an action: the flow was withdrawn or the task handed on.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

//! The permission catalogue. Permissions are defined here, in code, and roles pick from them;
//! every endpoint names the one it needs.

use serde::Serialize;
use utoipa::ToSchema;

pub type Permission = &'static str;

pub const ORG_DEPARTMENT_READ: Permission = "org:department:read";
pub const ORG_DEPARTMENT_WRITE: Permission = "org:department:write";
pub const ORG_USER_READ: Permission = "org:user:read";
pub const ORG_USER_WRITE: Permission = "org:user:write";
pub const ORG_ROLE_READ: Permission = "org:role:read";
pub const ORG_ROLE_WRITE: Permission = "org:role:write";
pub const ORG_POSITION_READ: Permission = "org:position:read";
pub const ORG_POSITION_WRITE: Permission = "org:position:write";
pub const ORG_EMPLOYEE_READ: Permission = "org:employee:read";
pub const ORG_EMPLOYEE_WRITE: Permission = "org:employee:write";
pub const AUDIT_READ: Permission = "audit:read";
pub const CALCULATOR_USE: Permission = "calculator:use";
pub const CUSTOMER_READ: Permission = "customer:read";
pub const CUSTOMER_WRITE: Permission = "customer:write";
pub const CUSTOMER_PII_VIEW: Permission = "customer:pii:view";
pub const CUSTOMER_TRANSFER: Permission = "customer:transfer";
pub const CUSTOMER_GRADE_WRITE: Permission = "customer:grade:write";
pub const BLACKLIST_READ: Permission = "blacklist:read";
pub const BLACKLIST_WRITE: Permission = "blacklist:write";
pub const RISK_RULE_READ: Permission = "risk:rule:read";
pub const RISK_RULE_WRITE: Permission = "risk:rule:write";
pub const RISK_SCREEN: Permission = "risk:screen";
pub const VEHICLE_READ: Permission = "vehicle:read";
pub const VEHICLE_WRITE: Permission = "vehicle:write";
pub const APPRAISAL_WRITE: Permission = "appraisal:write";
pub const PRODUCT_READ: Permission = "product:read";
pub const PRODUCT_WRITE: Permission = "product:write";
pub const FLOW_READ: Permission = "flow:read";
pub const FLOW_WRITE: Permission = "flow:write";
pub const LOAN_APPLICATION_READ: Permission = "loan:application:read";
pub const LOAN_APPLICATION_WRITE: Permission = "loan:application:write";
pub const LOAN_APPLICATION_ASSIGN: Permission = "loan:application:assign";
pub const LOAN_INVESTIGATE: Permission = "loan:investigate";
pub const COMMITTEE_MANAGE: Permission = "committee:manage";
pub const CONTRACT_READ: Permission = "contract:read";
pub const CONTRACT_WRITE: Permission = "contract:write";
pub const COLLATERAL_REGISTER: Permission = "collateral:register";
pub const COLLATERAL_RELEASE_EXCEPTION: Permission = "collateral:release:exception";
pub const GPS_WRITE: Permission = "gps:write";
pub const CREDIT_LINE_READ: Permission = "credit:line:read";
pub const CREDIT_LINE_WRITE: Permission = "credit:line:write";
pub const CREDIT_LINE_FREEZE: Permission = "credit:line:freeze";
pub const LOAN_READ: Permission = "loan:read";
pub const DISBURSEMENT_REGISTER: Permission = "disbursement:register";
pub const DISBURSEMENT_REVIEW: Permission = "disbursement:review";
pub const REPAYMENT_REGISTER: Permission = "repayment:register";
pub const REPAYMENT_CONFIRM: Permission = "repayment:confirm";
pub const LEDGER_READ: Permission = "ledger:read";
pub const LEDGER_WRITE: Permission = "ledger:write";
pub const BUSINESS_DATE_ADVANCE: Permission = "business_date:advance";
pub const CLOSE_RUN: Permission = "close:run";
pub const CLOSE_READ: Permission = "close:read";
pub const CLASSIFICATION_WRITE: Permission = "classification:write";
pub const CLASSIFICATION_REVIEW: Permission = "classification:review";
pub const FEE_REGISTER: Permission = "fee:register";
pub const FEE_REVIEW: Permission = "fee:review";
pub const REPAYMENT_REVERSE: Permission = "repayment:reverse";
pub const REPAYMENT_REVERSE_APPROVE: Permission = "repayment:reverse:approve";
pub const LEDGER_VOUCHER_WRITE: Permission = "ledger:voucher:write";
pub const LEDGER_VOUCHER_REVIEW: Permission = "ledger:voucher:review";
pub const LEDGER_PERIOD_CLOSE: Permission = "ledger:period:close";
pub const LEDGER_PERIOD_REOPEN: Permission = "ledger:period:reopen";
pub const WARNING_READ: Permission = "warning:read";
pub const WARNING_HANDLE: Permission = "warning:handle";
pub const WARNING_RULE_WRITE: Permission = "warning:rule:write";
pub const GPS_FEED: Permission = "gps:feed";
pub const OUTBOX_READ: Permission = "outbox:read";
pub const REPORT_PORTFOLIO_READ: Permission = "report:portfolio:read";

/// One entry of the catalogue as the role editor shows it.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PermissionInfo {
    /// e.g. `org:user:write`
    pub code: &'static str,
    /// The business area it belongs to (`organisation`, `audit`, `origination` …).
    pub area: &'static str,
    /// Name in Simplified Chinese.
    pub name: &'static str,
    /// Name in English.
    pub name_en: &'static str,
}

const fn p(
    code: &'static str,
    area: &'static str,
    name: &'static str,
    name_en: &'static str,
) -> PermissionInfo {
    PermissionInfo {
        code,
        area,
        name,
        name_en,
    }
}

pub const CATALOGUE: &[PermissionInfo] = &[
    p(
        ORG_DEPARTMENT_READ,
        "organisation",
        "查看部门",
        "View departments",
    ),
    p(
        ORG_DEPARTMENT_WRITE,
        "organisation",
        "管理部门",
        "Manage departments",
    ),
    p(ORG_USER_READ, "organisation", "查看用户", "View users"),
    p(ORG_USER_WRITE, "organisation", "管理用户", "Manage users"),
    p(ORG_ROLE_READ, "organisation", "查看角色", "View roles"),
    p(
        ORG_ROLE_WRITE,
        "organisation",
        "管理角色与权限",
        "Manage roles and permissions",
    ),
    p(
        ORG_POSITION_READ,
        "organisation",
        "查看职务",
        "View positions",
    ),
    p(
        ORG_POSITION_WRITE,
        "organisation",
        "管理职务",
        "Manage positions",
    ),
    p(
        ORG_EMPLOYEE_READ,
        "organisation",
        "查看员工",
        "View employees",
    ),
    p(
        ORG_EMPLOYEE_WRITE,
        "organisation",
        "管理员工",
        "Manage employees",
    ),
    p(AUDIT_READ, "audit", "查看审计日志", "View the audit log"),
    p(CALCULATOR_USE, "origination", "还款试算", "Loan calculator"),
    p(CUSTOMER_READ, "customers", "查看客户", "View customers"),
    p(CUSTOMER_WRITE, "customers", "管理客户", "Manage customers"),
    p(
        CUSTOMER_PII_VIEW,
        "customers",
        "查看客户敏感信息",
        "View customers' personal data unmasked",
    ),
    p(
        CUSTOMER_TRANSFER,
        "customers",
        "客户移交",
        "Transfer customers between managers",
    ),
    p(
        CUSTOMER_GRADE_WRITE,
        "customers",
        "管理客户等级",
        "Manage customer and prospect grades",
    ),
    p(
        BLACKLIST_READ,
        "customers",
        "查看黑名单",
        "View the blacklist",
    ),
    p(
        BLACKLIST_WRITE,
        "customers",
        "管理黑名单",
        "Manage the blacklist",
    ),
    p(RISK_RULE_READ, "risk", "查看风控规则", "View risk rules"),
    p(RISK_RULE_WRITE, "risk", "管理风控规则", "Manage risk rules"),
    p(RISK_SCREEN, "risk", "风控筛查", "Run risk screening"),
    p(
        VEHICLE_READ,
        "appraisal",
        "查看车辆与评估",
        "View vehicles and appraisals",
    ),
    p(
        VEHICLE_WRITE,
        "appraisal",
        "登记车辆",
        "Register and edit vehicles",
    ),
    p(
        APPRAISAL_WRITE,
        "appraisal",
        "车辆评估",
        "Appraise vehicles",
    ),
    p(
        PRODUCT_READ,
        "finance",
        "查看贷款产品",
        "View loan products",
    ),
    p(
        PRODUCT_WRITE,
        "finance",
        "管理贷款产品",
        "Manage loan products and their terms",
    ),
    p(FLOW_READ, "workflow", "查看审批流程", "View approval flows"),
    p(
        FLOW_WRITE,
        "workflow",
        "配置审批流程",
        "Configure approval flows",
    ),
    p(
        LOAN_APPLICATION_READ,
        "origination",
        "查看贷款申请",
        "View loan applications",
    ),
    p(
        LOAN_APPLICATION_WRITE,
        "origination",
        "办理贷款申请",
        "Draft, submit and withdraw loan applications",
    ),
    p(
        LOAN_APPLICATION_ASSIGN,
        "origination",
        "贷款分单",
        "Assign loan applications to investigators",
    ),
    p(
        LOAN_INVESTIGATE,
        "origination",
        "贷前调查",
        "Investigate loan applications",
    ),
    p(
        COMMITTEE_MANAGE,
        "workflow",
        "贷审会管理",
        "Manage review committees, meetings and their agendas",
    ),
    p(
        CONTRACT_READ,
        "origination",
        "查看合同",
        "View loan contracts and download them",
    ),
    p(
        CONTRACT_WRITE,
        "origination",
        "签约办理",
        "Generate, sign and void loan contracts",
    ),
    p(
        COLLATERAL_REGISTER,
        "collateral",
        "抵押登记与质押入库",
        "Register mortgages and take pledged cars in",
    ),
    p(
        COLLATERAL_RELEASE_EXCEPTION,
        "collateral",
        "例外解押",
        "Release a car before its loan is settled, as an exception",
    ),
    p(
        GPS_WRITE,
        "collateral",
        "GPS安装管理",
        "Install and remove GPS devices",
    ),
    p(
        CREDIT_LINE_READ,
        "origination",
        "查看授信",
        "View credit lines",
    ),
    p(
        CREDIT_LINE_WRITE,
        "origination",
        "办理授信申请",
        "Draft, submit and withdraw credit line applications",
    ),
    p(
        CREDIT_LINE_FREEZE,
        "origination",
        "冻结与解冻授信",
        "Freeze and unfreeze credit lines",
    ),
    p(
        LOAN_READ,
        "finance",
        "查看贷款台账",
        "View loans, schedules and balances",
    ),
    p(
        DISBURSEMENT_REGISTER,
        "finance",
        "放款登记",
        "Register disbursements",
    ),
    p(
        DISBURSEMENT_REVIEW,
        "finance",
        "放款复核",
        "Review disbursements (never one's own)",
    ),
    p(
        REPAYMENT_REGISTER,
        "finance",
        "还款登记",
        "Register repayments",
    ),
    p(
        REPAYMENT_CONFIRM,
        "finance",
        "还款财务确认",
        "Confirm repayments (never one's own)",
    ),
    p(
        LEDGER_READ,
        "finance",
        "查看凭证与账簿",
        "View vouchers, the chart of accounts and the trial balance",
    ),
    p(
        LEDGER_WRITE,
        "finance",
        "维护会计科目",
        "Add, rename and disable accounts",
    ),
    p(
        BUSINESS_DATE_ADVANCE,
        "finance",
        "调整营业日期",
        "Move the business date forward by hand",
    ),
    p(CLOSE_RUN, "finance", "执行日终", "Start the daily close"),
    p(
        CLASSIFICATION_WRITE,
        "finance",
        "五级分类调整",
        "Classify loans worse, or ask for a better class",
    ),
    p(
        CLASSIFICATION_REVIEW,
        "finance",
        "五级分类审核",
        "Approve or reject a better class (never one's own request)",
    ),
    p(
        CLOSE_READ,
        "finance",
        "查看日终",
        "View daily close runs and their progress",
    ),
    p(
        FEE_REGISTER,
        "finance",
        "咨询费登记",
        "Register fees received",
    ),
    p(
        FEE_REVIEW,
        "finance",
        "咨询费复核",
        "Review fees received (never one's own)",
    ),
    p(
        REPAYMENT_REVERSE,
        "finance",
        "还款冲正申请",
        "Ask for a confirmed repayment to be reversed",
    ),
    p(
        REPAYMENT_REVERSE_APPROVE,
        "finance",
        "还款冲正审批",
        "Approve reversals (never one's own request)",
    ),
    p(
        LEDGER_VOUCHER_WRITE,
        "finance",
        "填制手工凭证",
        "Write manual vouchers",
    ),
    p(
        LEDGER_VOUCHER_REVIEW,
        "finance",
        "凭证审核",
        "Review manual vouchers (never one's own)",
    ),
    p(
        LEDGER_PERIOD_CLOSE,
        "finance",
        "期末结账",
        "Close an accounting period",
    ),
    p(
        LEDGER_PERIOD_REOPEN,
        "finance",
        "反结账",
        "Reopen the latest closed period (audited)",
    ),
    p(
        WARNING_READ,
        "post_loan",
        "查看贷后预警",
        "View post-loan warnings and their rules",
    ),
    p(
        WARNING_HANDLE,
        "post_loan",
        "处理贷后预警",
        "Assign, handle and close post-loan warnings",
    ),
    p(
        WARNING_RULE_WRITE,
        "post_loan",
        "配置预警规则",
        "Configure the warning rules",
    ),
    p(
        GPS_FEED,
        "collateral",
        "GPS状态上报",
        "Report GPS device status (for GPS platforms)",
    ),
    p(
        OUTBOX_READ,
        "post_loan",
        "查看消息发件箱",
        "View the outbox of messages to customers (reminders)",
    ),
    p(
        REPORT_PORTFOLIO_READ,
        "finance",
        "查看日均余额与资产质量",
        "View the average daily balance and portfolio quality reports",
    ),
];

/// Permissions every signed-in user has whatever their roles.
pub const EVERYONE: &[Permission] = &[CALCULATOR_USE];

pub fn is_known(code: &str) -> bool {
    CATALOGUE.iter().any(|p| p.code == code)
}

pub fn all_codes() -> Vec<String> {
    CATALOGUE.iter().map(|p| p.code.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_everyone_permissions_are_catalogued() {
        let mut codes: Vec<_> = CATALOGUE.iter().map(|p| p.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CATALOGUE.len());
        assert!(EVERYONE.iter().all(|c| is_known(c)));
    }
}

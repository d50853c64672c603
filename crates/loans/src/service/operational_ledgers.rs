//! The operational ledgers (台账) as files: every row of the filtered query, not one page.

use documents::xlsx::{Cell, Table};
use iam::Actor;
use kernel::{AppResult, Money, PageRequest};

use super::LoansContext;
use super::disbursements::{self, DisbursementFilter};
use super::extensions::{self, ExtensionFilter};
use super::loan_accounts::{self, LoanFilter};
use super::repayments::{self, RepaymentFilter};

/// The most rows one file holds; past it the filter must narrow the query.
const MAX_ROWS: u64 = 100_000;
const PAGE: u64 = 200;

fn amount(m: Money) -> Cell {
    Cell::Amount(m.amount())
}

/// Runs `page` until every row is read (or the cap is reached).
async fn all<T, F, Fut>(mut page: F) -> AppResult<Vec<T>>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = AppResult<kernel::Page<T>>>,
{
    let mut items = Vec::new();
    let mut n = 1;
    loop {
        let got = page(PageRequest::new(n, PAGE)).await?;
        let total = got.total;
        items.extend(got.items);
        if items.len() as u64 >= total.min(MAX_ROWS) || n * PAGE >= total {
            return Ok(items);
        }
        n += 1;
    }
}

/// 贷款台账 (with `overdue=true`, 逾期台账).
pub async fn loans(ctx: &LoansContext, actor: &Actor, filter: &LoanFilter) -> AppResult<Table> {
    let rows = all(|p| async move { loan_accounts::list(ctx, actor, filter, &p).await }).await?;
    Ok(Table {
        title: if filter.overdue == Some(true) {
            "逾期台账".into()
        } else {
            "贷款台账".into()
        },
        headers: [
            "借据号",
            "合同号",
            "客户",
            "状态",
            "本金",
            "年利率",
            "期数",
            "放款日",
            "到期日",
            "剩余本金",
            "逾期期数",
            "逾期天数",
            "溢缴款",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .into_iter()
            .map(|l| {
                vec![
                    l.loan_no.into(),
                    l.contract_no.into(),
                    l.customer_name.into(),
                    l.status.as_str().into(),
                    amount(l.principal),
                    Cell::Text(l.annual_rate.value().to_string()),
                    Cell::Integer(i64::from(l.term_months)),
                    Cell::Text(l.value_date.to_string()),
                    Cell::Text(l.maturity_date.to_string()),
                    amount(l.outstanding_principal),
                    Cell::Integer(l.overdue_installments),
                    Cell::Integer(l.days_past_due),
                    amount(l.credit_balance),
                ]
            })
            .collect(),
    })
}

/// 放款台账
pub async fn disbursements(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &DisbursementFilter,
) -> AppResult<Table> {
    let rows = all(|p| async move { disbursements::list(ctx, actor, filter, &p).await }).await?;
    Ok(Table {
        title: "放款台账".into(),
        headers: [
            "合同号",
            "借据号",
            "客户",
            "状态",
            "金额",
            "起息日",
            "付款账户",
            "流水号",
            "登记人",
            "复核人",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .into_iter()
            .map(|d| {
                vec![
                    d.contract_no.into(),
                    d.loan_no.unwrap_or_default().into(),
                    d.customer_name.into(),
                    d.status.as_str().into(),
                    amount(d.amount),
                    Cell::Text(d.value_date.to_string()),
                    Cell::Text(format!("{} {}", d.fund_account_code, d.fund_account_name)),
                    d.reference.into(),
                    d.registered_by_name.into(),
                    d.reviewed_by_name.unwrap_or_default().into(),
                ]
            })
            .collect(),
    })
}

/// 还款台账
pub async fn repayments(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &RepaymentFilter,
) -> AppResult<Table> {
    let rows = all(|p| async move { repayments::list(ctx, actor, filter, &p).await }).await?;
    Ok(Table {
        title: "还款台账".into(),
        headers: [
            "借据号",
            "客户",
            "类型",
            "状态",
            "金额",
            "到账日",
            "渠道",
            "流水号",
            "本金",
            "利息",
            "罚息",
            "复利",
            "费用",
            "登记人",
            "确认人",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .into_iter()
            .map(|r| {
                let t = r.allocation.as_ref().map(|a| a.totals).unwrap_or_default();
                vec![
                    r.loan_no.into(),
                    r.customer_name.into(),
                    r.kind.as_str().into(),
                    r.status.as_str().into(),
                    amount(r.amount),
                    Cell::Text(r.value_date.to_string()),
                    r.channel.as_str().into(),
                    r.reference.into(),
                    amount(t.principal),
                    amount(t.interest),
                    amount(t.penalty),
                    amount(t.compound),
                    amount(t.fees),
                    // Nobody registers an application from credit: the close (日终) makes it.
                    r.registered_by_name.unwrap_or_else(|| "日终".into()).into(),
                    r.confirmed_by_name.unwrap_or_default().into(),
                ]
            })
            .collect(),
    })
}

/// 展期台账
pub async fn extensions(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &ExtensionFilter,
) -> AppResult<Table> {
    let rows = all(|p| async move { extensions::list(ctx, actor, filter, &p).await }).await?;
    Ok(Table {
        title: "展期台账".into(),
        headers: [
            "借据号",
            "客户",
            "状态",
            "申请日",
            "展期月数",
            "原到期日",
            "新到期日",
            "展期本金",
            "展期利率",
            "重组",
            "申请人",
            "审批人",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .into_iter()
            .map(|e| {
                vec![
                    e.loan_no.into(),
                    e.customer_name.into(),
                    e.status.into(),
                    Cell::Text(e.applied_on.to_string()),
                    Cell::Text(e.extension_months.to_string()),
                    Cell::Text(e.old_maturity.to_string()),
                    Cell::Text(e.new_maturity.to_string()),
                    amount(e.principal),
                    Cell::Text(e.new_annual_rate.value().to_string()),
                    Cell::Text(if e.restructuring { "是" } else { "否" }.into()),
                    e.requested_by_name.into(),
                    e.approved_by_name.unwrap_or_default().into(),
                ]
            })
            .collect(),
    })
}

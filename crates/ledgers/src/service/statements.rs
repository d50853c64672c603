//! The statements (RULES.md §11): the balance sheet (资产负债表) at a period's end and the
//! income statement (利润表) for a period and its year to date, both from posted vouchers.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use kernel::{AppError, AppResult, Money};

use super::{LedgersContext, db_error};
use crate::domain::voucher::{next_period_start, period_start};

/// One line of a statement.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatementLine {
    /// A stable key, e.g. `monetary_funds`.
    pub key: String,
    /// The line as the statement prints it, e.g. 货币资金.
    pub label: String,
    pub amount: Money,
    /// 0 for lines, 1 for totals.
    pub level: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceSheet {
    pub period: String,
    /// The balances are as of the end of this day.
    pub as_of: Date,
    pub assets: Vec<StatementLine>,
    pub liabilities: Vec<StatementLine>,
    pub equity: Vec<StatementLine>,
    pub total_assets: Money,
    pub total_liabilities_and_equity: Money,
    /// Assets = liabilities + equity.
    pub balanced: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncomeLine {
    pub key: String,
    pub label: String,
    pub period: Money,
    pub year_to_date: Money,
    pub level: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncomeStatement {
    pub period: String,
    pub lines: Vec<IncomeLine>,
    pub net_profit: Money,
}

/// Net debit (debits − credits) per top-level account over posted vouchers in [from, to),
/// leaving out the vouchers whose source is in `except`.
async fn net_debits(
    ctx: &LedgersContext,
    from: Option<Date>,
    to: Date,
    except: &[&str],
) -> AppResult<HashMap<String, Decimal>> {
    #[derive(FromQueryResult)]
    struct Row {
        code: String,
        net: Decimal,
    }
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT left(l.account_code, 4) AS code, sum(l.debit - l.credit) AS net \
         FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id \
         WHERE v.status = 'posted' AND v.voucher_date < $1 \
           AND ($2::date IS NULL OR v.voucher_date >= $2::date) \
           AND NOT (v.source_kind = ANY($3)) \
         GROUP BY left(l.account_code, 4)",
        [
            Value::from(to),
            Value::from(from),
            Value::from(except.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        ],
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?;
    Ok(rows.into_iter().map(|r| (r.code, r.net)).collect())
}

fn range(period: &str) -> AppResult<(Date, Date)> {
    let start = period_start(period)
        .ok_or_else(|| AppError::invalid_field("period", "invalid", "a period is YYYY-MM"))?;
    Ok((start, next_period_start(start)))
}

fn line(key: &str, label: &str, amount: Decimal, level: u32) -> StatementLine {
    StatementLine {
        key: key.into(),
        label: label.into(),
        amount: Money::round(amount),
        level,
    }
}

/// The balance sheet at the end of `period`.
pub async fn balance_sheet(ctx: &LedgersContext, period: &str) -> AppResult<BalanceSheet> {
    let (_, end) = range(period)?;
    let net = net_debits(ctx, None, end, &[]).await?;
    let d = |codes: &[&str]| -> Decimal {
        codes
            .iter()
            .map(|c| net.get(*c).copied().unwrap_or_default())
            .sum()
    };
    // Liabilities and equity stand on the credit side.
    let c = |codes: &[&str]| -> Decimal { -d(codes) };
    let profit_and_loss: Decimal = -net
        .iter()
        .filter(|(code, _)| code.starts_with('6'))
        .map(|(_, v)| *v)
        .sum::<Decimal>();
    let assets = vec![
        line(
            "monetary_funds",
            "货币资金",
            d(&["1001", "1002", "1012"]),
            0,
        ),
        line(
            "loans_and_advances",
            "发放贷款和垫款",
            d(&["1303", "1304", "1132"]),
            0,
        ),
        line("other_receivables", "其他应收款", d(&["1221"]), 0),
        line("foreclosed_assets", "抵债资产", d(&["1441"]), 0),
        line("fixed_assets", "固定资产", d(&["1601", "1602"]), 0),
    ];
    let liabilities = vec![
        line("short_term_borrowings", "短期借款", c(&["2001"]), 0),
        line("payroll_payable", "应付职工薪酬", c(&["2211"]), 0),
        line("taxes_payable", "应交税费", c(&["2221"]), 0),
        line("interest_payable", "应付利息", c(&["2231"]), 0),
        line("advances_received", "预收款项", c(&["2203"]), 0),
        line("other_payables", "其他应付款", c(&["2241"]), 0),
        line("long_term_borrowings", "长期借款", c(&["2501"]), 0),
    ];
    let equity = vec![
        line("paid_in_capital", "实收资本", c(&["4001"]), 0),
        line("capital_reserve", "资本公积", c(&["4002"]), 0),
        line("surplus_reserve", "盈余公积", c(&["4101"]), 0),
        line("general_risk_reserve", "一般风险准备", c(&["4102"]), 0),
        // Profit not yet carried to 4103 belongs here as well, so the sheet balances mid-period.
        line(
            "undistributed_profit",
            "未分配利润",
            c(&["4103", "4104"]) + profit_and_loss,
            0,
        ),
    ];
    let sum = |lines: &[StatementLine]| lines.iter().map(|l| l.amount).sum::<Money>();
    let total_assets = sum(&assets);
    let total_le = sum(&liabilities) + sum(&equity);
    Ok(BalanceSheet {
        period: period.to_string(),
        as_of: end.previous_day().unwrap_or(end),
        balanced: total_assets == total_le,
        assets,
        liabilities,
        equity,
        total_assets,
        total_liabilities_and_equity: total_le,
    })
}

/// What a period close posts: left out of the income statement, which shows what was earned.
pub const CLOSING_SOURCES: &[&str] = &["period_close", "year_end"];

/// The income statement of `period`, and of its year up to the period's end.
pub async fn income_statement(ctx: &LedgersContext, period: &str) -> AppResult<IncomeStatement> {
    let (start, end) = range(period)?;
    let year_start = Date::from_calendar_date(start.year(), time::Month::January, 1)
        .map_err(AppError::internal)?;
    let month = net_debits(ctx, Some(start), end, CLOSING_SOURCES).await?;
    let year = net_debits(ctx, Some(year_start), end, CLOSING_SOURCES).await?;
    let build = |net: &HashMap<String, Decimal>| -> Vec<(String, &'static str, Decimal, u32)> {
        let income = |code: &str| -net.get(code).copied().unwrap_or_default();
        let expense = |code: &str| net.get(code).copied().unwrap_or_default();
        let interest = income("6011") - expense("6411");
        let fees = income("6021") - expense("6421");
        let other = income("6051");
        let revenue = interest + fees + other;
        let costs = expense("6403") + expense("6602") + expense("6701");
        let operating = revenue - costs;
        let before_tax = operating + income("6301") - expense("6711");
        let net_profit = before_tax - expense("6801");
        vec![
            ("operating_revenue".into(), "一、营业收入", revenue, 1),
            ("net_interest_income".into(), "利息净收入", interest, 0),
            ("net_fee_income".into(), "手续费及佣金净收入", fees, 0),
            ("other_business_income".into(), "其他业务收入", other, 0),
            ("operating_expenses".into(), "二、营业支出", costs, 1),
            (
                "taxes_and_surcharges".into(),
                "税金及附加",
                expense("6403"),
                0,
            ),
            (
                "administrative_expenses".into(),
                "业务及管理费",
                expense("6602"),
                0,
            ),
            (
                "credit_impairment_losses".into(),
                "信用减值损失",
                expense("6701"),
                0,
            ),
            ("operating_profit".into(), "三、营业利润", operating, 1),
            (
                "non_operating_income".into(),
                "加：营业外收入",
                income("6301"),
                0,
            ),
            (
                "non_operating_expenses".into(),
                "减：营业外支出",
                expense("6711"),
                0,
            ),
            ("profit_before_tax".into(), "四、利润总额", before_tax, 1),
            ("income_tax".into(), "减：所得税费用", expense("6801"), 0),
            ("net_profit".into(), "五、净利润", net_profit, 1),
        ]
    };
    let lines: Vec<IncomeLine> = build(&month)
        .into_iter()
        .zip(build(&year))
        .map(|((key, label, p, level), (_, _, y, _))| IncomeLine {
            key,
            label: label.into(),
            period: Money::round(p),
            year_to_date: Money::round(y),
            level,
        })
        .collect();
    let net_profit = lines.last().map(|l| l.period).unwrap_or(Money::ZERO);
    Ok(IncomeStatement {
        period: period.to_string(),
        lines,
        net_profit,
    })
}

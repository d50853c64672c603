//! The cash journal (资金日记账): every posting on one cash or bank account between two dates,
//! in order, with the running balance; and the summary (资金汇总) of all fund accounts.

use rust_decimal::Decimal;
use sea_orm::{DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use kernel::{AppError, AppResult, Money};

use super::accounts;
use super::{LedgersContext, db_error};

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub voucher_date: Date,
    pub voucher_id: i64,
    pub voucher_no: String,
    pub summary: String,
    pub memo: String,
    /// 收入
    pub debit: Money,
    /// 支出
    pub credit: Money,
    /// The balance after this entry.
    pub balance: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CashJournal {
    pub account_code: String,
    pub account_name: String,
    pub from: Date,
    pub to: Date,
    pub opening: Money,
    pub entries: Vec<JournalEntry>,
    pub total_debit: Money,
    pub total_credit: Money,
    pub closing: Money,
}

fn check_range(q: &JournalQuery) -> AppResult<()> {
    if q.to < q.from {
        return Err(AppError::invalid_field(
            "to",
            "before_from",
            "the range ends before it starts",
        ));
    }
    if (q.to - q.from).whole_days() > 366 {
        return Err(AppError::invalid_field(
            "to",
            "too_long",
            "a journal covers at most a year",
        ));
    }
    Ok(())
}

/// The journal of one fund account (a leaf under 1001, 1002 or 1012).
pub async fn cash_journal(
    ctx: &LedgersContext,
    code: &str,
    q: &JournalQuery,
) -> AppResult<CashJournal> {
    check_range(q)?;
    let account = accounts::get(&ctx.db, code).await?;
    if !account.is_fund {
        return Err(AppError::invalid_field(
            "code",
            "not_a_fund_account",
            "a cash journal is kept for cash and bank accounts",
        ));
    }
    #[derive(FromQueryResult)]
    struct Opening {
        net: Decimal,
    }
    let opening = Opening::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT coalesce(sum(l.debit - l.credit), 0) AS net FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id \
         WHERE v.status = 'posted' AND l.account_code LIKE $1 AND v.voucher_date < $2",
        [Value::from(format!("{code}%")), Value::from(q.from)],
    ))
    .one(&ctx.db)
    .await
    .map_err(db_error)?
    .map_or(Decimal::ZERO, |o| o.net);
    #[derive(FromQueryResult)]
    struct Row {
        voucher_date: Date,
        voucher_id: i64,
        period: String,
        seq: i32,
        summary: String,
        memo: String,
        debit: Decimal,
        credit: Decimal,
    }
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT v.voucher_date, v.id AS voucher_id, v.period, v.seq, v.summary, l.memo, l.debit, l.credit \
         FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id \
         WHERE v.status = 'posted' AND l.account_code LIKE $1 AND v.voucher_date BETWEEN $2 AND $3 \
         ORDER BY v.voucher_date, v.period, v.seq, l.line_no",
        [Value::from(format!("{code}%")), Value::from(q.from), Value::from(q.to)],
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?;
    let mut balance = opening;
    let (mut total_debit, mut total_credit) = (Decimal::ZERO, Decimal::ZERO);
    let entries = rows
        .into_iter()
        .map(|r| {
            balance += r.debit - r.credit;
            total_debit += r.debit;
            total_credit += r.credit;
            JournalEntry {
                voucher_date: r.voucher_date,
                voucher_id: r.voucher_id,
                voucher_no: format!("记-{}-{:04}", r.period, r.seq),
                summary: r.summary,
                memo: r.memo,
                debit: Money::round(r.debit),
                credit: Money::round(r.credit),
                balance: Money::round(balance),
            }
        })
        .collect();
    Ok(CashJournal {
        account_code: account.code,
        account_name: account.name,
        from: q.from,
        to: q.to,
        opening: Money::round(opening),
        entries,
        total_debit: Money::round(total_debit),
        total_credit: Money::round(total_credit),
        closing: Money::round(balance),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FundSummaryRow {
    pub account_code: String,
    pub account_name: String,
    pub opening: Money,
    pub debit: Money,
    pub credit: Money,
    pub closing: Money,
}

/// 资金汇总: every fund account's opening, receipts, payments and closing over the range.
pub async fn fund_summary(
    ctx: &LedgersContext,
    q: &JournalQuery,
) -> AppResult<Vec<FundSummaryRow>> {
    check_range(q)?;
    #[derive(FromQueryResult)]
    struct Row {
        code: String,
        name: String,
        opening: Decimal,
        debit: Decimal,
        credit: Decimal,
    }
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT a.code, a.name, \
           coalesce(sum(l.debit - l.credit) FILTER (WHERE v.voucher_date < $1), 0) AS opening, \
           coalesce(sum(l.debit) FILTER (WHERE v.voucher_date BETWEEN $1 AND $2), 0) AS debit, \
           coalesce(sum(l.credit) FILTER (WHERE v.voucher_date BETWEEN $1 AND $2), 0) AS credit \
         FROM accounts a \
         LEFT JOIN voucher_lines l ON l.account_code = a.code \
         LEFT JOIN vouchers v ON v.id = l.voucher_id AND v.status = 'posted' AND v.voucher_date <= $2 \
         WHERE a.is_fund AND NOT EXISTS (SELECT 1 FROM accounts c WHERE c.parent_code = a.code) \
         GROUP BY a.code, a.name ORDER BY a.code",
        [Value::from(q.from), Value::from(q.to)],
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?;
    Ok(rows
        .into_iter()
        .map(|r| FundSummaryRow {
            opening: Money::round(r.opening),
            debit: Money::round(r.debit),
            credit: Money::round(r.credit),
            closing: Money::round(r.opening + r.debit - r.credit),
            account_code: r.code,
            account_name: r.name,
        })
        .collect())
}

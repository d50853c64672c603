//! The trial balance (科目余额表, RULES.md §11): per account, the opening balance, the
//! period's debits and credits, and the closing balance, with parents rolled up from their
//! sub-accounts. Posted vouchers only.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use sea_orm::{DbBackend, FromQueryResult, Statement, Value};
use serde::Serialize;
use utoipa::ToSchema;

use kernel::{AppError, AppResult, Money};

use super::accounts::{self, Account};
use super::{LedgersContext, db_error};
use crate::domain::account::{Category, Direction};
use crate::domain::voucher::{next_period_start, period_start};

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialBalanceRow {
    pub code: String,
    pub name: String,
    /// 0 for a top-level account, 1 for its sub-accounts, …
    pub level: u32,
    pub category: Category,
    pub direction: Direction,
    /// Balances are on the account's own side: negative means it stands on the other side.
    pub opening: Money,
    pub debit: Money,
    pub credit: Money,
    pub closing: Money,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrialBalance {
    pub period: String,
    pub rows: Vec<TrialBalanceRow>,
    /// Σ debits and Σ credits of the period over all postings: always equal.
    pub total_debit: Money,
    pub total_credit: Money,
    /// Σ closing debit-side balances and Σ closing credit-side balances of the top-level accounts.
    pub closing_debit_side: Money,
    pub closing_credit_side: Money,
    pub balanced: bool,
}

#[derive(FromQueryResult)]
struct Sums {
    account_code: String,
    opening_debit: Decimal,
    opening_credit: Decimal,
    debit: Decimal,
    credit: Decimal,
}

/// The trial balance of a `YYYY-MM` period.
pub async fn for_period(ctx: &LedgersContext, period: &str) -> AppResult<TrialBalance> {
    let start = period_start(period)
        .ok_or_else(|| AppError::invalid_field("period", "invalid", "a period is YYYY-MM"))?;
    let end = next_period_start(start);
    let sums = Sums::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT l.account_code, \
            coalesce(sum(l.debit) FILTER (WHERE v.voucher_date < $1), 0) AS opening_debit, \
            coalesce(sum(l.credit) FILTER (WHERE v.voucher_date < $1), 0) AS opening_credit, \
            coalesce(sum(l.debit) FILTER (WHERE v.voucher_date >= $1), 0) AS debit, \
            coalesce(sum(l.credit) FILTER (WHERE v.voucher_date >= $1), 0) AS credit \
         FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id \
         WHERE v.status = 'posted' AND v.voucher_date < $2 GROUP BY l.account_code",
        [Value::from(start), Value::from(end)],
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?;
    let chart = accounts::list(ctx).await?;
    Ok(assemble(period, &chart, &sums))
}

fn assemble(period: &str, chart: &[Account], sums: &[Sums]) -> TrialBalance {
    #[derive(Default, Clone, Copy)]
    struct Acc {
        od: Decimal,
        oc: Decimal,
        d: Decimal,
        c: Decimal,
    }
    let mut totals: BTreeMap<&str, Acc> = BTreeMap::new();
    let (mut total_debit, mut total_credit) = (Decimal::ZERO, Decimal::ZERO);
    for s in sums {
        total_debit += s.debit;
        total_credit += s.credit;
        // Every ancestor of the posted account (codes grow by two digits a level) gets the sums.
        for a in chart.iter().filter(|a| s.account_code.starts_with(&a.code)) {
            let t = totals.entry(a.code.as_str()).or_default();
            t.od += s.opening_debit;
            t.oc += s.opening_credit;
            t.d += s.debit;
            t.c += s.credit;
        }
    }
    let (mut debit_side, mut credit_side) = (Decimal::ZERO, Decimal::ZERO);
    let rows: Vec<TrialBalanceRow> = chart
        .iter()
        .filter_map(|a| {
            let t = totals.get(a.code.as_str())?;
            let signed = |d: Decimal, c: Decimal| match a.direction {
                Direction::Debit => d - c,
                Direction::Credit => c - d,
            };
            let closing_net_debit = t.od + t.d - t.oc - t.c;
            if a.parent_code.is_none() {
                if closing_net_debit >= Decimal::ZERO {
                    debit_side += closing_net_debit;
                } else {
                    credit_side -= closing_net_debit;
                }
            }
            Some(TrialBalanceRow {
                level: ((a.code.len() - 4) / 2) as u32,
                code: a.code.clone(),
                name: a.name.clone(),
                category: a.category,
                direction: a.direction,
                opening: Money::round(signed(t.od, t.oc)),
                debit: Money::round(t.d),
                credit: Money::round(t.c),
                closing: Money::round(signed(t.od + t.d, t.oc + t.c)),
            })
        })
        .collect();
    TrialBalance {
        period: period.to_string(),
        rows,
        total_debit: Money::round(total_debit),
        total_credit: Money::round(total_credit),
        closing_debit_side: Money::round(debit_side),
        closing_credit_side: Money::round(credit_side),
        balanced: total_debit == total_credit && debit_side == credit_side,
    }
}

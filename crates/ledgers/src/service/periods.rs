//! Accounting periods and the period-end close (期末结账): checks, the carry of income and
//! expenses to 本年利润 (结转损益, and to 利润分配 at year end), and the lock. Reopening is an
//! audited administrator action, for the latest closed period only.

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use iam::Actor;
use iam::service::audit;
use kernel::{AppError, AppResult, Money};

use super::trial_balance;
use super::vouchers::{self, Posting};
use super::{LedgersContext, db_error};
use crate::domain::account::codes;
use crate::domain::voucher::{VoucherDraft, next_period_start, period_start};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// `YYYY-MM`
    pub period: String,
    /// `open` or `closed`.
    pub status: String,
    pub vouchers: i64,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub closed_by_name: Option<String>,
}

#[derive(FromQueryResult)]
struct PeriodRow {
    period: String,
    status: String,
    vouchers: i64,
    closed_at: Option<OffsetDateTime>,
    closed_by_name: Option<String>,
}

impl From<PeriodRow> for Period {
    fn from(r: PeriodRow) -> Self {
        Period {
            period: r.period,
            status: r.status,
            vouchers: r.vouchers,
            closed_at: r.closed_at,
            closed_by_name: r.closed_by_name,
        }
    }
}

const SELECT: &str = "SELECT p.period, p.status, \
    (SELECT count(*) FROM vouchers v WHERE v.period = p.period) AS vouchers, \
    p.closed_at, u.display_name AS closed_by_name \
    FROM accounting_periods p LEFT JOIN users u ON u.id = p.closed_by";

/// Every period that has had a voucher, newest first.
pub async fn list(ctx: &LedgersContext) -> AppResult<Vec<Period>> {
    Ok(PeriodRow::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!("{SELECT} ORDER BY p.period DESC"),
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(Period::from)
    .collect())
}

async fn get(db: &impl ConnectionTrait, period: &str) -> AppResult<Period> {
    PeriodRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE p.period = $1"),
        [Value::from(period)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .map(Period::from)
    .ok_or_else(|| AppError::not_found("period"))
}

/// One condition of the close.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloseCheck {
    /// e.g. `registrations_checked`
    pub code: String,
    pub ok: bool,
    pub detail: String,
}

impl CloseCheck {
    pub fn new(code: &str, ok: bool, detail: impl Into<String>) -> CloseCheck {
        CloseCheck {
            code: code.into(),
            ok,
            detail: detail.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloseReport {
    pub period: Period,
    pub checks: Vec<CloseCheck>,
    /// The 结转损益 voucher (none when there was nothing to carry).
    pub carry_voucher_id: Option<i64>,
    pub year_end_voucher_id: Option<i64>,
}

fn bounds(period: &str) -> AppResult<(Date, Date)> {
    let start = period_start(period)
        .ok_or_else(|| AppError::invalid_field("period", "invalid", "a period is YYYY-MM"))?;
    Ok((start, next_period_start(start)))
}

/// The ledger's own checks for closing `period`: earlier periods closed, no voucher awaiting
/// review, the trial balance balanced.
pub async fn ledger_checks(
    ctx: &LedgersContext,
    db: &impl ConnectionTrait,
    period: &str,
) -> AppResult<Vec<CloseCheck>> {
    bounds(period)?;
    let count = |sql: &'static str| async move {
        db.query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [Value::from(period)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("count"))?
        .try_get::<i64>("", "n")
        .map_err(db_error)
    };
    let open_before =
        count("SELECT count(*) AS n FROM accounting_periods WHERE period < $1 AND status = 'open'")
            .await?;
    let pending =
        count("SELECT count(*) AS n FROM vouchers WHERE period <= $1 AND status = 'pending'")
            .await?;
    let tb = trial_balance::for_period(ctx, period).await?;
    Ok(vec![
        CloseCheck::new(
            "earlier_periods_closed",
            open_before == 0,
            format!("{open_before} earlier period(s) still open"),
        ),
        CloseCheck::new(
            "vouchers_reviewed",
            pending == 0,
            format!("{pending} voucher(s) awaiting review"),
        ),
        CloseCheck::new(
            "trial_balance_balanced",
            tb.balanced,
            format!("debits {} / credits {}", tb.total_debit, tb.total_credit),
        ),
    ])
}

/// Closes `period` after `checks` (the ledger's and the caller's) all pass: carries profit
/// and loss to 4103 (and 4103 to 4104 in December) with vouchers dated the period's last day,
/// then locks the period.
pub async fn close(
    ctx: &LedgersContext,
    actor: &Actor,
    period: &str,
    mut checks: Vec<CloseCheck>,
) -> AppResult<CloseReport> {
    let (start, end) = bounds(period)?;
    let last_day = end
        .previous_day()
        .ok_or_else(|| AppError::internal("period end"))?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO accounting_periods (period, status) VALUES ($1, 'open') ON CONFLICT DO NOTHING",
        [Value::from(period)],
    ))
    .await
    .map_err(db_error)?;
    // The period's row is what postings lock: holding it keeps them out while we close.
    let status: String = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT status FROM accounting_periods WHERE period = $1 FOR UPDATE",
            [Value::from(period)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("period vanished"))?
        .try_get("", "status")
        .map_err(db_error)?;
    if status == "closed" {
        return Err(AppError::conflict(
            "period_closed",
            format!("{period} is already closed"),
        ));
    }
    checks.extend(ledger_checks(ctx, &txn, period).await?);
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| format!("{}: {}", c.code, c.detail))
        .collect();
    if !failed.is_empty() {
        return Err(AppError::conflict(
            "period_not_ready",
            format!("{period} cannot be closed yet — {}", failed.join("; ")),
        ));
    }
    let posting = Posting {
        made_by: Some(actor.user_id),
        checked_by: Some(actor.user_id),
        at: now,
    };
    let carry_voucher_id = match carry_draft(&txn, period, end, last_day).await? {
        Some(draft) => Some(vouchers::post(&txn, posting, &draft).await?),
        None => None,
    };
    let year_end_voucher_id = if start.month() == time::Month::December {
        match year_end_draft(&txn, period, end, last_day).await? {
            Some(draft) => Some(vouchers::post(&txn, posting, &draft).await?),
            None => None,
        }
    } else {
        None
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE accounting_periods SET status = 'closed', closed_at = $2, closed_by = $3 WHERE period = $1",
        [Value::from(period), Value::from(now), Value::from(actor.user_id)],
    ))
    .await
    .map_err(db_error)?;
    let report = CloseReport {
        period: get(&txn, period).await?,
        checks,
        carry_voucher_id,
        year_end_voucher_id,
    };
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("accounting_period", period, "close").after(&report),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(report)
}

#[derive(FromQueryResult)]
struct Balance {
    account_code: String,
    net: Decimal,
}

/// Net debit balances at `end` (exclusive) of the leaf accounts whose code starts with `prefix`.
async fn leaf_balances(
    db: &impl ConnectionTrait,
    prefix: &str,
    end: Date,
) -> AppResult<Vec<Balance>> {
    Balance::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT l.account_code, sum(l.debit - l.credit) AS net FROM voucher_lines l \
         JOIN vouchers v ON v.id = l.voucher_id WHERE v.status = 'posted' AND v.voucher_date < $1 \
         AND l.account_code LIKE $2 GROUP BY l.account_code HAVING sum(l.debit - l.credit) <> 0 \
         ORDER BY l.account_code",
        [Value::from(end), Value::from(format!("{prefix}%"))],
    ))
    .all(db)
    .await
    .map_err(db_error)
}

/// 结转损益: every profit-and-loss account's balance to 4103.
async fn carry_draft(
    db: &impl ConnectionTrait,
    period: &str,
    end: Date,
    last_day: Date,
) -> AppResult<Option<VoucherDraft>> {
    let balances = leaf_balances(db, "6", end).await?;
    if balances.is_empty() {
        return Ok(None);
    }
    let mut draft = VoucherDraft::new(last_day, "period_close", 0, format!("{period} 结转损益"));
    draft.source_id = None;
    let (mut income, mut expense) = (Money::ZERO, Money::ZERO);
    for b in &balances {
        let amount = Money::round(b.net.abs());
        if b.net < Decimal::ZERO {
            draft.debit(&b.account_code, amount, None, "结转收入");
            income += amount;
        } else {
            draft.credit(&b.account_code, amount, None, "结转费用");
            expense += amount;
        }
    }
    draft.credit(codes::CURRENT_YEAR_PROFIT, income, None, "本期收入");
    draft.debit(codes::CURRENT_YEAR_PROFIT, expense, None, "本期费用");
    Ok(Some(draft))
}

/// 年末: 本年利润 to 利润分配-未分配利润.
async fn year_end_draft(
    db: &impl ConnectionTrait,
    period: &str,
    end: Date,
    last_day: Date,
) -> AppResult<Option<VoucherDraft>> {
    // The carry voucher posted a moment ago in this transaction counts.
    let balance: Decimal = leaf_balances(db, codes::CURRENT_YEAR_PROFIT, end)
        .await?
        .iter()
        .map(|b| b.net)
        .sum();
    if balance.is_zero() {
        return Ok(None);
    }
    let mut draft = VoucherDraft::new(
        last_day,
        "year_end",
        0,
        format!("{period} 本年利润结转利润分配"),
    );
    draft.source_id = None;
    let amount = Money::round(balance.abs());
    if balance < Decimal::ZERO {
        draft
            .debit(codes::CURRENT_YEAR_PROFIT, amount, None, "本年利润")
            .credit(codes::PROFIT_DISTRIBUTION, amount, None, "未分配利润");
    } else {
        draft
            .credit(codes::CURRENT_YEAR_PROFIT, amount, None, "本年亏损")
            .debit(codes::PROFIT_DISTRIBUTION, amount, None, "未分配利润");
    }
    Ok(Some(draft))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReopenInput {
    /// Why the closed period must take postings again (kept in the audit log).
    pub reason: String,
}

/// Reopens the latest closed period, with the reason in the audit log.
pub async fn reopen(
    ctx: &LedgersContext,
    actor: &Actor,
    period: &str,
    input: &ReopenInput,
) -> AppResult<Period> {
    if input.reason.trim().is_empty() {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why the period is reopened",
        ));
    }
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = get(&txn, period).await?;
    if before.status != "closed" {
        return Err(AppError::conflict(
            "invalid_transition",
            format!("{period} is not closed"),
        ));
    }
    let later = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM accounting_periods WHERE period > $1 AND status = 'closed'",
            [Value::from(period)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("count"))?
        .try_get::<i64>("", "n")
        .map_err(db_error)?;
    if later > 0 {
        return Err(AppError::conflict(
            "later_period_closed",
            "reopen the later closed periods first",
        ));
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE accounting_periods SET status = 'open', closed_at = NULL, closed_by = NULL WHERE period = $1",
        [Value::from(period)],
    ))
    .await
    .map_err(db_error)?;
    let after = get(&txn, period).await?;
    let mut change = audit::Change::new("accounting_period", period, "reopen")
        .before(&before)
        .after(&after);
    change.after = change.after.map(|mut a| {
        a["reason"] = serde_json::Value::from(input.reason.trim());
        a
    });
    audit::record(&txn, Some(actor), now, change).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

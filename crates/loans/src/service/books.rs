//! Closing the books of a period (期末结账) from the loans' side: every disbursement and
//! repayment dated in it must have been checked first, since a confirmation after the close
//! would have nowhere to post. The ledger does the rest.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use iam::Actor;
use kernel::{AppError, AppResult};
use ledgers::LedgersContext;
use ledgers::domain::voucher::{next_period_start, period_start};
use ledgers::service::periods::{self, CloseCheck, CloseReport};

use super::{LoansContext, db_error};

fn ledgers(ctx: &LoansContext) -> LedgersContext {
    LedgersContext {
        db: ctx.db.clone(),
        clock: ctx.clock.clone(),
    }
}

/// The loans' condition of the close: no registration dated up to the period's end awaits
/// its check.
async fn registrations_checked(ctx: &LoansContext, period: &str) -> AppResult<CloseCheck> {
    let start = period_start(period)
        .ok_or_else(|| AppError::invalid_field("period", "invalid", "a period is YYYY-MM"))?;
    let end = next_period_start(start);
    let n: i64 = ctx
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT (SELECT count(*) FROM disbursements WHERE status = 'registered' AND value_date < $1) \
                  + (SELECT count(*) FROM repayments WHERE status = 'registered' AND value_date < $1) \
                  + (SELECT count(*) FROM fee_receipts WHERE status = 'registered' AND value_date < $1) AS n",
            [Value::from(end)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("count"))?
        .try_get("", "n")
        .map_err(db_error)?;
    Ok(CloseCheck::new(
        "registrations_checked",
        n == 0,
        format!("{n} disbursement, repayment or fee registration(s) await review"),
    ))
}

/// Every condition of closing `period`, as the close would see it now.
pub async fn close_checks(ctx: &LoansContext, period: &str) -> AppResult<Vec<CloseCheck>> {
    let mut checks = vec![registrations_checked(ctx, period).await?];
    checks.extend(periods::ledger_checks(&ledgers(ctx), &ctx.db, period).await?);
    Ok(checks)
}

/// Closes `period`: checks, carry to 本年利润, lock.
pub async fn close_period(
    ctx: &LoansContext,
    actor: &Actor,
    period: &str,
) -> AppResult<CloseReport> {
    let checks = vec![registrations_checked(ctx, period).await?];
    periods::close(&ledgers(ctx), actor, period, checks).await
}

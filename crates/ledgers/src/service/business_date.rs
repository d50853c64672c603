//! The business date (营业日期): the day loans live on. It moves only with the daily close or
//! an administrator's audited command, never with the wall clock, so a day can be replayed.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use iam::Actor;
use iam::service::audit;
use kernel::{AppError, AppResult};

use super::{LedgersContext, db_error};

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BusinessDate {
    pub today: Date,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdvanceInput {
    /// The new business date: later than the current one, not after the calendar date.
    pub to: Date,
    /// Why it is moved by hand (the daily close moves it otherwise).
    pub reason: String,
}

/// The current business date. The first read of a new database starts it at the clock's date.
pub async fn today(db: &impl ConnectionTrait, clock: &kernel::SharedClock) -> AppResult<Date> {
    let read = || Statement::from_string(DbBackend::Postgres, "SELECT today FROM business_date");
    if let Some(row) = db.query_one_raw(read()).await.map_err(db_error)? {
        return row.try_get("", "today").map_err(db_error);
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO business_date (id, today, updated_at) VALUES (TRUE, $1, $2) \
         ON CONFLICT (id) DO NOTHING",
        [Value::from(clock.now().date()), Value::from(clock.now())],
    ))
    .await
    .map_err(db_error)?;
    db.query_one_raw(read())
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no business date"))?
        .try_get("", "today")
        .map_err(db_error)
}

pub async fn get(ctx: &LedgersContext) -> AppResult<BusinessDate> {
    Ok(BusinessDate {
        today: today(&ctx.db, &ctx.clock).await?,
    })
}

/// Moves the business date forward by hand, with the reason in the audit log.
pub async fn advance(
    ctx: &LedgersContext,
    actor: &Actor,
    input: &AdvanceInput,
) -> AppResult<BusinessDate> {
    if input.reason.trim().is_empty() {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why the date is moved by hand",
        ));
    }
    let now = ctx.clock.now();
    if input.to > now.date() {
        return Err(AppError::invalid_field(
            "to",
            "in_future",
            format!(
                "the business date cannot pass the calendar date {}",
                now.date()
            ),
        ));
    }
    let txn = ctx.db.begin().await.map_err(db_error)?;
    today(&txn, &ctx.clock).await?;
    // Lock the row: two administrators moving it at once must not both succeed.
    let current: Date = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT today FROM business_date FOR UPDATE",
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no business date"))?
        .try_get("", "today")
        .map_err(db_error)?;
    if input.to <= current {
        return Err(AppError::invalid_field(
            "to",
            "not_after_current",
            format!("the business date is {current}; it only moves forward"),
        ));
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE business_date SET today = $1, updated_at = $2",
        [Value::from(input.to), Value::from(now)],
    ))
    .await
    .map_err(db_error)?;
    let after = BusinessDate { today: input.to };
    let mut change = audit::Change::new("business_date", "1", "advance")
        .before(&BusinessDate { today: current })
        .after(&after);
    change.after = change.after.map(|mut a| {
        a["reason"] = serde_json::Value::from(input.reason.trim());
        a
    });
    audit::record(&txn, Some(actor), now, change).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

//! 按需计提: provisions made at tonight's close although it is not a month end — before a
//! board meeting or an audit, say. A person asks; the close's provisions step sees the demand.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use iam::domain::actor::Actor;
use iam::service::audit;
use kernel::{AppError, AppResult, Page, PageRequest};
use ledgers::service::business_date;

use super::super::db_error;
use super::{CloseContext, CloseStep, DEMANDS_LOCK, scalar};

/// Provisions asked for at the close of a business date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionDemand {
    pub business_date: Date,
    pub requested_by: i64,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
}

const SELECT: &str = "SELECT d.business_date, d.requested_by, u.display_name AS requested_by_name, \
    d.requested_at FROM provision_demands d JOIN users u ON u.id = d.requested_by";

/// Asks for provisions at the close of the current business date. Asking again returns the
/// demand already made; once that close has begun its provisions step it is too late.
pub async fn demand_provisions(ctx: &CloseContext, actor: &Actor) -> AppResult<ProvisionDemand> {
    let now = ctx.clock.now();
    let today = business_date::today(&ctx.db, &ctx.clock).await?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    txn.execute_unprepared(DEMANDS_LOCK)
        .await
        .map_err(db_error)?;
    let started = scalar(
        &txn,
        "SELECT count(*) AS n FROM close_steps s JOIN close_runs r ON r.id = s.run_id \
         WHERE r.business_date = $1 AND s.step = $2",
        [
            Value::from(today),
            Value::from(CloseStep::Provisions.as_str()),
        ],
    )
    .await?;
    if started > 0 {
        return Err(AppError::conflict(
            "provisions_step_begun",
            format!(
                "the close of {today} has already reached its provisions; ask at the next business date"
            ),
        ));
    }
    let inserted = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO provision_demands (business_date, requested_by, requested_at) VALUES ($1, $2, $3) \
             ON CONFLICT (business_date) DO NOTHING",
            [
                Value::from(today),
                Value::from(actor.user_id),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?
        .rows_affected();
    let demand = one(&txn, today).await?;
    if inserted > 0 {
        audit::record(
            &txn,
            Some(actor),
            now,
            audit::Change::new("provision_demand", date_key(today), "request").after(&demand),
        )
        .await?;
    }
    txn.commit().await.map_err(db_error)?;
    Ok(demand)
}

async fn one(db: &impl ConnectionTrait, date: Date) -> AppResult<ProvisionDemand> {
    ProvisionDemand::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE d.business_date = $1"),
        [Value::from(date)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("provision demand"))
}

/// The demands, newest first.
pub async fn provision_demands(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> AppResult<Page<ProvisionDemand>> {
    let total = scalar(db, "SELECT count(*) AS n FROM provision_demands", []).await?;
    let items = ProvisionDemand::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} ORDER BY d.business_date DESC LIMIT $1 OFFSET $2"),
        [Value::from(page.page_size()), Value::from(page.offset())],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    Ok(Page::new(items, total as u64, page))
}

/// The date as the audit trail's entity id: 2026-11-30 → 20261130.
fn date_key(date: Date) -> i64 {
    i64::from(date.year()) * 10_000
        + i64::from(u8::from(date.month())) * 100
        + i64::from(date.day())
}

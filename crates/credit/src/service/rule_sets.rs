//! The rule set's version history (规则版本): the current version, every earlier one, and saving
//! an edit as the next version (never changing an old one).

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, FromQueryResult, NotSet, Set, Statement,
    TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::service::{audit, sql::Where};
use kernel::{AppError, AppResult, Page, PageRequest};

use super::{CreditContext, db_error};
use crate::domain::rules::RuleSet;
use crate::repo::rule_set;

/// One version of the rule set.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleSetVersion {
    /// 0 is the built-in rule set, in force until one is saved.
    pub version: i32,
    pub rule_set: RuleSet,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleSetInput {
    pub rule_set: RuleSet,
    /// What changed and why.
    pub note: Option<String>,
    /// The version you edited; a newer one saved meanwhile is a 409.
    pub base_version: i32,
}

fn view(m: rule_set::Model) -> AppResult<RuleSetVersion> {
    Ok(RuleSetVersion {
        version: m.version,
        rule_set: serde_json::from_value(m.body).map_err(AppError::internal)?,
        note: m.note,
        created_by: m.created_by,
        created_at: Some(m.created_at),
    })
}

fn built_in() -> RuleSetVersion {
    RuleSetVersion {
        version: 0,
        rule_set: RuleSet::default(),
        note: Some("built-in".into()),
        created_by: None,
        created_at: None,
    }
}

/// The rule set in force.
pub async fn current(db: &impl ConnectionTrait) -> AppResult<RuleSetVersion> {
    let latest = rule_set::Model::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT * FROM risk_rule_sets ORDER BY version DESC LIMIT 1",
    ))
    .one(db)
    .await
    .map_err(db_error)?;
    latest.map(view).unwrap_or_else(|| Ok(built_in()))
}

/// One version, 0 being the built-in one.
pub async fn version(ctx: &CreditContext, version: i32) -> AppResult<RuleSetVersion> {
    if version == 0 {
        return Ok(built_in());
    }
    let found = rule_set::Model::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT * FROM risk_rule_sets WHERE version = $1",
        [Value::from(version)],
    ))
    .one(&ctx.db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("rule set version"))?;
    view(found)
}

/// Every saved version, newest first.
pub async fn history(ctx: &CreditContext, page: &PageRequest) -> AppResult<Page<RuleSetVersion>> {
    let rows = Where::new()
        .page::<rule_set::Model>(&ctx.db, "*", "risk_rule_sets", "version DESC", page)
        .await?;
    let items = rows
        .items
        .into_iter()
        .map(view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: rows.total,
        page: rows.page,
        page_size: rows.page_size,
    })
}

/// Saves an edit as the next version.
pub async fn save(
    ctx: &CreditContext,
    actor: &Actor,
    input: &RuleSetInput,
) -> AppResult<RuleSetVersion> {
    input.rule_set.check()?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    // One editor at a time: the lock orders concurrent saves.
    txn.execute_unprepared("LOCK TABLE risk_rule_sets IN SHARE ROW EXCLUSIVE MODE")
        .await
        .map_err(db_error)?;
    let before = current(&txn).await?;
    if before.version != input.base_version {
        return Err(AppError::stale_version("the rule set"));
    }
    let saved = view(
        rule_set::ActiveModel {
            id: NotSet,
            version: Set(before.version + 1),
            body: Set(serde_json::to_value(&input.rule_set).map_err(AppError::internal)?),
            note: Set(input
                .note
                .as_ref()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())),
            created_by: Set(Some(actor.user_id)),
            created_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(db_error)?,
    )?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("risk_rule_set", saved.version, "create")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

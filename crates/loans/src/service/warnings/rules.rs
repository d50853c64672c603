//! 预警规则: the fixed set of warning rules with their configurable thresholds, levels and
//! switches. Saving sends the whole set; each rule carries the version it was read at.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::service::audit;
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::super::{LoansContext, db_error};
use crate::domain::warning::{RuleSettings, WarningKind, WarningLevel, check_rules};

/// A warning rule (预警规则).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningRule {
    /// `dpd_1`, `dpd_30`, `dpd_90`, `maturity`, `gps_offline`, `gps_alarm`, `insurance`,
    /// `inspection`, `blacklist`.
    pub code: String,
    pub kind: WarningKind,
    /// dpd: at least this many days past due; maturity, insurance, inspection: within this
    /// many days; gps_offline: offline this many days. None for gps_alarm and blacklist.
    pub days: Option<i32>,
    pub level: WarningLevel,
    pub enabled: bool,
    pub version: i32,
    pub updated_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One rule's new settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningRuleInput {
    pub code: String,
    pub days: Option<i32>,
    pub level: WarningLevel,
    pub enabled: bool,
    /// The version the rule was read at.
    pub version: i32,
}

/// The whole set of rules, each named once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningRulesInput {
    pub rules: Vec<WarningRuleInput>,
}

#[derive(FromQueryResult)]
struct Row {
    code: String,
    kind: String,
    days: Option<i32>,
    level: String,
    enabled: bool,
    version: i32,
    updated_by_name: Option<String>,
    updated_at: OffsetDateTime,
}

async fn load(db: &impl ConnectionTrait, lock: bool) -> AppResult<Vec<WarningRule>> {
    Row::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!(
            "SELECT r.code, r.kind, r.days, r.level, r.enabled, r.version, u.display_name AS updated_by_name, \
               r.updated_at FROM warning_rules r LEFT JOIN users u ON u.id = r.updated_by \
             ORDER BY r.sort_order, r.code{}",
            if lock { " FOR UPDATE OF r" } else { "" }
        ),
    ))
    .all(db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(|r| {
        Ok(WarningRule {
            kind: WarningKind::parse(&r.kind)?,
            level: WarningLevel::parse(&r.level)?,
            code: r.code,
            days: r.days,
            enabled: r.enabled,
            version: r.version,
            updated_by_name: r.updated_by_name,
            updated_at: r.updated_at,
        })
    })
    .collect()
}

/// The rules in their order.
pub async fn list(ctx: &LoansContext) -> AppResult<Vec<WarningRule>> {
    load(&ctx.db, false).await
}

/// Saves the whole set: every rule named once, each at the version it was read; the rules
/// that change get a new version and an audit record.
pub async fn save(
    ctx: &LoansContext,
    actor: &Actor,
    input: &WarningRulesInput,
) -> AppResult<Vec<WarningRule>> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let stored = load(&txn, true).await?;
    let mut errors = FieldErrors::new();
    let mut seen = HashSet::new();
    let mut settings = Vec::with_capacity(input.rules.len());
    for (i, r) in input.rules.iter().enumerate() {
        match stored.iter().find(|s| s.code == r.code) {
            None => errors.add(
                format!("rules[{i}].code"),
                "unknown_rule",
                format!("there is no warning rule {}", r.code),
            ),
            Some(_) if !seen.insert(r.code.as_str()) => errors.add(
                format!("rules[{i}].code"),
                "duplicate",
                "each rule is named once",
            ),
            Some(s) => settings.push(RuleSettings {
                kind: s.kind,
                days: r.days,
                enabled: r.enabled,
            }),
        }
    }
    for s in &stored {
        if !seen.contains(s.code.as_str()) {
            errors.add(
                "rules",
                "missing_rule",
                format!("the rule {} is missing; send every rule", s.code),
            );
        }
    }
    errors.finish()?;
    check_rules(&settings)?;
    for r in &input.rules {
        let s = stored
            .iter()
            .find(|s| s.code == r.code)
            .ok_or_else(|| AppError::internal("a checked rule vanished"))?;
        if s.version != r.version {
            return Err(AppError::stale_version(&format!(
                "the warning rule {}",
                s.code
            )));
        }
    }
    for r in &input.rules {
        let s = stored
            .iter()
            .find(|s| s.code == r.code)
            .ok_or_else(|| AppError::internal("a checked rule vanished"))?;
        if s.days == r.days && s.level == r.level && s.enabled == r.enabled {
            continue;
        }
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE warning_rules SET days = $2, level = $3, enabled = $4, version = version + 1, \
               updated_by = $5, updated_at = $6 WHERE code = $1",
            [
                Value::from(r.code.clone()),
                Value::from(r.days),
                Value::from(r.level.as_str()),
                Value::from(r.enabled),
                Value::from(actor.user_id),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?;
        let after = WarningRule {
            days: r.days,
            level: r.level,
            enabled: r.enabled,
            version: s.version + 1,
            updated_by_name: Some(actor.display_name.clone()),
            updated_at: now,
            ..s.clone()
        };
        audit::record(
            &txn,
            Some(actor),
            now,
            audit::Change::new("warning_rule", &s.code, "update")
                .before(s)
                .after(&after),
        )
        .await?;
    }
    let after = load(&txn, false).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

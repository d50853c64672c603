//! Grades (等级): the configurable lists of customer grades (客户等级) and prospect grades
//! (意向客户等级), each with the criteria text that says who belongs in it.

use sea_orm::{
    ActiveModelTrait, EntityTrait, IntoActiveModel, NotSet, QuerySelect, Set, TransactionTrait,
    Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::repo::status::Status;
use iam::service::{VersionBody, audit, check_version, sql::Where};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Page, PageRequest};

use super::{CustomersContext, blank_to_none, db_error};
use crate::repo::grade;

/// Which list a grade belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeScope {
    Customer,
    Prospect,
}

impl GradeScope {
    pub fn as_str(self) -> &'static str {
        match self {
            GradeScope::Customer => "customer",
            GradeScope::Prospect => "prospect",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Grade {
    pub id: i64,
    pub scope: GradeScope,
    pub code: String,
    pub name: String,
    pub criteria: Option<String>,
    pub sort_order: i32,
    pub status: Status,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<grade::Model> for Grade {
    fn from(m: grade::Model) -> Grade {
        Grade {
            id: m.id,
            scope: if m.scope == "prospect" {
                GradeScope::Prospect
            } else {
                GradeScope::Customer
            },
            code: m.code,
            name: m.name,
            criteria: m.criteria,
            sort_order: m.sort_order,
            status: m.status,
            version: m.version,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GradeInput {
    pub scope: GradeScope,
    /// Letters, digits, `_` and `-`, unique within the scope (e.g. `A`, `VIP`).
    pub code: String,
    pub name: String,
    pub criteria: Option<String>,
    #[serde(default)]
    pub sort_order: i32,
    /// Required when updating.
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct GradeFilter {
    pub scope: Option<GradeScope>,
    pub status: Option<Status>,
}

fn check(input: &GradeInput) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    let code = input.code.trim();
    if code.is_empty()
        || code.len() > 30
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.add(
            "code",
            "invalid_format",
            "use 1–30 letters, digits, '_' and '-'",
        );
    }
    if input.name.trim().is_empty() {
        errors.add("name", "required", "the grade needs a name");
    }
    errors.finish()
}

pub async fn list(
    ctx: &CustomersContext,
    filter: &GradeFilter,
    page: &PageRequest,
) -> AppResult<Page<Grade>> {
    let mut w = Where::new();
    if let Some(s) = filter.scope {
        w.and("scope = $?", [Value::from(s.as_str())]);
    }
    if let Some(s) = filter.status {
        w.and(
            "status = $?",
            [Value::from(super::customers::status_str(s))],
        );
    }
    let rows = w
        .page::<grade::Model>(
            &ctx.db,
            "*",
            "customer_grades",
            "scope, sort_order, code",
            page,
        )
        .await?;
    Ok(rows.map(Grade::from))
}

pub async fn create(ctx: &CustomersContext, actor: &Actor, input: &GradeInput) -> AppResult<Grade> {
    check(input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved: Grade = grade::ActiveModel {
        id: NotSet,
        scope: Set(input.scope.as_str().into()),
        code: Set(input.code.trim().into()),
        name: Set(input.name.trim().into()),
        criteria: Set(blank_to_none(&input.criteria)),
        sort_order: Set(input.sort_order),
        status: Set(Status::Active),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?
    .into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("customer_grade", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

async fn change(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    version: i32,
    action: &str,
    apply: impl FnOnce(&mut grade::ActiveModel),
) -> AppResult<Grade> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = grade::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("grade"))?;
    check_version("grade", found.version, version)?;
    let before = Grade::from(found.clone());
    let mut row = found.clone().into_active_model();
    apply(&mut row);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved = Grade::from(row.update(&txn).await.map_err(db_error)?);
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change {
            entity: "customer_grade",
            entity_id: id.to_string(),
            action,
            before: audit::snapshot(&before),
            after: audit::snapshot(&saved),
        },
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Updates a grade; its scope never changes.
pub async fn update(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &GradeInput,
) -> AppResult<Grade> {
    check(input)?;
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    change(ctx, actor, id, version, "update", |row| {
        row.code = Set(input.code.trim().into());
        row.name = Set(input.name.trim().into());
        row.criteria = Set(blank_to_none(&input.criteria));
        row.sort_order = Set(input.sort_order);
    })
    .await
}

pub async fn set_status(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &VersionBody,
    status: Status,
) -> AppResult<Grade> {
    change(ctx, actor, id, input.version, status.action(), |row| {
        row.status = Set(status);
    })
    .await
}

//! Departments (部门): a tree. Each row keeps its path from the root so "department and below"
//! is one indexed prefix match.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement, TransactionTrait,
    Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use validator::Validate;

use kernel::{AppError, AppResult};

use super::{IamContext, VersionBody, audit, check_version, db_error};
use crate::Actor;
use crate::domain::validate::{self, validate};
use crate::repo::department;
use crate::repo::status::Status;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Department {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub code: String,
    pub status: Status,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A department with the departments below it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentTree {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub code: String,
    pub status: Status,
    pub version: i32,
    #[schema(no_recursion)]
    pub children: Vec<DepartmentTree>,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewDepartment {
    /// The department above; none for a top-level department.
    pub parent_id: Option<i64>,
    #[validate(
        custom(function = "validate::not_blank"),
        length(max = 100, code = "too_long", message = "at most 100 characters")
    )]
    pub name: String,
    #[validate(
        custom(function = "validate::code"),
        length(max = 50, code = "too_long", message = "at most 50 characters")
    )]
    pub code: String,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentUpdate {
    pub parent_id: Option<i64>,
    #[validate(
        custom(function = "validate::not_blank"),
        length(max = 100, code = "too_long", message = "at most 100 characters")
    )]
    pub name: String,
    #[validate(
        custom(function = "validate::code"),
        length(max = 50, code = "too_long", message = "at most 50 characters")
    )]
    pub code: String,
    pub version: i32,
}

impl From<department::Model> for Department {
    fn from(m: department::Model) -> Self {
        Department {
            id: m.id,
            parent_id: m.parent_id,
            name: m.name,
            code: m.code,
            status: m.status,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Every department as a forest, ordered by code within each level.
pub async fn tree(ctx: &IamContext) -> AppResult<Vec<DepartmentTree>> {
    let rows = department::Entity::find()
        .order_by_asc(department::Column::Code)
        .all(&ctx.db)
        .await
        .map_err(db_error)?;
    Ok(build_tree(&rows, None))
}

fn build_tree(rows: &[department::Model], parent: Option<i64>) -> Vec<DepartmentTree> {
    rows.iter()
        .filter(|r| r.parent_id == parent)
        .map(|r| DepartmentTree {
            id: r.id,
            parent_id: r.parent_id,
            name: r.name.clone(),
            code: r.code.clone(),
            status: r.status,
            version: r.version,
            children: build_tree(rows, Some(r.id)),
        })
        .collect()
}

pub async fn get(ctx: &IamContext, id: i64) -> AppResult<Department> {
    find(&ctx.db, id, false).await.map(Department::from)
}

async fn find(db: &impl ConnectionTrait, id: i64, lock: bool) -> AppResult<department::Model> {
    let mut q = department::Entity::find_by_id(id);
    if lock {
        q = q.lock_exclusive();
    }
    q.one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("department"))
}

/// The parent a department may be placed under: it must exist and be active.
async fn usable_parent(
    db: &impl ConnectionTrait,
    parent_id: Option<i64>,
) -> AppResult<Option<department::Model>> {
    let Some(id) = parent_id else {
        return Ok(None);
    };
    match department::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
    {
        Some(p) if p.status == Status::Active => Ok(Some(p)),
        _ => Err(AppError::invalid_field(
            "parentId",
            "unknown_reference",
            "choose an existing, active parent department",
        )),
    }
}

pub async fn create(
    ctx: &IamContext,
    actor: &Actor,
    input: &NewDepartment,
) -> AppResult<Department> {
    validate(input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let parent = usable_parent(&txn, input.parent_id).await?;
    let inserted = department::ActiveModel {
        id: NotSet,
        parent_id: Set(input.parent_id),
        name: Set(input.name.trim().to_string()),
        code: Set(input.code.clone()),
        path: Set(String::new()),
        status: Set(Status::Active),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let path = format!(
        "{}{}/",
        parent.map(|p| p.path).unwrap_or_else(|| "/".into()),
        inserted.id
    );
    let mut row = inserted.into_active_model();
    row.path = Set(path);
    let saved: Department = row.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("department", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn update(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &DepartmentUpdate,
) -> AppResult<Department> {
    validate(input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = find(&txn, id, true).await?;
    check_version("department", found.version, input.version)?;
    let before = Department::from(found.clone());
    let mut path = found.path.clone();
    if input.parent_id != found.parent_id {
        let parent = usable_parent(&txn, input.parent_id).await?;
        if let Some(p) = &parent
            && p.path.starts_with(&found.path)
        {
            return Err(AppError::invalid_field(
                "parentId",
                "cycle",
                "a department cannot move under itself or a department below it",
            ));
        }
        path = format!(
            "{}{}/",
            parent.map(|p| p.path).unwrap_or_else(|| "/".into()),
            found.id
        );
        // Everything below moves with it.
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE departments SET path = $1 || substr(path, length($2) + 1) \
             WHERE path LIKE $2 || '%' AND id <> $3",
            [
                Value::from(path.clone()),
                Value::from(found.path.clone()),
                Value::from(found.id),
            ],
        ))
        .await
        .map_err(db_error)?;
    }
    let mut row = found.clone().into_active_model();
    row.parent_id = Set(input.parent_id);
    row.name = Set(input.name.trim().to_string());
    row.code = Set(input.code.clone());
    row.path = Set(path);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved: Department = row.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("department", id, "update")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Disables or re-enables a department. One with active departments below it cannot be
/// disabled; a department cannot be enabled under a disabled parent.
pub async fn set_status(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &VersionBody,
    status: Status,
) -> AppResult<Department> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = find(&txn, id, true).await?;
    check_version("department", found.version, input.version)?;
    if status == Status::Disabled {
        let active_children = department::Entity::find()
            .filter(department::Column::ParentId.eq(id))
            .filter(department::Column::Status.eq(Status::Active))
            .count(&txn)
            .await
            .map_err(db_error)?;
        if active_children > 0 {
            return Err(AppError::conflict(
                "has_active_children",
                "disable the departments below it first",
            ));
        }
    } else if found.parent_id.is_some() {
        usable_parent(&txn, found.parent_id).await.map_err(|_| {
            AppError::conflict("parent_disabled", "enable the parent department first")
        })?;
    }
    let before = Department::from(found.clone());
    let mut row = found.clone().into_active_model();
    row.status = Set(status);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved: Department = row.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("department", id, status.action())
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

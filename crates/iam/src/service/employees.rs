//! Employees (员工): people on the payroll, each in a department, with a position and
//! optionally a user account.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    NotSet, QuerySelect, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use kernel::{AppError, AppResult, Page, PageRequest};

use super::sql::Where;
use super::{IamContext, VersionBody, audit, check_version, db_error, scope};
use crate::domain::validate::{self, validate};
use crate::repo::status::Status;
use crate::repo::{department, employee, position, user};
use crate::{Actor, DataScope};

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Employee {
    pub id: i64,
    pub employee_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub department_id: i64,
    pub department_name: String,
    pub position_id: Option<i64>,
    pub position_name: Option<String>,
    pub user_id: Option<i64>,
    pub hired_on: Option<Date>,
    pub status: Status,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmployeeInput {
    #[validate(
        custom(function = "validate::code"),
        length(max = 30, code = "too_long", message = "at most 30 characters")
    )]
    pub employee_no: String,
    #[validate(
        custom(function = "validate::not_blank"),
        length(max = 50, code = "too_long", message = "at most 50 characters")
    )]
    pub name: String,
    #[validate(custom(function = "validate::mobile_phone"))]
    pub phone: Option<String>,
    #[validate(email(
        code = "invalid_email",
        message = "use an e-mail address like name@example.com"
    ))]
    pub email: Option<String>,
    pub department_id: i64,
    pub position_id: Option<i64>,
    /// The user account this employee signs in with.
    pub user_id: Option<i64>,
    pub hired_on: Option<Date>,
    /// Required when updating: the version you edited.
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct EmployeeFilter {
    /// Part of the name, number or phone.
    pub keyword: Option<String>,
    pub department_id: Option<i64>,
    pub position_id: Option<i64>,
    pub status: Option<Status>,
}

const COLUMNS: &str = "e.id, e.employee_no, e.name, e.phone, e.email, e.department_id, \
    d.name AS department_name, e.position_id, p.name AS position_name, e.user_id, e.hired_on, \
    e.status, e.version, e.created_at, e.updated_at";
const FROM: &str = "employees e JOIN departments d ON d.id = e.department_id \
    LEFT JOIN positions p ON p.id = e.position_id";
/// An employee is one's own when it is one's own record or one created it.
const OWN: &str = "e.user_id = $? OR e.created_by = $?";

pub async fn list(
    ctx: &IamContext,
    actor: &Actor,
    filter: &EmployeeFilter,
    page: &PageRequest,
) -> AppResult<Page<Employee>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "e.department_id", OWN);
    if let Some(k) = filter.keyword.as_deref().filter(|k| !k.trim().is_empty()) {
        let pattern = format!("%{}%", k.trim());
        w.and(
            "(e.name ILIKE $? OR e.employee_no ILIKE $? OR e.phone LIKE $?)",
            [
                Value::from(pattern.clone()),
                Value::from(pattern.clone()),
                Value::from(pattern),
            ],
        );
    }
    if let Some(d) = filter.department_id {
        w.and("e.department_id = $?", [Value::from(d)]);
    }
    if let Some(p) = filter.position_id {
        w.and("e.position_id = $?", [Value::from(p)]);
    }
    if let Some(s) = filter.status {
        w.and(
            "e.status = $?",
            [Value::from(if s == Status::Active {
                "active"
            } else {
                "disabled"
            })],
        );
    }
    w.page(&ctx.db, COLUMNS, FROM, "e.employee_no, e.id", page)
        .await
}

pub async fn get(ctx: &IamContext, actor: &Actor, id: i64) -> AppResult<Employee> {
    view(&ctx.db, actor, id).await
}

async fn view(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Employee> {
    let mut w = Where::new();
    w.and("e.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "e.department_id", OWN);
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql());
    Employee::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("employee"))
}

/// The department, position and user an employee refers to must exist and be active.
async fn check_references(db: &impl ConnectionTrait, input: &EmployeeInput) -> AppResult<()> {
    let mut errors = kernel::error::FieldErrors::new();
    let department = department::Entity::find_by_id(input.department_id)
        .one(db)
        .await
        .map_err(db_error)?;
    if !matches!(department, Some(d) if d.status == Status::Active) {
        errors.add(
            "departmentId",
            "unknown_reference",
            "choose an existing, active department",
        );
    }
    if let Some(id) = input.position_id {
        let found = position::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_error)?;
        if !matches!(found, Some(p) if p.status == Status::Active) {
            errors.add(
                "positionId",
                "unknown_reference",
                "choose an existing, active position",
            );
        }
    }
    if let Some(id) = input.user_id {
        let found = user::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_error)?;
        if found.is_none() {
            errors.add(
                "userId",
                "unknown_reference",
                "choose an existing user account",
            );
        }
    }
    errors.finish()
}

fn unscoped(actor: &Actor) -> Actor {
    Actor {
        data_scope: DataScope::All,
        ..actor.clone()
    }
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub async fn create(ctx: &IamContext, actor: &Actor, input: &EmployeeInput) -> AppResult<Employee> {
    validate(input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    check_references(&txn, input).await?;
    let inserted = employee::ActiveModel {
        id: NotSet,
        employee_no: Set(input.employee_no.clone()),
        name: Set(input.name.trim().into()),
        phone: Set(blank_to_none(&input.phone)),
        email: Set(blank_to_none(&input.email)),
        department_id: Set(input.department_id),
        position_id: Set(input.position_id),
        user_id: Set(input.user_id),
        hired_on: Set(input.hired_on),
        status: Set(Status::Active),
        created_by: Set(Some(actor.user_id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let saved = view(&txn, &unscoped(actor), inserted.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("employee", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

async fn lock(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<(employee::Model, Employee)> {
    let before = view(db, actor, id).await?;
    let found = employee::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("employee"))?;
    Ok((found, before))
}

pub async fn update(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &EmployeeInput,
) -> AppResult<Employee> {
    validate(input)?;
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (found, before) = lock(&txn, actor, id).await?;
    check_version("employee", found.version, version)?;
    check_references(&txn, input).await?;
    let mut row = found.clone().into_active_model();
    row.employee_no = Set(input.employee_no.clone());
    row.name = Set(input.name.trim().into());
    row.phone = Set(blank_to_none(&input.phone));
    row.email = Set(blank_to_none(&input.email));
    row.department_id = Set(input.department_id);
    row.position_id = Set(input.position_id);
    row.user_id = Set(input.user_id);
    row.hired_on = Set(input.hired_on);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    let saved = view(&txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("employee", id, "update")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn set_status(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &VersionBody,
    status: Status,
) -> AppResult<Employee> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (found, before) = lock(&txn, actor, id).await?;
    check_version("employee", found.version, input.version)?;
    let mut row = found.clone().into_active_model();
    row.status = Set(status);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    let saved = view(&txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("employee", id, status.action())
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

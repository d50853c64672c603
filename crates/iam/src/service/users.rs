//! User accounts (用户): sign-in names, roles and the department that scopes their data.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    IntoActiveModel, NotSet, QueryFilter, QuerySelect, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use kernel::{AppError, AppResult, Page, PageRequest};

use super::sql::Where;
use super::{IamContext, VersionBody, audit, auth, check_version, db_error, roles, scope};
use crate::Actor;
use crate::domain::password;
use crate::domain::validate::{self, validate};
use crate::repo::status::Status;
use crate::repo::{department, user, user_role};

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: Option<i64>,
    pub role_ids: Vec<i64>,
    pub status: Status,
    pub must_change_password: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_login_at: Option<OffsetDateTime>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    #[validate(custom(function = "validate::username"))]
    pub username: String,
    #[validate(
        custom(function = "validate::not_blank"),
        length(max = 50, code = "too_long", message = "at most 50 characters")
    )]
    pub display_name: String,
    pub department_id: Option<i64>,
    pub role_ids: Vec<i64>,
    /// A first password the user must change at first sign-in.
    pub initial_password: String,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserUpdate {
    #[validate(
        custom(function = "validate::not_blank"),
        length(max = 50, code = "too_long", message = "at most 50 characters")
    )]
    pub display_name: String,
    pub department_id: Option<i64>,
    pub role_ids: Vec<i64>,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordReset {
    pub new_password: String,
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Part of the username or display name.
    pub keyword: Option<String>,
    pub department_id: Option<i64>,
    pub status: Option<Status>,
}

const COLUMNS: &str = "u.id, u.username, u.display_name, u.department_id, \
    COALESCE((SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_roles ur WHERE ur.user_id = u.id), '{}') AS role_ids, \
    u.status, u.must_change_password, u.locked_until, u.last_login_at, u.version, u.created_at, u.updated_at";

/// Users the actor's data scope covers: their own department's, below it, or their own record.
pub async fn list(
    ctx: &IamContext,
    actor: &Actor,
    filter: &UserFilter,
    page: &PageRequest,
) -> AppResult<Page<User>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "u.department_id", "u.id = $?");
    if let Some(k) = filter.keyword.as_deref().filter(|k| !k.trim().is_empty()) {
        let pattern = format!("%{}%", k.trim());
        w.and(
            "(u.username ILIKE $? OR u.display_name ILIKE $?)",
            [Value::from(pattern.clone()), Value::from(pattern)],
        );
    }
    if let Some(d) = filter.department_id {
        w.and("u.department_id = $?", [Value::from(d)]);
    }
    if let Some(s) = filter.status {
        w.and("u.status = $?", [Value::from(status_text(s))]);
    }
    w.page(&ctx.db, COLUMNS, "users u", "u.id", page).await
}

fn status_text(s: Status) -> String {
    match s {
        Status::Active => "active".into(),
        Status::Disabled => "disabled".into(),
    }
}

/// One user, if the actor's scope covers them (else 404, so ids cannot be probed).
pub async fn get(ctx: &IamContext, actor: &Actor, id: i64) -> AppResult<User> {
    view(&ctx.db, actor, id).await
}

async fn view(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<User> {
    let mut w = Where::new();
    w.and("u.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "u.department_id", "u.id = $?");
    let sql = format!("SELECT {COLUMNS} FROM users u WHERE {}", w.sql());
    User::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("user"))
}

async fn check_department(db: &impl ConnectionTrait, id: Option<i64>) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    match department::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
    {
        Some(d) if d.status == Status::Active => Ok(()),
        _ => Err(AppError::invalid_field(
            "departmentId",
            "unknown_reference",
            "choose an existing, active department",
        )),
    }
}

async fn set_roles(db: &impl ConnectionTrait, user_id: i64, role_ids: &[i64]) -> AppResult<()> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .map_err(db_error)?;
    let mut ids = role_ids.to_vec();
    ids.sort();
    ids.dedup();
    for role_id in ids {
        user_role::ActiveModel {
            user_id: Set(user_id),
            role_id: Set(role_id),
        }
        .insert(db)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

pub async fn create(ctx: &IamContext, actor: &Actor, input: &NewUser) -> AppResult<User> {
    validate(input)?;
    password::check_policy("initialPassword", &input.initial_password, &input.username)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    check_department(&txn, input.department_id).await?;
    roles::check_assignable(&txn, actor, &input.role_ids).await?;
    let inserted = user::ActiveModel {
        id: NotSet,
        username: Set(input.username.clone()),
        display_name: Set(input.display_name.trim().into()),
        password_hash: Set(password::hash(&input.initial_password)?),
        department_id: Set(input.department_id),
        status: Set(Status::Active),
        must_change_password: Set(true),
        failed_attempts: Set(0),
        locked_until: Set(None),
        last_login_at: Set(None),
        password_changed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    set_roles(&txn, inserted.id, &input.role_ids).await?;
    let saved = view(&txn, &unscoped(actor), inserted.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("user", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// The actor with an "all data" scope: after a write the record is read back whatever the
/// scope, since the write itself was allowed.
fn unscoped(actor: &Actor) -> Actor {
    Actor {
        data_scope: crate::DataScope::All,
        ..actor.clone()
    }
}

async fn lock(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<(user::Model, User)> {
    let before = view(db, actor, id).await?;
    let found = user::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("user"))?;
    Ok((found, before))
}

pub async fn update(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &UserUpdate,
) -> AppResult<User> {
    validate(input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (found, before) = lock(&txn, actor, id).await?;
    check_version("user", found.version, input.version)?;
    check_department(&txn, input.department_id).await?;
    roles::check_assignable(&txn, actor, &input.role_ids).await?;
    let mut row = found.clone().into_active_model();
    row.display_name = Set(input.display_name.trim().into());
    row.department_id = Set(input.department_id);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    set_roles(&txn, id, &input.role_ids).await?;
    let saved = view(&txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("user", id, "update")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Disables (ending every sign-in) or re-enables an account. Nobody disables themselves.
pub async fn set_status(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &VersionBody,
    status: Status,
) -> AppResult<User> {
    if status == Status::Disabled && id == actor.user_id {
        return Err(AppError::conflict(
            "cannot_disable_self",
            "you cannot disable your own account",
        ));
    }
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (found, before) = lock(&txn, actor, id).await?;
    check_version("user", found.version, input.version)?;
    let mut row = found.clone().into_active_model();
    row.status = Set(status);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    if status == Status::Disabled {
        auth::revoke_all(&txn, id, now).await?;
    }
    let saved = view(&txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("user", id, status.action())
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Sets a new password that the user must change at next sign-in; unlocks the account and
/// ends its sign-ins.
pub async fn reset_password(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &PasswordReset,
) -> AppResult<User> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (found, before) = lock(&txn, actor, id).await?;
    check_version("user", found.version, input.version)?;
    password::check_policy("newPassword", &input.new_password, &found.username)?;
    let mut row = found.clone().into_active_model();
    row.password_hash = Set(password::hash(&input.new_password)?);
    row.must_change_password = Set(true);
    row.failed_attempts = Set(0);
    row.locked_until = Set(None);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    auth::revoke_all(&txn, id, now).await?;
    let saved = view(&txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("user", id, "reset_password")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

//! Roles (角色): a set of permissions from the catalogue and a data scope.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use validator::Validate;

use kernel::{AppError, AppResult, FieldError, Page, PageRequest};

use super::sql::Where;
use super::{IamContext, VersionBody, audit, check_version, db_error};
use crate::domain::permission;
use crate::domain::validate::{self, validate};
use crate::repo::role;
use crate::repo::status::Status;
use crate::{Actor, DataScope};

#[derive(Debug, Clone, Serialize, ToSchema, sea_orm::FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    #[schema(value_type = DataScope)]
    pub data_scope: String,
    pub permissions: Vec<String>,
    /// Built-in roles keep every permission and cannot be disabled.
    pub builtin: bool,
    pub status: Status,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleInput {
    #[validate(
        custom(function = "validate::code"),
        length(max = 50, code = "too_long", message = "at most 50 characters")
    )]
    pub code: String,
    #[validate(
        custom(function = "validate::not_blank"),
        length(max = 100, code = "too_long", message = "at most 100 characters")
    )]
    pub name: String,
    #[validate(length(max = 500, code = "too_long", message = "at most 500 characters"))]
    pub description: Option<String>,
    pub data_scope: DataScope,
    /// Codes from `GET /permissions`.
    pub permissions: Vec<String>,
    /// Required when updating: the version you edited.
    pub version: Option<i32>,
}

impl From<role::Model> for Role {
    fn from(m: role::Model) -> Self {
        Role {
            id: m.id,
            code: m.code,
            name: m.name,
            description: m.description,
            data_scope: m.data_scope,
            permissions: m.permissions,
            builtin: m.builtin,
            status: m.status,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

fn check_permissions(actor: &Actor, input: &RoleInput) -> AppResult<Vec<String>> {
    if !grantable(actor, &[], input.data_scope.as_str()) {
        return Err(AppError::invalid_field(
            "dataScope",
            "cannot_grant_role",
            "a role may not see more data than you do",
        ));
    }
    let unknown: Vec<FieldError> = input
        .permissions
        .iter()
        .enumerate()
        .filter(|(_, code)| !permission::is_known(code) || !actor.has(code))
        .map(|(i, code)| {
            if permission::is_known(code) {
                FieldError::new(
                    format!("permissions[{i}]"),
                    "cannot_grant_role",
                    format!("you do not hold {code}, so you cannot give it to a role"),
                )
            } else {
                FieldError::new(
                    format!("permissions[{i}]"),
                    "invalid_value",
                    format!("{code} is not a permission; see GET /api/v1/permissions"),
                )
            }
        })
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::validation(unknown));
    }
    let mut codes = input.permissions.clone();
    codes.sort();
    codes.dedup();
    Ok(codes)
}

pub async fn list(ctx: &IamContext, page: &PageRequest) -> AppResult<Page<Role>> {
    Where::new()
        .page(
            &ctx.db,
            "id, code, name, description, data_scope, permissions, builtin, status, version, created_at, updated_at",
            "roles",
            "id",
            page,
        )
        .await
}

pub async fn get(ctx: &IamContext, id: i64) -> AppResult<Role> {
    find(&ctx.db, id, false).await.map(Role::from)
}

async fn find(db: &impl ConnectionTrait, id: i64, lock: bool) -> AppResult<role::Model> {
    let mut q = role::Entity::find_by_id(id);
    if lock {
        q = q.lock_exclusive();
    }
    q.one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("role"))
}

/// Checks that every id names an active role the actor may grant; 422 on `roleIds[i]`
/// otherwise. Nobody grants more than they hold: a role with a permission the actor lacks, or
/// a wider data scope than the actor's, is refused, so `org:user:write` is not a way to
/// become administrator.
pub async fn check_assignable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
) -> AppResult<()> {
    let found: Vec<role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(ids.iter().copied()))
        .filter(role::Column::Status.eq(Status::Active))
        .all(db)
        .await
        .map_err(db_error)?;
    let errors: Vec<FieldError> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let field = format!("roleIds[{i}]");
            match found.iter().find(|r| r.id == *id) {
                None => Some(FieldError::new(
                    field,
                    "unknown_reference",
                    "choose an existing, active role",
                )),
                Some(r) if !grantable(actor, &r.permissions, &r.data_scope) => {
                    Some(FieldError::new(
                        field,
                        "cannot_grant_role",
                        format!(
                            "role {} carries permissions or a data scope beyond your own",
                            r.code
                        ),
                    ))
                }
                Some(_) => None,
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(errors))
    }
}

/// Whether `actor` holds every permission and at least the data scope given.
fn grantable(actor: &Actor, permissions: &[String], data_scope: &str) -> bool {
    permissions.iter().all(|p| actor.has(p))
        && DataScope::parse(data_scope).is_some_and(|scope| scope <= actor.data_scope)
}

pub async fn create(ctx: &IamContext, actor: &Actor, input: &RoleInput) -> AppResult<Role> {
    validate(input)?;
    let permissions = check_permissions(actor, input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved: Role = role::ActiveModel {
        id: NotSet,
        code: Set(input.code.clone()),
        name: Set(input.name.trim().into()),
        description: Set(input.description.clone()),
        data_scope: Set(input.data_scope.as_str().into()),
        permissions: Set(permissions),
        builtin: Set(false),
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
        audit::Change::new("role", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn update(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &RoleInput,
) -> AppResult<Role> {
    validate(input)?;
    let permissions = check_permissions(actor, input)?;
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = find(&txn, id, true).await?;
    check_version("role", found.version, version)?;
    if found.builtin
        && (permissions != found.permissions || input.data_scope.as_str() != found.data_scope)
    {
        return Err(AppError::conflict(
            "builtin_role",
            "the administrator role always holds every permission over all data",
        ));
    }
    let before = Role::from(found.clone());
    let mut row = found.clone().into_active_model();
    row.code = Set(input.code.clone());
    row.name = Set(input.name.trim().into());
    row.description = Set(input.description.clone());
    row.data_scope = Set(input.data_scope.as_str().into());
    row.permissions = Set(permissions);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved: Role = row.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("role", id, "update")
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
) -> AppResult<Role> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = find(&txn, id, true).await?;
    check_version("role", found.version, input.version)?;
    if found.builtin && status == Status::Disabled {
        return Err(AppError::conflict(
            "builtin_role",
            "the administrator role cannot be disabled",
        ));
    }
    let before = Role::from(found.clone());
    let mut row = found.clone().into_active_model();
    row.status = Set(status);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved: Role = row.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("role", id, status.action())
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

//! Positions (职务): job titles an employee holds, e.g. 客户经理, 风控专员.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use validator::Validate;

use kernel::{AppError, AppResult, Page, PageRequest};

use super::sql::Where;
use super::{IamContext, VersionBody, audit, check_version, db_error};
use crate::Actor;
use crate::domain::validate::{self, validate};
use crate::repo::position;
use crate::repo::status::Status;

#[derive(Debug, Clone, Serialize, ToSchema, sea_orm::FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub status: Status,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PositionInput {
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
    /// Required when updating: the version you edited.
    pub version: Option<i32>,
}

impl From<position::Model> for Position {
    fn from(m: position::Model) -> Self {
        Position {
            id: m.id,
            code: m.code,
            name: m.name,
            description: m.description,
            status: m.status,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub async fn list(ctx: &IamContext, page: &PageRequest) -> AppResult<Page<Position>> {
    Where::new()
        .page(
            &ctx.db,
            "id, code, name, description, status, version, created_at, updated_at",
            "positions",
            "code, id",
            page,
        )
        .await
}

pub async fn get(ctx: &IamContext, id: i64) -> AppResult<Position> {
    find(&ctx.db, id, false).await.map(Position::from)
}

async fn find(db: &impl ConnectionTrait, id: i64, lock: bool) -> AppResult<position::Model> {
    let mut q = position::Entity::find_by_id(id);
    if lock {
        q = q.lock_exclusive();
    }
    q.one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("position"))
}

pub async fn create(ctx: &IamContext, actor: &Actor, input: &PositionInput) -> AppResult<Position> {
    validate(input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved: Position = position::ActiveModel {
        id: NotSet,
        code: Set(input.code.clone()),
        name: Set(input.name.trim().into()),
        description: Set(input.description.clone()),
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
        audit::Change::new("position", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn update(
    ctx: &IamContext,
    actor: &Actor,
    id: i64,
    input: &PositionInput,
) -> AppResult<Position> {
    validate(input)?;
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = find(&txn, id, true).await?;
    check_version("position", found.version, version)?;
    let before = Position::from(found.clone());
    let mut row = found.clone().into_active_model();
    row.code = Set(input.code.clone());
    row.name = Set(input.name.trim().into());
    row.description = Set(input.description.clone());
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved: Position = row.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("position", id, "update")
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
) -> AppResult<Position> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = find(&txn, id, true).await?;
    check_version("position", found.version, input.version)?;
    let before = Position::from(found.clone());
    let mut row = found.clone().into_active_model();
    row.status = Set(status);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved: Position = row.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("position", id, status.action())
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

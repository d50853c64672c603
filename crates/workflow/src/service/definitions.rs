//! Flow definitions (审批流程图配置): one per business type; saving a graph writes a new
//! version and never changes an old one, so running instances keep theirs.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::repo::status::Status;
use iam::service::{VersionBody, audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::candidates::active_ids;
use super::{WorkflowContext, db_error};
use crate::domain::{Assignee, BusinessType, FlowGraph};
use crate::repo::{definition, definition_version};

/// A flow definition with its current graph.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowDefinition {
    pub id: i64,
    pub business_type: BusinessType,
    pub name: String,
    pub status: Status,
    /// Send it back to save a new graph, disable or enable.
    pub version: i32,
    /// The number of the current graph version (1, 2, …).
    pub graph_version: i32,
    pub graph: FlowGraph,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A flow to save for a business type: created when there is none, else a new version.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowInput {
    pub name: String,
    pub graph: FlowGraph,
    /// Required when a flow exists: the `version` you edited.
    #[serde(default)]
    pub version: Option<i32>,
}

/// One saved graph of a flow.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowVersion {
    pub version_no: i32,
    pub graph: FlowGraph,
    pub created_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

pub(crate) fn parse_graph(json: serde_json::Value) -> AppResult<FlowGraph> {
    serde_json::from_value(json).map_err(AppError::internal)
}

async fn view(
    db: &impl sea_orm::ConnectionTrait,
    d: definition::Model,
) -> AppResult<FlowDefinition> {
    let v = definition_version::Entity::find_by_id((d.id, d.current_version))
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("a flow without its current version"))?;
    Ok(FlowDefinition {
        id: d.id,
        business_type: d.business_type,
        name: d.name,
        status: d.status,
        version: d.version,
        graph_version: d.current_version,
        graph: parse_graph(v.graph)?,
        updated_at: d.updated_at,
    })
}

async fn find(
    db: &impl sea_orm::ConnectionTrait,
    business_type: BusinessType,
) -> AppResult<Option<definition::Model>> {
    definition::Entity::find()
        .filter(definition::Column::BusinessType.eq(business_type))
        .one(db)
        .await
        .map_err(db_error)
}

pub async fn list(ctx: &WorkflowContext) -> AppResult<Vec<FlowDefinition>> {
    let found = definition::Entity::find()
        .order_by_asc(definition::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?;
    let mut out = Vec::with_capacity(found.len());
    for d in found {
        out.push(view(&ctx.db, d).await?);
    }
    Ok(out)
}

pub async fn get(ctx: &WorkflowContext, business_type: BusinessType) -> AppResult<FlowDefinition> {
    let d = find(&ctx.db, business_type)
        .await?
        .ok_or_else(|| AppError::not_found("flow"))?;
    view(&ctx.db, d).await
}

/// The graph of a version, for an instance's diagram.
pub async fn version(
    db: &impl sea_orm::ConnectionTrait,
    definition_id: i64,
    version_no: i32,
) -> AppResult<FlowGraph> {
    let v = definition_version::Entity::find_by_id((definition_id, version_no))
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("flow version"))?;
    parse_graph(v.graph)
}

pub async fn versions(
    ctx: &WorkflowContext,
    business_type: BusinessType,
) -> AppResult<Vec<FlowVersion>> {
    let d = find(&ctx.db, business_type)
        .await?
        .ok_or_else(|| AppError::not_found("flow"))?;
    definition_version::Entity::find()
        .filter(definition_version::Column::DefinitionId.eq(d.id))
        .order_by_desc(definition_version::Column::VersionNo)
        .all(&ctx.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|v| {
            Ok(FlowVersion {
                version_no: v.version_no,
                graph: parse_graph(v.graph)?,
                created_by_name: v.created_by_name,
                created_at: v.created_at,
            })
        })
        .collect()
}

/// The graph's rules, then every role, position and user it names must exist and be active;
/// each failure names the step's field.
async fn check(db: &impl sea_orm::ConnectionTrait, input: &FlowInput) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        errors.add(
            "name",
            "required",
            "the flow needs a name of at most 60 characters",
        );
    }
    if let Err(graph_errors) = input.graph.validate() {
        for e in graph_errors.field_errors {
            errors.add(format!("graph.{}", e.field), e.code, e.message);
        }
    }
    errors.finish()?;
    let mut errors = FieldErrors::new();
    for (i, step) in input.graph.steps.iter().enumerate() {
        let path = format!("graph.steps[{i}].assignee");
        let (table, ids, field, what): (&'static str, Vec<i64>, &str, &str) = match &step.assignee {
            Assignee::Role { role_id } => ("roles", vec![*role_id], "roleId", "role"),
            Assignee::Position { position_id } => {
                ("positions", vec![*position_id], "positionId", "position")
            }
            Assignee::Users { user_ids } => ("users", user_ids.clone(), "userIds", "user"),
            Assignee::DepartmentHead { position_id } => {
                ("positions", vec![*position_id], "positionId", "position")
            }
            Assignee::Committee { committee_id } => (
                "committees",
                vec![*committee_id],
                "committeeId",
                "committee",
            ),
        };
        let found = active_ids(db, table, &ids).await?;
        if let Some(missing) = ids.iter().find(|id| !found.contains(id)) {
            errors.add(
                format!("{path}.{field}"),
                "unknown_assignee",
                format!("{what} {missing} does not exist or is disabled"),
            );
        }
    }
    errors.finish()
}

/// Creates the business type's flow, or saves its graph as a new version.
pub async fn save(
    ctx: &WorkflowContext,
    actor: &Actor,
    business_type: BusinessType,
    input: &FlowInput,
) -> AppResult<FlowDefinition> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    check(&txn, input).await?;
    let existing = definition::Entity::find()
        .filter(definition::Column::BusinessType.eq(business_type))
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?;
    let graph = serde_json::to_value(&input.graph).map_err(AppError::internal)?;
    let (saved, before) = match existing {
        None => {
            let saved = definition::ActiveModel {
                id: sea_orm::NotSet,
                business_type: Set(business_type),
                name: Set(input.name.trim().into()),
                current_version: Set(1),
                status: Set(Status::Active),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await
            .map_err(db_error)?;
            (saved, None)
        }
        Some(found) => {
            let Some(given) = input.version else {
                return Err(AppError::invalid_field(
                    "version",
                    "required",
                    "this flow exists: send the version you edited",
                ));
            };
            check_version("flow", found.version, given)?;
            let before = view(&txn, found.clone()).await?;
            let next = found.current_version + 1;
            let version = found.version + 1;
            let mut active = found.into_active_model();
            active.name = Set(input.name.trim().into());
            active.current_version = Set(next);
            active.version = Set(version);
            active.updated_at = Set(now);
            (active.update(&txn).await.map_err(db_error)?, Some(before))
        }
    };
    definition_version::ActiveModel {
        definition_id: Set(saved.id),
        version_no: Set(saved.current_version),
        graph: Set(graph),
        created_by: Set(Some(actor.user_id)),
        created_by_name: Set(Some(actor.display_name.clone())),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let after = view(&txn, saved).await?;
    let mut change = audit::Change::new(
        "flow",
        after.id,
        if before.is_some() { "update" } else { "create" },
    )
    .after(&after);
    if let Some(before) = &before {
        change = change.before(before);
    }
    audit::record(&txn, Some(actor), now, change).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Disables or enables a flow. While disabled, nothing of its type can be submitted;
/// instances already running carry on.
pub async fn set_status(
    ctx: &WorkflowContext,
    actor: &Actor,
    business_type: BusinessType,
    status: Status,
    body: &VersionBody,
) -> AppResult<FlowDefinition> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = definition::Entity::find()
        .filter(definition::Column::BusinessType.eq(business_type))
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("flow"))?;
    check_version("flow", found.version, body.version)?;
    let before = view(&txn, found.clone()).await?;
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.status = Set(status);
    active.version = Set(version);
    active.updated_at = Set(now);
    let after = view(&txn, active.update(&txn).await.map_err(db_error)?).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("flow", after.id, status.action())
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

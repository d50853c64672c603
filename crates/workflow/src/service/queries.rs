//! Reading flows: a user's task inbox and a record's flow with its full history.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::sql::Where;
use kernel::{AppError, AppResult, Page, PageRequest};

use super::db_error;
use super::definitions::version;
use crate::domain::{BusinessType, FlowGraph, InstanceStatus, TaskStatus};
use crate::repo::{event, instance, task};

/// A task as the inbox shows it.
#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: i64,
    pub instance_id: i64,
    pub business_type: BusinessType,
    pub business_id: i64,
    pub title: String,
    pub step_key: String,
    pub step_name: String,
    pub status: TaskStatus,
    /// `approve`, `reject`, `return` or `transfer` once acted on.
    pub action: Option<String>,
    pub comment: Option<String>,
    pub acted_by_name: Option<String>,
    /// Who submitted the record.
    pub applicant_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub acted_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InboxState {
    /// Waiting for me (待办).
    #[default]
    Open,
    /// Dealt with by me (已办).
    Done,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct InboxFilter {
    #[param(inline)]
    pub state: Option<InboxState>,
    pub business_type: Option<BusinessType>,
}

pub(crate) const TASK_COLUMNS: &str = "t.id, t.instance_id, i.business_type, i.business_id, i.title, \
     t.step_key, t.step_name, t.status, t.action, t.comment, t.acted_by_name, \
     u.display_name AS applicant_name, t.created_at, t.acted_at";
pub(crate) const TASK_FROM: &str = "flow_tasks t JOIN flow_instances i ON i.id = t.instance_id \
     JOIN users u ON u.id = i.applicant_id";

/// My tasks: open ones waiting for me, oldest first, or the ones I dealt with, newest first.
pub async fn inbox(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &InboxFilter,
    page: &PageRequest,
) -> AppResult<Page<Task>> {
    let mut w = Where::new();
    let order = match filter.state.unwrap_or_default() {
        InboxState::Open => {
            w.and(
                "t.status = 'open' AND $? = ANY(t.candidate_ids)",
                [Value::from(actor.user_id)],
            );
            "t.created_at, t.id"
        }
        InboxState::Done => {
            w.and(
                "t.status = 'done' AND t.acted_by = $?",
                [Value::from(actor.user_id)],
            );
            "t.acted_at DESC, t.id DESC"
        }
    };
    if let Some(kind) = filter.business_type {
        w.and(
            "i.business_type = $?",
            [Value::from(business_type_str(kind))],
        );
    }
    w.page::<Task>(db, TASK_COLUMNS, TASK_FROM, order, page)
        .await
}

/// One task, for whoever may act on it or acted on it.
pub async fn task(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Task> {
    let found = task::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("task"))?;
    if !found.candidate_ids.contains(&actor.user_id) && found.acted_by != Some(actor.user_id) {
        return Err(AppError::not_found("task"));
    }
    let mut w = Where::new();
    w.and("t.id = $?", [Value::from(id)]);
    w.page::<Task>(db, TASK_COLUMNS, TASK_FROM, "t.id", &PageRequest::default())
        .await?
        .items
        .pop()
        .ok_or_else(|| AppError::not_found("task"))
}

/// One entry of a record's approval history (审批记录).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowEvent {
    /// `submit`, `approve`, `reject`, `return`, `transfer`, `resubmit` or `cancel`.
    pub action: String,
    pub step_key: Option<String>,
    pub step_name: Option<String>,
    /// A step key, `end`, `applicant`, or `user:<id>` for a transfer.
    pub to_step: Option<String>,
    /// Who a transfer handed the task to.
    pub to_user_name: Option<String>,
    pub actor_name: Option<String>,
    pub comment: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A record's run through its flow.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlowInstance {
    pub id: i64,
    pub business_type: BusinessType,
    pub business_id: i64,
    pub title: String,
    pub status: InstanceStatus,
    pub current_step: Option<String>,
    /// The graph the instance runs under, for the diagram.
    pub definition_version: i32,
    pub graph: FlowGraph,
    /// The waiting task, with who may act on it.
    pub open_task_id: Option<i64>,
    pub candidate_names: Vec<String>,
    pub events: Vec<FlowEvent>,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub ended_at: Option<OffsetDateTime>,
}

#[derive(FromQueryResult)]
struct Named {
    id: i64,
    display_name: String,
}

#[derive(FromQueryResult)]
struct Name {
    display_name: String,
}

/// The latest flow of a record, with its history; `None` before it was ever submitted.
pub async fn for_business(
    db: &impl ConnectionTrait,
    business_type: BusinessType,
    business_id: i64,
) -> AppResult<Option<FlowInstance>> {
    let Some(inst) = instance::Entity::find()
        .filter(instance::Column::BusinessType.eq(business_type))
        .filter(instance::Column::BusinessId.eq(business_id))
        .order_by_desc(instance::Column::Id)
        .one(db)
        .await
        .map_err(db_error)?
    else {
        return Ok(None);
    };
    let graph = version(db, inst.definition_id, inst.definition_version).await?;
    let open = task::Entity::find()
        .filter(task::Column::InstanceId.eq(inst.id))
        .filter(task::Column::Status.eq(TaskStatus::Open))
        .one(db)
        .await
        .map_err(db_error)?;
    let candidate_names = match &open {
        Some(t) => Name::find_by_statement(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT display_name FROM users WHERE id = ANY($1) ORDER BY id",
            [t.candidate_ids.clone().into()],
        ))
        .all(db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|n| n.display_name)
        .collect(),
        None => vec![],
    };
    let rows = event::Entity::find()
        .filter(event::Column::InstanceId.eq(inst.id))
        .order_by_asc(event::Column::Id)
        .all(db)
        .await
        .map_err(db_error)?;
    // A transfer leads to `user:<id>`: name the person for the history.
    let transferred: Vec<i64> = rows
        .iter()
        .filter_map(|e| e.to_step.as_deref()?.strip_prefix("user:")?.parse().ok())
        .collect();
    let names = Named::find_by_statement(sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT id, display_name FROM users WHERE id = ANY($1)",
        [transferred.into()],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    let events = rows
        .into_iter()
        .map(|e| FlowEvent {
            to_user_name: e
                .to_step
                .as_deref()
                .and_then(|t| t.strip_prefix("user:"))
                .and_then(|id| id.parse::<i64>().ok())
                .and_then(|id| names.iter().find(|n| n.id == id))
                .map(|n| n.display_name.clone()),
            action: e.action,
            step_key: e.step_key,
            step_name: e.step_name,
            to_step: e.to_step,
            actor_name: e.actor_name,
            comment: e.comment,
            at: e.at,
        })
        .collect();
    Ok(Some(FlowInstance {
        id: inst.id,
        business_type: inst.business_type,
        business_id: inst.business_id,
        title: inst.title,
        status: inst.status,
        current_step: inst.current_step,
        definition_version: inst.definition_version,
        graph,
        open_task_id: open.map(|t| t.id),
        candidate_names,
        events,
        started_at: inst.started_at,
        ended_at: inst.ended_at,
    }))
}

/// Whether `user_id` may act, or acted, on a task of the record's flows, or sits on a
/// committee that has it on an agenda: reviewers and committee members see what they decide
/// even outside their data scope.
pub async fn involves(
    db: &impl ConnectionTrait,
    business_type: BusinessType,
    business_id: i64,
    user_id: i64,
) -> AppResult<bool> {
    #[derive(FromQueryResult)]
    struct Found {
        found: bool,
    }
    let found = Found::find_by_statement(sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT EXISTS (SELECT 1 FROM flow_tasks t JOIN flow_instances i ON i.id = t.instance_id \
         WHERE i.business_type = $1 AND i.business_id = $2 \
         AND ($3 = ANY(t.candidate_ids) OR t.acted_by = $3 OR EXISTS ( \
             SELECT 1 FROM committee_agenda_items a \
             JOIN committee_meetings m ON m.id = a.meeting_id \
             JOIN committee_members cm ON cm.committee_id = m.committee_id \
             WHERE a.task_id = t.id AND cm.user_id = $3))) AS found",
        [
            Value::from(business_type_str(business_type)),
            Value::from(business_id),
            Value::from(user_id),
        ],
    ))
    .one(db)
    .await
    .map_err(db_error)?;
    Ok(found.is_some_and(|f| f.found))
}

fn business_type_str(kind: BusinessType) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

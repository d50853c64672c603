//! The engine: starting an instance, acting on its tasks, resubmitting and withdrawing. Every
//! function runs in the caller's transaction and locks the rows it moves, so two people acting
//! on one task at once cannot both succeed.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::repo::status::Status;
use kernel::{AppError, AppResult};

use super::candidates::{active_ids, resolve};
use super::db_error;
use super::definitions::version;
use crate::domain::graph::Route;
use crate::domain::{ActionKind, BusinessType, Facts, FlowGraph, InstanceStatus, Step, TaskStatus};
use crate::repo::{definition, event, instance, task};

/// What a business crate hands the engine when it submits a record for approval.
#[derive(Debug, Clone)]
pub struct StartFlow {
    pub business_type: BusinessType,
    pub business_id: i64,
    /// What the inbox shows, e.g. `LA20260302-0001 张三 ¥200,000.00`.
    pub title: String,
    pub facts: Facts,
    /// The person who submitted; never a candidate on their own record.
    pub applicant_id: i64,
    pub applicant_department_id: Option<i64>,
}

/// A person's action on a task.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionInput {
    pub action: ActionKind,
    /// The opinion (审批意见); required to reject or return.
    #[serde(default)]
    pub comment: Option<String>,
    /// For `return`: `applicant`, or the key of a step this application already passed.
    #[serde(default)]
    pub return_to: Option<String>,
    /// For `transfer`: the user who takes the task over.
    #[serde(default)]
    pub transfer_to: Option<i64>,
}

/// Where the decided record stands after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FlowDecision)]
pub enum Decision {
    /// Still in the flow, at another (or the same, transferred) step.
    Pending,
    Approved,
    Rejected,
    /// Back with the applicant to amend and resubmit.
    Returned,
}

/// What an action did, for the business crate to apply in the same transaction.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActOutcome {
    pub instance_id: i64,
    pub business_type: BusinessType,
    pub business_id: i64,
    pub decision: Decision,
    /// The step now waiting, when pending.
    pub current_step: Option<String>,
}

const TO_APPLICANT: &str = "applicant";

/// Starts the business type's flow on a record and opens the first task.
pub async fn start(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    start: &StartFlow,
) -> AppResult<i64> {
    let definition = definition::Entity::find()
        .filter(definition::Column::BusinessType.eq(start.business_type))
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| {
            AppError::rule(
                "no_flow",
                "no approval flow is set up for this kind of record; an administrator configures one under approval flows",
            )
        })?;
    if definition.status != Status::Active {
        return Err(AppError::rule(
            "flow_disabled",
            "the approval flow for this kind of record is disabled",
        ));
    }
    let active = instance::Entity::find()
        .filter(instance::Column::BusinessType.eq(start.business_type))
        .filter(instance::Column::BusinessId.eq(start.business_id))
        .filter(instance::Column::Status.is_in([InstanceStatus::Running, InstanceStatus::Returned]))
        .one(txn)
        .await
        .map_err(db_error)?;
    if active.is_some() {
        return Err(AppError::conflict(
            "already_in_flow",
            "this record is already in its approval flow",
        ));
    }
    let graph = version(txn, definition.id, definition.current_version).await?;
    let first = graph
        .start_step()
        .ok_or_else(|| AppError::internal("a saved flow without its start step"))?;
    let saved = instance::ActiveModel {
        id: NotSet,
        definition_id: Set(definition.id),
        definition_version: Set(definition.current_version),
        business_type: Set(start.business_type),
        business_id: Set(start.business_id),
        title: Set(start.title.clone()),
        facts: Set(serde_json::to_value(&start.facts).map_err(AppError::internal)?),
        status: Set(InstanceStatus::Running),
        current_step: Set(Some(first.key.clone())),
        applicant_id: Set(start.applicant_id),
        applicant_department_id: Set(start.applicant_department_id),
        started_at: Set(now),
        ended_at: Set(None),
        version: Set(1),
    }
    .insert(txn)
    .await
    .map_err(db_error)?;
    open_task(txn, &saved, first, None, now).await?;
    record(
        txn,
        &saved,
        None,
        "submit",
        None,
        Some(&first.key),
        actor,
        None,
        now,
    )
    .await?;
    Ok(saved.id)
}

/// Opens the task of `step`, for `only` when given (a transfer), else for the step's assignee.
async fn open_task(
    txn: &impl ConnectionTrait,
    inst: &instance::Model,
    step: &Step,
    only: Option<i64>,
    now: OffsetDateTime,
) -> AppResult<task::Model> {
    let candidate_ids = match only {
        Some(user) => vec![user],
        None => {
            resolve(
                txn,
                &step.assignee,
                inst.applicant_id,
                inst.applicant_department_id,
            )
            .await?
        }
    };
    if candidate_ids.is_empty() {
        return Err(AppError::rule(
            "no_assignee",
            format!(
                "nobody can act on the step `{}` ({}): its assignee has no active user other than the applicant",
                step.name, step.key
            ),
        ));
    }
    task::ActiveModel {
        id: NotSet,
        instance_id: Set(inst.id),
        step_key: Set(step.key.clone()),
        step_name: Set(step.name.clone()),
        candidate_ids: Set(candidate_ids),
        committee_id: Set(match (&step.assignee, only) {
            (crate::domain::Assignee::Committee { committee_id }, None) => Some(*committee_id),
            _ => None,
        }),
        status: Set(TaskStatus::Open),
        action: Set(None),
        comment: Set(None),
        acted_by: Set(None),
        acted_by_name: Set(None),
        created_at: Set(now),
        acted_at: Set(None),
    }
    .insert(txn)
    .await
    .map_err(db_error)
}

#[allow(clippy::too_many_arguments)]
async fn record(
    txn: &impl ConnectionTrait,
    inst: &instance::Model,
    task: Option<&task::Model>,
    action: &str,
    comment: Option<String>,
    to_step: Option<&str>,
    actor: &Actor,
    step: Option<(&str, &str)>,
    now: OffsetDateTime,
) -> AppResult<()> {
    event::ActiveModel {
        id: NotSet,
        instance_id: Set(inst.id),
        task_id: Set(task.map(|t| t.id)),
        action: Set(action.into()),
        step_key: Set(step.map(|s| s.0.to_string())),
        step_name: Set(step.map(|s| s.1.to_string())),
        to_step: Set(to_step.map(str::to_string)),
        actor_id: Set(Some(actor.user_id)),
        actor_name: Set(Some(actor.display_name.clone())),
        comment: Set(comment),
        at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(db_error)?;
    Ok(())
}

fn comment_of(input: &ActionInput) -> Option<String> {
    input
        .comment
        .as_ref()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

/// Acts on a task: approve, reject, return or transfer. The caller applies the outcome to its
/// record in the same transaction.
pub async fn act(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    task_id: i64,
    input: &ActionInput,
) -> AppResult<ActOutcome> {
    act_as(txn, actor, now, task_id, input, By::Assignee).await
}

/// Who is acting: an assignee from their inbox, or the committee through its vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum By {
    Assignee,
    Committee,
}

pub(crate) async fn act_as(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    task_id: i64,
    input: &ActionInput,
    by: By,
) -> AppResult<ActOutcome> {
    let found = task::Entity::find_by_id(task_id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("task"))?;
    if found.status != TaskStatus::Open {
        return Err(AppError::conflict(
            "task_closed",
            "this task has already been dealt with",
        ));
    }
    if found.committee_id.is_some() && by == By::Assignee {
        return Err(AppError::conflict(
            "committee_decides",
            "this step is decided by the review committee's vote at a meeting",
        ));
    }
    if by == By::Assignee && !found.candidate_ids.contains(&actor.user_id) {
        return Err(AppError::forbidden(
            "not_your_task",
            "this task is not assigned to you",
        ));
    }
    let comment = comment_of(input);
    if comment.as_ref().is_some_and(|c| c.chars().count() > 2000) {
        return Err(AppError::invalid_field(
            "comment",
            "too_long",
            "an opinion has at most 2000 characters",
        ));
    }
    if matches!(input.action, ActionKind::Reject | ActionKind::Return) && comment.is_none() {
        return Err(AppError::invalid_field(
            "comment",
            "required",
            "say why: a rejection or a return needs an opinion",
        ));
    }
    let inst = instance::Entity::find_by_id(found.instance_id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("a task without its instance"))?;
    let graph = version(txn, inst.definition_id, inst.definition_version).await?;
    let facts: Facts = serde_json::from_value(inst.facts.clone()).map_err(AppError::internal)?;
    let step = graph
        .step(&found.step_key)
        .ok_or_else(|| AppError::internal("a task on a step its flow does not have"))?;
    let step_ref = Some((found.step_key.as_str(), found.step_name.as_str()));

    let (decision, next): (Decision, Next) = match input.action {
        ActionKind::Approve => match graph.route(step, &facts) {
            Route::End => (Decision::Approved, Next::End(InstanceStatus::Approved)),
            Route::Step(s) => (Decision::Pending, Next::Step(s.clone(), None)),
        },
        ActionKind::Reject => (Decision::Rejected, Next::End(InstanceStatus::Rejected)),
        ActionKind::Return => {
            let to = input.return_to.as_deref().map(str::trim).unwrap_or("");
            if to == TO_APPLICANT {
                (Decision::Returned, Next::Applicant)
            } else {
                let passed = passed_steps(txn, inst.id).await?;
                match graph.step(to) {
                    Some(s) if passed.iter().any(|k| k == to) => {
                        (Decision::Pending, Next::Step(s.clone(), None))
                    }
                    _ => {
                        return Err(AppError::invalid_field(
                            "returnTo",
                            "invalid_return",
                            format!(
                                "return to `applicant` or to a step this record has passed: {}",
                                if passed.is_empty() {
                                    "none yet".to_string()
                                } else {
                                    passed.join(", ")
                                }
                            ),
                        ));
                    }
                }
            }
        }
        ActionKind::Transfer => {
            let Some(to) = input.transfer_to else {
                return Err(AppError::invalid_field(
                    "transferTo",
                    "required",
                    "name the user who takes the task over",
                ));
            };
            if to == actor.user_id || to == inst.applicant_id {
                return Err(AppError::invalid_field(
                    "transferTo",
                    "invalid_user",
                    "transfer to someone other than yourself and the applicant",
                ));
            }
            if active_ids(txn, "users", &[to]).await?.is_empty() {
                return Err(AppError::invalid_field(
                    "transferTo",
                    "unknown_user",
                    "that user does not exist or is disabled",
                ));
            }
            (Decision::Pending, Next::Step(step.clone(), Some(to)))
        }
    };

    let action = match input.action {
        ActionKind::Approve => "approve",
        ActionKind::Reject => "reject",
        ActionKind::Return => "return",
        ActionKind::Transfer => "transfer",
    };
    let mut closed = found.clone().into_active_model();
    closed.status = Set(TaskStatus::Done);
    closed.action = Set(Some(action.into()));
    closed.comment = Set(comment.clone());
    closed.acted_by = Set(Some(actor.user_id));
    closed.acted_by_name = Set(Some(actor.display_name.clone()));
    closed.acted_at = Set(Some(now));
    let closed = closed.update(txn).await.map_err(db_error)?;

    let mut moved = inst.clone().into_active_model();
    moved.version = Set(inst.version + 1);
    let to_step: String = match &next {
        Next::End(status) => {
            moved.status = Set(*status);
            moved.current_step = Set(None);
            moved.ended_at = Set(Some(now));
            crate::domain::END.into()
        }
        Next::Applicant => {
            moved.status = Set(InstanceStatus::Returned);
            moved.current_step = Set(None);
            TO_APPLICANT.into()
        }
        Next::Step(s, only) => {
            open_task(txn, &inst, s, *only, now).await?;
            moved.current_step = Set(Some(s.key.clone()));
            match only {
                Some(user) => format!("user:{user}"),
                None => s.key.clone(),
            }
        }
    };
    let moved = moved.update(txn).await.map_err(db_error)?;
    record(
        txn,
        &moved,
        Some(&closed),
        action,
        comment,
        Some(&to_step),
        actor,
        step_ref,
        now,
    )
    .await?;
    Ok(ActOutcome {
        instance_id: moved.id,
        business_type: moved.business_type,
        business_id: moved.business_id,
        decision,
        current_step: moved.current_step,
    })
}

enum Next {
    End(InstanceStatus),
    Applicant,
    /// The step to open, for one user when transferred.
    Step(Step, Option<i64>),
}

/// The steps approved so far in this instance, in order: where a return may go.
async fn passed_steps(txn: &impl ConnectionTrait, instance_id: i64) -> AppResult<Vec<String>> {
    let done = task::Entity::find()
        .filter(task::Column::InstanceId.eq(instance_id))
        .filter(task::Column::Action.eq("approve"))
        .order_by_asc(task::Column::Id)
        .all(txn)
        .await
        .map_err(db_error)?;
    let mut keys: Vec<String> = Vec::new();
    for t in done {
        if !keys.contains(&t.step_key) {
            keys.push(t.step_key);
        }
    }
    Ok(keys)
}

async fn live_instance(
    txn: &impl ConnectionTrait,
    business_type: BusinessType,
    business_id: i64,
) -> AppResult<Option<instance::Model>> {
    instance::Entity::find()
        .filter(instance::Column::BusinessType.eq(business_type))
        .filter(instance::Column::BusinessId.eq(business_id))
        .filter(instance::Column::Status.is_in([InstanceStatus::Running, InstanceStatus::Returned]))
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)
}

/// Sends a returned record back into its flow at the first step, with its amended facts.
pub async fn resubmit(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    business_type: BusinessType,
    business_id: i64,
    title: String,
    facts: &Facts,
) -> AppResult<i64> {
    let inst = live_instance(txn, business_type, business_id)
        .await?
        .filter(|i| i.status == InstanceStatus::Returned)
        .ok_or_else(|| {
            AppError::conflict(
                "not_returned",
                "only a record returned to the applicant can be resubmitted",
            )
        })?;
    let graph: FlowGraph = version(txn, inst.definition_id, inst.definition_version).await?;
    let first = graph
        .start_step()
        .ok_or_else(|| AppError::internal("a saved flow without its start step"))?;
    let mut moved = inst.clone().into_active_model();
    moved.status = Set(InstanceStatus::Running);
    moved.current_step = Set(Some(first.key.clone()));
    moved.facts = Set(serde_json::to_value(facts).map_err(AppError::internal)?);
    moved.title = Set(title);
    moved.version = Set(inst.version + 1);
    let moved = moved.update(txn).await.map_err(db_error)?;
    open_task(txn, &moved, first, None, now).await?;
    record(
        txn,
        &moved,
        None,
        "resubmit",
        None,
        Some(&first.key),
        actor,
        None,
        now,
    )
    .await?;
    Ok(moved.id)
}

/// Withdraws a record from its flow: its open task closes and the instance ends cancelled.
/// Nothing happens when it is not in a flow.
pub async fn cancel(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    business_type: BusinessType,
    business_id: i64,
) -> AppResult<()> {
    let Some(inst) = live_instance(txn, business_type, business_id).await? else {
        return Ok(());
    };
    task::Entity::update_many()
        .col_expr(
            task::Column::Status,
            sea_orm::sea_query::Expr::value(TaskStatus::Cancelled),
        )
        .filter(task::Column::InstanceId.eq(inst.id))
        .filter(task::Column::Status.eq(TaskStatus::Open))
        .exec(txn)
        .await
        .map_err(db_error)?;
    let mut moved = inst.clone().into_active_model();
    moved.status = Set(InstanceStatus::Cancelled);
    moved.current_step = Set(None);
    moved.ended_at = Set(Some(now));
    moved.version = Set(inst.version + 1);
    let moved = moved.update(txn).await.map_err(db_error)?;
    record(txn, &moved, None, "cancel", None, None, actor, None, now).await
}

//! Committee meetings (贷审会): an agenda of tasks waiting at committee steps, attendance,
//! recusals, named votes that cannot be changed, and closing an item, which decides the
//! task: passed approves it, rejected rejects it, re-investigation returns it to the applicant.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    IntoActiveModel, NotSet, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr, Statement,
    TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::service::{audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::committees::{self, Committee};
use super::engine::{self, ActOutcome, ActionInput, By};
use super::queries::{TASK_COLUMNS, TASK_FROM, Task};
use super::{WorkflowContext, db_error};
use crate::domain::committee::{Ballot, Outcome, Tally, Vote, tally};
use crate::domain::{ActionKind, TaskStatus};
use crate::repo::committees::{agenda_item, meeting, recusal, vote};
use crate::repo::task;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeetingInput {
    pub committee_id: i64,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub scheduled_at: OffsetDateTime,
    pub place: String,
    /// Open tasks at this committee's steps: the agenda (议程).
    pub task_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: i64,
    pub committee: Committee,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub scheduled_at: OffsetDateTime,
    pub place: String,
    /// Members recorded as present (出席).
    pub present_ids: Vec<i64>,
    pub items: Vec<AgendaItem>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    pub id: i64,
    pub task: Task,
    /// `voting` or `decided`.
    pub status: String,
    pub outcome: Option<Outcome>,
    /// Live while voting; as it stood when decided afterwards.
    pub tally: Tally,
    pub votes: Vec<CastVote>,
    pub recusals: Vec<Recusal>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct CastVote {
    pub user_id: i64,
    pub name: String,
    pub vote: String,
    pub veto: bool,
    pub opinion: String,
    #[serde(with = "time::serde::rfc3339")]
    pub cast_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Recusal {
    pub user_id: i64,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceInput {
    pub present_ids: Vec<i64>,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoteInput {
    pub vote: Vote,
    /// The written opinion (表决意见), required.
    pub opinion: String,
    /// Cast the member's veto with a disagreement.
    #[serde(default)]
    pub veto: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecusalInput {
    /// Why (e.g. a relative of the borrower).
    pub reason: String,
}

async fn tasks_where(
    db: &impl ConnectionTrait,
    condition: &str,
    values: Vec<Value>,
) -> AppResult<Vec<Task>> {
    let sql = format!("SELECT {TASK_COLUMNS} FROM {TASK_FROM} WHERE {condition} ORDER BY t.id");
    Task::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        values,
    ))
    .all(db)
    .await
    .map_err(db_error)
}

/// Open tasks at the committee's steps that are on no undecided agenda: what the next meeting
/// should take up.
pub async fn pending(ctx: &WorkflowContext, committee_id: i64) -> AppResult<Vec<Task>> {
    committees::load(&ctx.db, committee_id).await?;
    tasks_where(
        &ctx.db,
        "t.status = 'open' AND t.committee_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM committee_agenda_items a WHERE a.task_id = t.id AND a.status = 'voting')",
        vec![committee_id.into()],
    )
    .await
}

fn member_or_manager(committee: &Committee, actor: &Actor) -> AppResult<()> {
    if committee.member(actor.user_id).is_some() || actor.has(iam::perm::COMMITTEE_MANAGE) {
        Ok(())
    } else {
        Err(AppError::not_found("meeting"))
    }
}

async fn load(db: &impl ConnectionTrait, id: i64) -> AppResult<Meeting> {
    let m = meeting::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("meeting"))?;
    let committee = committees::load(db, m.committee_id).await?;
    let rows = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(id))
        .order_by_asc(agenda_item::Column::Id)
        .all(db)
        .await
        .map_err(db_error)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(item_view(db, &committee, &m.present_ids, row).await?);
    }
    Ok(Meeting {
        id: m.id,
        committee,
        title: m.title,
        scheduled_at: m.scheduled_at,
        place: m.place,
        present_ids: m.present_ids,
        items,
        version: m.version,
    })
}

async fn item_view(
    db: &impl ConnectionTrait,
    committee: &Committee,
    present: &[i64],
    row: agenda_item::Model,
) -> AppResult<AgendaItem> {
    let task = tasks_where(db, "t.id = $1", vec![row.task_id.into()])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("an agenda item without its task"))?;
    let votes = CastVote::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT v.user_id, u.display_name AS name, v.vote, v.veto, v.opinion, v.cast_at \
         FROM committee_votes v JOIN users u ON u.id = v.user_id WHERE v.item_id = $1 \
         ORDER BY v.cast_at, v.user_id",
        [row.id.into()],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    let recusals = Recusal::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT r.user_id, u.display_name AS name, r.reason FROM committee_recusals r \
         JOIN users u ON u.id = r.user_id WHERE r.item_id = $1 ORDER BY r.user_id",
        [row.id.into()],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    let tally = match &row.tally {
        Some(stored) => serde_json::from_value(stored.clone()).map_err(AppError::internal)?,
        None => live_tally(committee, present, &votes, &recusals),
    };
    Ok(AgendaItem {
        id: row.id,
        task,
        status: row.status,
        outcome: row.outcome.as_deref().and_then(|o| match o {
            "passed" => Some(Outcome::Passed),
            "rejected" => Some(Outcome::Rejected),
            "reinvestigate" => Some(Outcome::Reinvestigate),
            _ => None,
        }),
        tally,
        votes,
        recusals,
        decided_at: row.decided_at,
    })
}

fn live_tally(
    committee: &Committee,
    present: &[i64],
    votes: &[CastVote],
    recusals: &[Recusal],
) -> Tally {
    let ballots: Vec<Ballot> = votes
        .iter()
        .filter_map(|v| {
            Some(Ballot {
                user_id: v.user_id,
                vote: Vote::parse(&v.vote)?,
                veto: v.veto,
            })
        })
        .collect();
    let recused: Vec<i64> = recusals.iter().map(|r| r.user_id).collect();
    tally(
        &committee.tally_members(),
        present,
        &recused,
        &ballots,
        committee.quorum,
        committee.pass,
    )
}

pub async fn get(ctx: &WorkflowContext, actor: &Actor, id: i64) -> AppResult<Meeting> {
    let found = load(&ctx.db, id).await?;
    member_or_manager(&found.committee, actor)?;
    Ok(found)
}

/// Meetings the actor sits on (or all, for a committee manager), newest first.
pub async fn list(ctx: &WorkflowContext, actor: &Actor) -> AppResult<Vec<Meeting>> {
    let mut q = meeting::Entity::find().order_by_desc(meeting::Column::ScheduledAt);
    if !actor.has(iam::perm::COMMITTEE_MANAGE) {
        q = q.filter(sea_orm::sea_query::Expr::cust_with_values(
            "committee_id IN (SELECT committee_id FROM committee_members WHERE user_id = $1)",
            [actor.user_id],
        ));
    }
    let found = q.limit(100).all(&ctx.db).await.map_err(db_error)?;
    let mut out = Vec::with_capacity(found.len());
    for m in found {
        out.push(load(&ctx.db, m.id).await?);
    }
    Ok(out)
}

/// Calls a meeting with its agenda.
pub async fn create(
    ctx: &WorkflowContext,
    actor: &Actor,
    input: &MeetingInput,
) -> AppResult<Meeting> {
    let mut errors = FieldErrors::new();
    if input.title.trim().is_empty() || input.title.chars().count() > 100 {
        errors.add("title", "required", "a title of at most 100 characters");
    }
    if input.place.trim().is_empty() || input.place.chars().count() > 100 {
        errors.add(
            "place",
            "required",
            "where the meeting is held, at most 100 characters",
        );
    }
    if input.task_ids.is_empty() {
        errors.add(
            "taskIds",
            "required",
            "put at least one application on the agenda",
        );
    }
    errors.finish()?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    committees::load(&txn, input.committee_id).await?;
    let mut errors = FieldErrors::new();
    let mut tasks = Vec::new();
    for (i, id) in input.task_ids.iter().enumerate() {
        let found = task::Entity::find_by_id(*id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(db_error)?;
        match found {
            Some(t)
                if t.status == TaskStatus::Open && t.committee_id == Some(input.committee_id) =>
            {
                tasks.push(t)
            }
            _ => errors.add(
                format!("taskIds[{i}]"),
                "not_pending",
                "not an open task waiting for this committee",
            ),
        }
    }
    errors.finish()?;
    let saved = meeting::ActiveModel {
        id: NotSet,
        committee_id: Set(input.committee_id),
        title: Set(input.title.trim().into()),
        scheduled_at: Set(input.scheduled_at),
        place: Set(input.place.trim().into()),
        present_ids: Set(vec![]),
        created_by: Set(actor.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    for t in tasks {
        let title = tasks_where(&txn, "t.id = $1", vec![t.id.into()])
            .await?
            .pop()
            .map(|t| t.title)
            .unwrap_or_default();
        agenda_item::ActiveModel {
            id: NotSet,
            meeting_id: Set(saved.id),
            task_id: Set(t.id),
            title: Set(title),
            status: Set("voting".into()),
            outcome: Set(None),
            tally: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(
                "already_on_agenda",
                "that task is already on another meeting's agenda",
            ),
            _ => db_error(e),
        })?;
    }
    let after = load(&txn, saved.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("committee_meeting", after.id, "create").after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Records who is present; only members can be.
pub async fn set_attendance(
    ctx: &WorkflowContext,
    actor: &Actor,
    id: i64,
    input: &AttendanceInput,
) -> AppResult<Meeting> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = meeting::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("meeting"))?;
    check_version("meeting", found.version, input.version)?;
    let before = load(&txn, id).await?;
    let mut errors = FieldErrors::new();
    for (i, user) in input.present_ids.iter().enumerate() {
        if before.committee.member(*user).is_none() {
            errors.add(
                format!("presentIds[{i}]"),
                "not_a_member",
                "only members of the committee attend",
            );
        }
    }
    errors.finish()?;
    let mut present = input.present_ids.clone();
    present.sort_unstable();
    present.dedup();
    let next = found.version + 1;
    let mut active = found.into_active_model();
    active.present_ids = Set(present);
    active.version = Set(next);
    active.updated_at = Set(now);
    active.update(&txn).await.map_err(db_error)?;
    let after = load(&txn, id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("committee_meeting", id, "attendance")
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// The item, locked, with its meeting; 409 once decided.
async fn voting_item(
    txn: &impl ConnectionTrait,
    meeting_id: i64,
    item_id: i64,
) -> AppResult<(agenda_item::Model, Meeting)> {
    let item = agenda_item::Entity::find_by_id(item_id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .filter(|i| i.meeting_id == meeting_id)
        .ok_or_else(|| AppError::not_found("agenda item"))?;
    if item.status != "voting" {
        return Err(AppError::conflict(
            "item_decided",
            "this agenda item has been decided; its votes are closed",
        ));
    }
    let meeting = load(txn, meeting_id).await?;
    Ok((item, meeting))
}

/// A member steps aside from one item (回避); their vote, if any, is then not counted.
pub async fn recuse(
    ctx: &WorkflowContext,
    actor: &Actor,
    meeting_id: i64,
    item_id: i64,
    input: &RecusalInput,
) -> AppResult<Meeting> {
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why, in at most 500 characters",
        ));
    }
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (item, meeting) = voting_item(&txn, meeting_id, item_id).await?;
    if meeting.committee.member(actor.user_id).is_none() {
        return Err(AppError::forbidden(
            "not_a_member",
            "only members of the committee recuse themselves",
        ));
    }
    recusal::ActiveModel {
        item_id: Set(item.id),
        user_id: Set(actor.user_id),
        reason: Set(reason.into()),
        at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::conflict("already_recused", "you have already recused yourself")
        }
        _ => db_error(e),
    })?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("committee_agenda_item", item.id, "recuse")
            .after(&serde_json::json!({"reason": reason})),
    )
    .await?;
    let after = load(&txn, meeting_id).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Casts the actor's named vote on an item. Votes cannot be changed or withdrawn.
pub async fn cast(
    ctx: &WorkflowContext,
    actor: &Actor,
    meeting_id: i64,
    item_id: i64,
    input: &VoteInput,
) -> AppResult<Meeting> {
    let opinion = input.opinion.trim();
    if opinion.is_empty() || opinion.chars().count() > 2000 {
        return Err(AppError::invalid_field(
            "opinion",
            "required",
            "a vote is written: give your opinion in at most 2000 characters",
        ));
    }
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (item, meeting) = voting_item(&txn, meeting_id, item_id).await?;
    let Some(member) = meeting.committee.member(actor.user_id) else {
        return Err(AppError::forbidden(
            "not_a_member",
            "only members of the committee vote",
        ));
    };
    if member.role == committees::MemberRole::Presenter {
        return Err(AppError::forbidden(
            "no_vote",
            "a presenter attends without a vote",
        ));
    }
    if !meeting.present_ids.contains(&actor.user_id) {
        return Err(AppError::conflict(
            "not_present",
            "only members recorded as present vote",
        ));
    }
    let mine = meeting
        .items
        .iter()
        .find(|i| i.id == item.id)
        .is_some_and(|i| i.recusals.iter().any(|r| r.user_id == actor.user_id));
    if mine {
        return Err(AppError::conflict(
            "recused",
            "you recused yourself from this item",
        ));
    }
    if input.veto && (!member.veto || input.vote != Vote::Disagree) {
        return Err(AppError::invalid_field(
            "veto",
            "veto_not_allowed",
            "a veto is cast only by a member who holds one, and only to disagree",
        ));
    }
    vote::ActiveModel {
        item_id: Set(item.id),
        user_id: Set(actor.user_id),
        vote: Set(input.vote.as_str().into()),
        veto: Set(input.veto),
        opinion: Set(opinion.into()),
        cast_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(
            "already_voted",
            "you have voted on this item; a vote cannot be changed",
        ),
        _ => db_error(e),
    })?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("committee_agenda_item", item.id, "vote").after(
            &serde_json::json!({"vote": input.vote, "veto": input.veto, "opinion": opinion}),
        ),
    )
    .await?;
    let after = load(&txn, meeting_id).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Closes an item once the quorum is met and every eligible member has voted, and decides
/// its task in the caller's transaction; the caller applies the outcome to the record.
pub async fn close_item(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    meeting_id: i64,
    item_id: i64,
) -> AppResult<ActOutcome> {
    let (item, meeting) = voting_item(txn, meeting_id, item_id).await?;
    let view = meeting
        .items
        .iter()
        .find(|i| i.id == item.id)
        .ok_or_else(|| AppError::internal("an item missing from its meeting"))?;
    let t = &view.tally;
    if !t.quorum_met {
        return Err(AppError::rule(
            "quorum_not_met",
            format!(
                "{} of {} voting members present; the quorum is {}/{}",
                t.present,
                t.voting_members,
                meeting.committee.quorum.numerator,
                meeting.committee.quorum.denominator
            ),
        ));
    }
    let Some(outcome) = t.outcome else {
        return Err(AppError::conflict(
            "votes_missing",
            format!(
                "{} eligible member(s) have not voted yet",
                t.waiting_for.len()
            ),
        ));
    };
    let summary = format!(
        "贷审会表决：同意 {}，不同意 {}，复议 {}{}",
        t.agree,
        t.disagree,
        t.reinvestigate,
        if t.vetoed { "，一票否决" } else { "" }
    );
    let (action, return_to) = match outcome {
        Outcome::Passed => (ActionKind::Approve, None),
        Outcome::Rejected => (ActionKind::Reject, None),
        Outcome::Reinvestigate => (ActionKind::Return, Some("applicant".to_string())),
    };
    let decided = engine::act_as(
        txn,
        actor,
        now,
        item.task_id,
        &ActionInput {
            action,
            comment: Some(summary),
            return_to,
            transfer_to: None,
        },
        By::Committee,
    )
    .await?;
    let tally_json = serde_json::to_value(t).map_err(AppError::internal)?;
    let outcome_str = match outcome {
        Outcome::Passed => "passed",
        Outcome::Rejected => "rejected",
        Outcome::Reinvestigate => "reinvestigate",
    };
    let mut active = item.into_active_model();
    active.status = Set("decided".into());
    active.outcome = Set(Some(outcome_str.into()));
    active.tally = Set(Some(tally_json));
    active.decided_by = Set(Some(actor.user_id));
    active.decided_at = Set(Some(now));
    active.update(txn).await.map_err(db_error)?;
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("committee_agenda_item", item_id, "close")
            .after(&serde_json::json!({"outcome": outcome_str, "tally": t})),
    )
    .await?;
    Ok(decided)
}

//! Post-loan warnings (贷后预警): raised by the daily close ([`close_step`]) and by GPS alarms
//! ([`gps_feed`]) under configurable rules ([`rules`]), then assigned to someone, handled and
//! closed, each step with a note and with who and when (`warning_actions`), audited, and only
//! along the edges of [`crate::domain::warning::transition`].

pub mod close_step;
pub mod gps_feed;
pub mod rules;

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::domain::permission;
use iam::service::sql::Where;
use iam::service::{audit, check_version, scope};
use kernel::{AppError, AppResult, Page, PageRequest};

use super::{LoansContext, db_error};
use crate::domain::warning::{
    WarningAction, WarningKind, WarningLevel, WarningStatus, allowed_actions, check_note,
    transition,
};

/// A warning (预警) as the post-loan desk reads it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub id: i64,
    pub loan_id: i64,
    pub loan_no: String,
    pub customer_id: i64,
    pub customer_name: String,
    /// The rule that raised it (`dpd_30`, `insurance`, ...).
    pub rule_code: String,
    pub kind: WarningKind,
    pub level: WarningLevel,
    /// What it is about, so one occurrence raises one warning: `due:2026-04-10`,
    /// `vehicle:7:2026-05-01`, `imei:490154203237518:power_cut`, `entry:12`.
    pub subject: String,
    /// What was seen when it was raised: `daysPastDue` and `oldestDueDate`; `maturityDate`
    /// and `daysLeft`; `vehicleId`, `plate`, `expiresOn` and `daysLeft`; `imei`,
    /// `lastOnlineOn` and `daysOffline`; `imei`, `alarm`, `reportedAt` and `message`;
    /// `entryId`, `subjectKind`, `reason` and `effectiveOn`.
    pub facts: serde_json::Value,
    /// The business date it was raised on.
    pub raised_on: Date,
    #[serde(with = "time::serde::rfc3339")]
    pub raised_at: OffsetDateTime,
    pub status: WarningStatus,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub department_id: Option<i64>,
    /// What may be done next (by someone holding `warning:handle`; handling only by the
    /// assignee).
    pub actions: Vec<WarningAction>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One step of a warning's handling (处理记录).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningHistoryEntry {
    pub id: i64,
    pub action: WarningAction,
    pub from_status: WarningStatus,
    pub to_status: WarningStatus,
    /// Assignments: whom to.
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub note: Option<String>,
    pub actor_id: i64,
    pub actor_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A warning with its handling history, oldest step first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningDetail {
    pub warning: Warning,
    pub history: Vec<WarningHistoryEntry>,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    loan_id: i64,
    loan_no: String,
    customer_id: i64,
    customer_name: String,
    rule_code: String,
    kind: String,
    level: String,
    subject: String,
    facts: serde_json::Value,
    raised_on: Date,
    raised_at: OffsetDateTime,
    status: String,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    department_id: Option<i64>,
    version: i32,
    updated_at: OffsetDateTime,
}

impl Row {
    fn into_view(self) -> AppResult<Warning> {
        let status = WarningStatus::parse(&self.status)?;
        Ok(Warning {
            kind: WarningKind::parse(&self.kind)?,
            level: WarningLevel::parse(&self.level)?,
            actions: allowed_actions(status),
            status,
            id: self.id,
            loan_id: self.loan_id,
            loan_no: self.loan_no,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            rule_code: self.rule_code,
            subject: self.subject,
            facts: self.facts,
            raised_on: self.raised_on,
            raised_at: self.raised_at,
            assignee_id: self.assignee_id,
            assignee_name: self.assignee_name,
            department_id: self.department_id,
            version: self.version,
            updated_at: self.updated_at,
        })
    }
}

const COLUMNS: &str = "w.id, w.loan_id, l.loan_no, l.customer_id, c.name AS customer_name, w.rule_code, \
    w.kind, w.level, w.subject, w.facts, w.raised_on, w.raised_at, w.status, w.assignee_id, \
    au.display_name AS assignee_name, w.department_id, w.version, w.updated_at";
const FROM: &str = "warnings w JOIN loans l ON l.id = w.loan_id JOIN customers c ON c.id = l.customer_id \
    LEFT JOIN users au ON au.id = w.assignee_id";
/// Counting needs the loan only for data scope.
const COUNT_FROM: &str = "warnings w JOIN loans l ON l.id = w.loan_id";
/// One's own: a warning on a loan one manages, or one assigned to oneself.
const OWN: &str = "w.assignee_id = $? OR l.manager_id = $?";

async fn load(db: &impl ConnectionTrait, actor: &Actor, id: i64, lock: bool) -> AppResult<Warning> {
    let mut w = Where::new();
    w.and("w.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "w.department_id", OWN);
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {}{}",
            w.sql(),
            if lock { " FOR UPDATE OF w" } else { "" }
        ),
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("warning"))?
    .into_view()
}

async fn history(db: &impl ConnectionTrait, id: i64) -> AppResult<Vec<WarningHistoryEntry>> {
    #[derive(FromQueryResult)]
    struct H {
        id: i64,
        action: String,
        from_status: String,
        to_status: String,
        assignee_id: Option<i64>,
        assignee_name: Option<String>,
        note: Option<String>,
        actor_id: i64,
        actor_name: String,
        at: OffsetDateTime,
    }
    H::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT a.id, a.action, a.from_status, a.to_status, a.assignee_id, au.display_name AS assignee_name, \
           a.note, a.actor_id, u.display_name AS actor_name, a.at \
         FROM warning_actions a JOIN users u ON u.id = a.actor_id LEFT JOIN users au ON au.id = a.assignee_id \
         WHERE a.warning_id = $1 ORDER BY a.id",
        [Value::from(id)],
    ))
    .all(db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(|h| {
        Ok(WarningHistoryEntry {
            action: WarningAction::parse(&h.action)?,
            from_status: WarningStatus::parse(&h.from_status)?,
            to_status: WarningStatus::parse(&h.to_status)?,
            id: h.id,
            assignee_id: h.assignee_id,
            assignee_name: h.assignee_name,
            note: h.note,
            actor_id: h.actor_id,
            actor_name: h.actor_name,
            at: h.at,
        })
    })
    .collect()
}

async fn detail(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<WarningDetail> {
    Ok(WarningDetail {
        warning: load(db, actor, id, false).await?,
        history: history(db, id).await?,
    })
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct WarningFilter {
    pub status: Option<WarningStatus>,
    /// `true`: every warning not yet closed (with `status` too, both apply).
    pub live: Option<bool>,
    /// The rule that raised it (`dpd_30`, `gps_alarm`, ...).
    pub rule_code: Option<String>,
    pub assignee_id: Option<i64>,
    pub loan_id: Option<i64>,
}

/// Warnings the actor may see, newest first.
pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &WarningFilter,
    page: &PageRequest,
) -> AppResult<Page<Warning>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "w.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("w.status = $?", [Value::from(s.as_str())]);
    }
    if filter.live == Some(true) {
        w.and("w.status <> 'closed'", []);
    }
    if let Some(r) = filter
        .rule_code
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        w.and("w.rule_code = $?", [Value::from(r)]);
    }
    if let Some(a) = filter.assignee_id {
        w.and("w.assignee_id = $?", [Value::from(a)]);
    }
    if let Some(l) = filter.loan_id {
        w.and("w.loan_id = $?", [Value::from(l)]);
    }
    let rows: Page<Row> = w
        .page_counting_over(&ctx.db, COLUMNS, FROM, COUNT_FROM, "w.id DESC", page)
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(Row::into_view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}

/// One warning with its handling history.
pub async fn get(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<WarningDetail> {
    detail(&ctx.db, actor, id).await
}

/// 分派: whom the warning goes to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningAssignInput {
    /// An active user holding `warning:handle`.
    pub assignee_id: i64,
    pub note: Option<String>,
    pub version: i32,
}

/// 处理 or 关闭: what was done, or why it is closed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningNoteInput {
    pub note: String,
    pub version: i32,
}

/// Assigns (or reassigns) a warning.
pub async fn assign(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &WarningAssignInput,
) -> AppResult<WarningDetail> {
    let note = check_note(WarningAction::Assign, input.note.as_deref())?;
    step(
        ctx,
        actor,
        id,
        input.version,
        WarningAction::Assign,
        note,
        Some(input.assignee_id),
    )
    .await
}

/// Records what the assignee did.
pub async fn handle(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &WarningNoteInput,
) -> AppResult<WarningDetail> {
    let note = check_note(WarningAction::Handle, Some(&input.note))?;
    step(
        ctx,
        actor,
        id,
        input.version,
        WarningAction::Handle,
        note,
        None,
    )
    .await
}

/// Closes a handled warning with a note.
pub async fn close(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &WarningNoteInput,
) -> AppResult<WarningDetail> {
    let note = check_note(WarningAction::Close, Some(&input.note))?;
    step(
        ctx,
        actor,
        id,
        input.version,
        WarningAction::Close,
        note,
        None,
    )
    .await
}

/// One edge of the handling, in one transaction with its history row and audit record.
async fn step(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    version: i32,
    action: WarningAction,
    note: Option<String>,
    assignee: Option<i64>,
) -> AppResult<WarningDetail> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = load(&txn, actor, id, true).await?;
    check_version("warning", before.version, version)?;
    let to = transition(before.status, action)?;
    let assignee = match action {
        WarningAction::Assign => {
            let user = assignee.ok_or_else(|| AppError::internal("assign without an assignee"))?;
            check_handler(&txn, user).await?;
            Some(user)
        }
        WarningAction::Handle => {
            if before.assignee_id != Some(actor.user_id) {
                return Err(AppError::forbidden(
                    "not_assignee",
                    "only the person the warning is assigned to records its handling",
                ));
            }
            before.assignee_id
        }
        WarningAction::Close => before.assignee_id,
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE warnings SET status = $2, assignee_id = $3, version = version + 1, updated_at = $4 WHERE id = $1",
        [
            Value::from(id),
            Value::from(to.as_str()),
            Value::from(assignee),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO warning_actions (warning_id, action, from_status, to_status, assignee_id, note, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [
            Value::from(id),
            Value::from(action.as_str()),
            Value::from(before.status.as_str()),
            Value::from(to.as_str()),
            Value::from(if action == WarningAction::Assign { assignee } else { None }),
            Value::from(note),
            Value::from(actor.user_id),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    let after = detail(&txn, actor, id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("warning", id, action.as_str())
            .before(&before)
            .after(&after.warning),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// 422 `not_a_handler` unless `user` is an active user whose roles grant `warning:handle`.
async fn check_handler(db: &impl ConnectionTrait, user: i64) -> AppResult<()> {
    let ok: bool = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT EXISTS (SELECT 1 FROM users u JOIN user_roles ur ON ur.user_id = u.id \
               JOIN roles r ON r.id = ur.role_id \
             WHERE u.id = $1 AND u.status = 'active' AND r.status = 'active' AND $2 = ANY(r.permissions)) AS ok",
            [Value::from(user), Value::from(permission::WARNING_HANDLE)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no row"))?
        .try_get("", "ok")
        .map_err(db_error)?;
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_field(
            "assigneeId",
            "not_a_handler",
            "that user is not an active user holding warning:handle",
        ))
    }
}

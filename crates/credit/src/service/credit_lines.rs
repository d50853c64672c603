//! Credit lines (授信申请 / 授信审核): drafting, review through the `credit_line` approval
//! flow, the approved amount and validity, freezing, and the use of a line by loans. Every
//! status change goes through [`CreditLineStatus::on`] and is stored with who and when; every
//! use and release is a row of `credit_line_uses`, written with the line's row locked so the
//! used amount is never counted twice nor driven past the approved amount.

use calc::calculator::{DecimalString, inputs};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    IntoActiveModel, NotSet, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
    TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::repo::status::Status;
use iam::service::{
    VersionBody, audit, check_version, scope,
    sql::{self, Where},
};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest};
use workflow::domain::BusinessType;
use workflow::service::engine::{self, StartFlow};
use workflow::service::queries;
use workflow::{Facts, FlowInstance};

use super::{CreditContext, db_error};
use crate::domain::credit_line::{CreditLineEvent, CreditLineStatus, LineBalance};
use crate::repo::credit_line::{self, line_use, transition};

/// The largest line one may ask for, one billion yuan: far below what the NUMERIC(18, 2)
/// columns hold.
fn requested_max() -> Money {
    Money::yuan(1_000_000_000)
}

/// A credit line as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLine {
    pub id: i64,
    /// e.g. `CL20260302000017`.
    pub line_no: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub requested_amount: Money,
    /// Set when the review approves.
    pub approved_amount: Option<Money>,
    /// What loans use of the line now: uses less releases.
    pub used_amount: Money,
    /// What a loan may still draw today: approved less used, or zero when the line is not
    /// active, frozen, or outside its validity.
    pub available_amount: Money,
    pub valid_from: Date,
    pub valid_until: Date,
    /// True once `validUntil` has passed: the line stays as it is but lends no more.
    pub expired: bool,
    /// 授信用途.
    pub purpose: String,
    pub status: CreditLineStatus,
    /// Why the line is frozen, while it is.
    pub frozen_reason: Option<String>,
    pub department_id: Option<i64>,
    pub created_by: i64,
    pub created_by_name: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A credit line with its approval flow, status history and uses.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineDetail {
    pub line: CreditLine,
    pub flow: Option<FlowInstance>,
    pub transitions: Vec<CreditLineTransition>,
    pub uses: Vec<CreditLineUse>,
}

/// One status change of a credit line (状态变更记录).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineTransition {
    pub from_status: Option<CreditLineStatus>,
    pub to_status: CreditLineStatus,
    pub action: String,
    pub actor_name: Option<String>,
    pub comment: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Whether an entry draws on the line or gives back to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditLineUseKind {
    /// 占用: a loan drew on the line.
    Use,
    /// 释放: a loan gave back what it used.
    Release,
}

impl CreditLineUseKind {
    fn as_str(self) -> &'static str {
        match self {
            CreditLineUseKind::Use => "use",
            CreditLineUseKind::Release => "release",
        }
    }
}

/// One use or release of a line (额度占用记录).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineUse {
    pub id: i64,
    pub kind: CreditLineUseKind,
    pub amount: Money,
    /// What drew on the line, e.g. `loan_application`.
    pub reference_type: String,
    pub reference_id: i64,
    /// The line's used amount after this entry.
    pub used_after: Money,
    pub actor_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A credit line to apply for, or the new state of a draft or returned one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineInput {
    pub customer_id: i64,
    #[schema(value_type = String, example = "300000.00")]
    pub requested_amount: DecimalString,
    /// The first day a loan may draw on the line.
    pub valid_from: Date,
    /// The last day a loan may draw on the line.
    pub valid_until: Date,
    /// 授信用途, e.g. `车辆抵押循环贷款`.
    pub purpose: String,
    /// Required when editing: the `version` you edited.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CreditLineFilter {
    /// Part of the line number or the customer's name.
    pub q: Option<String>,
    pub status: Option<CreditLineStatus>,
    pub customer_id: Option<i64>,
}

/// Why a line is frozen or unfrozen, with the version seen.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineReasonInput {
    /// 冻结 / 解冻原因.
    pub reason: String,
    pub version: i32,
}

/// A reason for a withdrawal, with the version seen.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineWithdrawInput {
    #[serde(default)]
    pub comment: Option<String>,
    pub version: i32,
}

/// What draws on a line: the kind of record and its id, e.g. (`loan_application`, 17). A
/// reference uses a line once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseReference {
    pub reference_type: &'static str,
    pub id: i64,
}

/// What a line can lend on a date, for the loans that draw on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub line_id: i64,
    pub line_no: String,
    pub customer_id: i64,
    pub balance: LineBalance,
    /// Approved less used on the date asked, or zero when the line cannot be drawn on then.
    pub available: Money,
}

impl Availability {
    /// 409 unless a loan may draw on the line on `on`.
    pub fn check_usable(&self, on: Date) -> AppResult<()> {
        self.balance.check_usable(on)
    }
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    line_no: String,
    customer_id: i64,
    customer_name: String,
    requested_amount: Decimal,
    approved_amount: Option<Decimal>,
    used_amount: Decimal,
    valid_from: Date,
    valid_until: Date,
    purpose: String,
    status: CreditLineStatus,
    frozen_reason: Option<String>,
    department_id: Option<i64>,
    created_by: i64,
    created_by_name: String,
    decided_at: Option<OffsetDateTime>,
    version: i32,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn balance_of(
    status: CreditLineStatus,
    approved: Option<Decimal>,
    used: Decimal,
    valid_from: Date,
    valid_until: Date,
) -> LineBalance {
    LineBalance {
        status,
        approved: approved.map(Money::round).unwrap_or(Money::ZERO),
        used: Money::round(used),
        valid_from,
        valid_until,
    }
}

impl Row {
    fn into_view(self, today: Date) -> CreditLine {
        let balance = balance_of(
            self.status,
            self.approved_amount,
            self.used_amount,
            self.valid_from,
            self.valid_until,
        );
        CreditLine {
            id: self.id,
            line_no: self.line_no,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            requested_amount: Money::round(self.requested_amount),
            approved_amount: self.approved_amount.map(Money::round),
            used_amount: balance.used,
            available_amount: balance.available_on(today),
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            expired: self.status.is_approved() && today > self.valid_until,
            purpose: self.purpose,
            status: self.status,
            frozen_reason: self.frozen_reason,
            department_id: self.department_id,
            created_by: self.created_by,
            created_by_name: self.created_by_name,
            decided_at: self.decided_at,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

const COLUMNS: &str = "l.id, l.line_no, l.customer_id, c.name AS customer_name, \
    l.requested_amount, l.approved_amount, l.used_amount, l.valid_from, l.valid_until, \
    l.purpose, l.status, l.frozen_reason, l.department_id, l.created_by, \
    cu.display_name AS created_by_name, l.decided_at, l.version, l.created_at, l.updated_at";
const FROM: &str = "credit_lines l JOIN customers c ON c.id = l.customer_id \
    JOIN users cu ON cu.id = l.created_by";
/// One's own: drafted by one.
const OWN: &str = "l.created_by = $?";

/// The business date of "now". Until the daily close keeps a business date of its own, it
/// is the clock's UTC date, as for loan applications.
fn today_of(now: OffsetDateTime) -> Date {
    now.date()
}

pub async fn list(
    ctx: &CreditContext,
    actor: &Actor,
    filter: &CreditLineFilter,
    page: &PageRequest,
) -> AppResult<Page<CreditLine>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "l.department_id", OWN);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.and(
            "(l.line_no ILIKE $? OR c.name ILIKE $?)",
            [Value::from(sql::contains(q)), Value::from(sql::contains(q))],
        );
    }
    if let Some(s) = filter.status {
        w.and("l.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(c) = filter.customer_id {
        w.and("l.customer_id = $?", [Value::from(c)]);
    }
    let rows = w
        .page_counting_over::<Row>(
            &ctx.db,
            COLUMNS,
            FROM,
            "credit_lines l JOIN customers c ON c.id = l.customer_id",
            "l.id DESC",
            page,
        )
        .await?;
    let today = today_of(ctx.clock.now());
    Ok(rows.map(|r| r.into_view(today)))
}

async fn load_unscoped(db: &impl ConnectionTrait, id: i64, today: Date) -> AppResult<CreditLine> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE l.id = $1");
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        [Value::from(id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("credit line"))?
    .into_view(today))
}

/// The line as `actor` may see it: within their data scope, or because its flow gives or
/// gave them a task.
async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    today: Date,
) -> AppResult<CreditLine> {
    let involved = || queries::involves(db, BusinessType::CreditLine, id, actor.user_id);
    if !actor.has(iam::perm::CREDIT_LINE_READ) {
        return if involved().await? {
            load_unscoped(db, id, today).await
        } else {
            Err(AppError::forbidden(
                "forbidden",
                format!("this needs the permission {}", iam::perm::CREDIT_LINE_READ),
            ))
        };
    }
    let mut w = Where::new();
    w.and("l.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "l.department_id", OWN);
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql());
    let found = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?;
    match found {
        Some(row) => Ok(row.into_view(today)),
        None if involved().await? => load_unscoped(db, id, today).await,
        None => Err(AppError::not_found("credit line")),
    }
}

pub async fn get(ctx: &CreditContext, actor: &Actor, id: i64) -> AppResult<CreditLineDetail> {
    let line = load(&ctx.db, actor, id, today_of(ctx.clock.now())).await?;
    let transitions = transition::Entity::find()
        .filter(transition::Column::LineId.eq(id))
        .order_by_asc(transition::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|t| CreditLineTransition {
            from_status: t.from_status.as_deref().and_then(status_from_str),
            to_status: status_from_str(&t.to_status).unwrap_or(CreditLineStatus::Draft),
            action: t.action,
            actor_name: t.actor_name,
            comment: t.comment,
            at: t.at,
        })
        .collect();
    let uses = line_use::Entity::find()
        .filter(line_use::Column::LineId.eq(id))
        .order_by_asc(line_use::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|u| CreditLineUse {
            id: u.id,
            kind: if u.kind == CreditLineUseKind::Release.as_str() {
                CreditLineUseKind::Release
            } else {
                CreditLineUseKind::Use
            },
            amount: Money::round(u.amount),
            reference_type: u.reference_type,
            reference_id: u.reference_id,
            used_after: Money::round(u.used_after),
            actor_name: u.actor_name,
            at: u.at,
        })
        .collect();
    Ok(CreditLineDetail {
        flow: queries::for_business(&ctx.db, BusinessType::CreditLine, id).await?,
        line,
        transitions,
        uses,
    })
}

fn status_from_str(s: &str) -> Option<CreditLineStatus> {
    serde_json::from_value(serde_json::Value::String(s.into())).ok()
}

/// The checked input.
struct Checked {
    requested: Money,
    purpose: String,
}

async fn check_input(
    ctx: &CreditContext,
    actor: &Actor,
    input: &CreditLineInput,
    today: Date,
) -> AppResult<Checked> {
    let mut errors = FieldErrors::new();
    let requested = inputs::money("requestedAmount", input.requested_amount, &mut errors);
    if !requested.is_positive() || requested > requested_max() {
        errors.add(
            "requestedAmount",
            "out_of_range",
            format!(
                "a credit line is more than 0 and at most {}",
                requested_max()
            ),
        );
    }
    if input.valid_until < input.valid_from {
        errors.add(
            "validUntil",
            "before_valid_from",
            "the line must end on or after the day it starts",
        );
    } else if input.valid_until < today {
        errors.add(
            "validUntil",
            "in_the_past",
            format!("the line must still be valid today ({today}) or later"),
        );
    }
    let purpose = input.purpose.trim().to_string();
    if purpose.is_empty() || purpose.chars().count() > 500 {
        errors.add(
            "purpose",
            "required",
            "say what the line is for, in at most 500 characters",
        );
    }
    match customers::service::customers::get(&ctx.customers, actor, input.customer_id, false).await
    {
        Ok(c) if c.status != Status::Active => {
            errors.add("customerId", "disabled", "the customer is disabled")
        }
        Ok(_) => {}
        Err(e) if e.code == "not_found" => {
            errors.add("customerId", "not_found", "no such customer in your scope")
        }
        Err(e) => return Err(e),
    }
    errors.finish()?;
    Ok(Checked { requested, purpose })
}

/// One edge of the state machine as taken.
struct Edge {
    from: Option<CreditLineStatus>,
    to: CreditLineStatus,
    event: CreditLineEvent,
}

async fn record_transition(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    id: i64,
    Edge { from, to, event }: Edge,
    comment: Option<String>,
) -> AppResult<()> {
    transition::ActiveModel {
        id: NotSet,
        line_id: Set(id),
        from_status: Set(from.map(|s| s.as_str().to_string())),
        to_status: Set(to.as_str().into()),
        action: Set(event.as_str().into()),
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

/// Applies for a credit line: a draft owned by the actor's department.
pub async fn create(
    ctx: &CreditContext,
    actor: &Actor,
    input: &CreditLineInput,
) -> AppResult<CreditLine> {
    let now = ctx.clock.now();
    let today = today_of(now);
    let checked = check_input(ctx, actor, input, today).await?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    #[derive(FromQueryResult)]
    struct Next {
        id: i64,
    }
    let next = Next::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT nextval('credit_lines_id_seq') AS id",
    ))
    .one(&txn)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("no next credit line id"))?
    .id;
    let line_no = format!(
        "CL{:04}{:02}{:02}{:06}",
        today.year(),
        u8::from(today.month()),
        today.day(),
        next
    );
    credit_line::ActiveModel {
        id: Set(next),
        line_no: Set(line_no),
        customer_id: Set(input.customer_id),
        requested_amount: Set(checked.requested.amount()),
        approved_amount: Set(None),
        used_amount: Set(Decimal::ZERO),
        valid_from: Set(input.valid_from),
        valid_until: Set(input.valid_until),
        purpose: Set(checked.purpose),
        status: Set(CreditLineStatus::Draft),
        frozen_reason: Set(None),
        department_id: Set(actor.department_id),
        created_by: Set(actor.user_id),
        decided_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let edge = Edge {
        from: None,
        to: CreditLineStatus::Draft,
        event: CreditLineEvent::Edit,
    };
    record_transition(&txn, actor, now, next, edge, None).await?;
    let saved = load_unscoped(&txn, next, today).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("credit_line", next, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Locks the line's row (scope-checked) and checks its version.
async fn lock(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    version: i32,
    today: Date,
) -> AppResult<(credit_line::Model, CreditLine)> {
    load(txn, actor, id, today).await?;
    let row = lock_row(txn, id).await?;
    check_version("credit line", row.version, version)?;
    // Read after the lock, so the record before the change is the one changed.
    let before = load_unscoped(txn, id, today).await?;
    Ok((row, before))
}

async fn lock_row(txn: &impl ConnectionTrait, id: i64) -> AppResult<credit_line::Model> {
    credit_line::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("credit line"))
}

/// Where a change happens: who, when, and the record as it was.
struct At<'a> {
    actor: &'a Actor,
    now: OffsetDateTime,
    before: &'a CreditLine,
}

/// Moves the locked row along `event`, stores the edge and the audit record.
async fn move_to(
    txn: &impl ConnectionTrait,
    at: At<'_>,
    row: credit_line::Model,
    event: CreditLineEvent,
    comment: Option<String>,
    change: impl FnOnce(&mut credit_line::ActiveModel),
) -> AppResult<CreditLine> {
    let At { actor, now, before } = at;
    let from = row.status;
    let to = from.on(event)?;
    let id = row.id;
    let version = row.version + 1;
    let mut active = row.into_active_model();
    active.status = Set(to);
    active.version = Set(version);
    active.updated_at = Set(now);
    if matches!(
        event,
        CreditLineEvent::Approve | CreditLineEvent::Reject | CreditLineEvent::Withdraw
    ) {
        active.decided_at = Set(Some(now));
    }
    change(&mut active);
    active.update(txn).await.map_err(db_error)?;
    if from != to || event != CreditLineEvent::Edit {
        let edge = Edge {
            from: Some(from),
            to,
            event,
        };
        record_transition(txn, actor, now, id, edge, comment).await?;
    }
    let after = load_unscoped(txn, id, today_of(now)).await?;
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("credit_line", id, event.as_str())
            .before(before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

fn not_yours(what: &str) -> AppError {
    AppError::forbidden(
        "not_your_credit_line",
        format!("only the customer manager who drafted it may {what} a credit line"),
    )
}

/// Edits a draft, or a returned line before it is resubmitted.
pub async fn update(
    ctx: &CreditContext,
    actor: &Actor,
    id: i64,
    input: &CreditLineInput,
) -> AppResult<CreditLine> {
    let Some(version) = input.version else {
        return Err(AppError::invalid_field(
            "version",
            "required",
            "send the version you edited",
        ));
    };
    let now = ctx.clock.now();
    let today = today_of(now);
    let checked = check_input(ctx, actor, input, today).await?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, version, today).await?;
    row.status.on(CreditLineEvent::Edit)?;
    if row.created_by != actor.user_id {
        return Err(not_yours("edit"));
    }
    let at = At {
        actor,
        now,
        before: &before,
    };
    let saved = move_to(&txn, at, row, CreditLineEvent::Edit, None, |l| {
        l.customer_id = Set(input.customer_id);
        l.requested_amount = Set(checked.requested.amount());
        l.valid_from = Set(input.valid_from);
        l.valid_until = Set(input.valid_until);
        l.purpose = Set(checked.purpose.clone());
    })
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

fn facts_of(l: &CreditLine) -> Facts {
    Facts {
        amount: Some(l.requested_amount),
        ..Facts::default()
    }
}

fn title_of(l: &CreditLine) -> String {
    format!(
        "授信 {} {} ¥{}",
        l.line_no, l.customer_name, l.requested_amount
    )
}

/// 422 when the line would already have ended: it must be amended first.
fn still_valid(line: &CreditLine, today: Date) -> AppResult<()> {
    if line.valid_until < today {
        return Err(AppError::rule(
            "credit_line_validity_passed",
            format!(
                "the line was to be valid until {}, which has passed; amend its validity first",
                line.valid_until
            ),
        ));
    }
    Ok(())
}

/// Submits a draft into the `credit_line` approval flow.
pub async fn submit(
    ctx: &CreditContext,
    actor: &Actor,
    id: i64,
    body: &VersionBody,
) -> AppResult<CreditLine> {
    let now = ctx.clock.now();
    let today = today_of(now);
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, body.version, today).await?;
    row.status.on(CreditLineEvent::Submit)?;
    if row.created_by != actor.user_id {
        return Err(not_yours("submit"));
    }
    still_valid(&before, today)?;
    engine::start(
        &txn,
        actor,
        now,
        &StartFlow {
            business_type: BusinessType::CreditLine,
            business_id: id,
            title: title_of(&before),
            facts: facts_of(&before),
            applicant_id: row.created_by,
            applicant_department_id: row.department_id,
        },
    )
    .await?;
    let at = At {
        actor,
        now,
        before: &before,
    };
    let saved = move_to(&txn, at, row, CreditLineEvent::Submit, None, |_| {}).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Sends a returned line back into its flow, at the first step.
pub async fn resubmit(
    ctx: &CreditContext,
    actor: &Actor,
    id: i64,
    body: &VersionBody,
) -> AppResult<CreditLine> {
    let now = ctx.clock.now();
    let today = today_of(now);
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, body.version, today).await?;
    row.status.on(CreditLineEvent::Resubmit)?;
    if row.created_by != actor.user_id {
        return Err(not_yours("resubmit"));
    }
    still_valid(&before, today)?;
    engine::resubmit(
        &txn,
        actor,
        now,
        BusinessType::CreditLine,
        id,
        title_of(&before),
        &facts_of(&before),
    )
    .await?;
    let at = At {
        actor,
        now,
        before: &before,
    };
    let saved = move_to(&txn, at, row, CreditLineEvent::Resubmit, None, |_| {}).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
}

/// Withdraws a draft or a returned line; a returned one leaves its flow.
pub async fn withdraw(
    ctx: &CreditContext,
    actor: &Actor,
    id: i64,
    input: &CreditLineWithdrawInput,
) -> AppResult<CreditLine> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, input.version, today_of(now)).await?;
    row.status.on(CreditLineEvent::Withdraw)?;
    if row.created_by != actor.user_id {
        return Err(not_yours("withdraw"));
    }
    engine::cancel(&txn, actor, now, BusinessType::CreditLine, id).await?;
    let at = At {
        actor,
        now,
        before: &before,
    };
    let comment = trimmed(input.comment.as_deref());
    let saved = move_to(&txn, at, row, CreditLineEvent::Withdraw, comment, |_| {}).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Applies a flow action's outcome to the line, in the action's transaction. Approval makes
/// the line active with the requested amount and the validity applied for.
pub async fn apply_outcome(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    outcome: &workflow::ActOutcome,
    comment: Option<String>,
) -> AppResult<()> {
    let id = outcome.business_id;
    let today = today_of(now);
    let row = lock_row(txn, id).await?;
    let before = load_unscoped(txn, id, today).await?;
    let event = match outcome.decision {
        workflow::Decision::Pending => CreditLineEvent::FlowStep,
        workflow::Decision::Approved => {
            still_valid(&before, today)?;
            CreditLineEvent::Approve
        }
        workflow::Decision::Rejected => CreditLineEvent::Reject,
        workflow::Decision::Returned => CreditLineEvent::Return,
    };
    if event == CreditLineEvent::FlowStep {
        // A step within the flow is the flow's history, not a status change.
        row.status.on(event)?;
        return Ok(());
    }
    let approved = row.requested_amount;
    let at = At {
        actor,
        now,
        before: &before,
    };
    move_to(txn, at, row, event, comment, |l| {
        if event == CreditLineEvent::Approve {
            l.approved_amount = Set(Some(approved));
        }
    })
    .await?;
    Ok(())
}

/// Freezes an active line (冻结): no loan may draw on it until it is unfrozen.
pub async fn freeze(
    ctx: &CreditContext,
    actor: &Actor,
    id: i64,
    input: &CreditLineReasonInput,
) -> AppResult<CreditLine> {
    change_freeze(ctx, actor, id, input, CreditLineEvent::Freeze).await
}

/// Unfreezes a frozen line (解冻).
pub async fn unfreeze(
    ctx: &CreditContext,
    actor: &Actor,
    id: i64,
    input: &CreditLineReasonInput,
) -> AppResult<CreditLine> {
    change_freeze(ctx, actor, id, input, CreditLineEvent::Unfreeze).await
}

async fn change_freeze(
    ctx: &CreditContext,
    actor: &Actor,
    id: i64,
    input: &CreditLineReasonInput,
    event: CreditLineEvent,
) -> AppResult<CreditLine> {
    let Some(reason) = trimmed(Some(&input.reason)).filter(|r| r.chars().count() <= 500) else {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why, in at most 500 characters",
        ));
    };
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let (row, before) = lock(&txn, actor, id, input.version, today_of(now)).await?;
    let at = At {
        actor,
        now,
        before: &before,
    };
    let frozen_reason = (event == CreditLineEvent::Freeze).then(|| reason.clone());
    let saved = move_to(&txn, at, row, event, Some(reason), |l| {
        l.frozen_reason = Set(frozen_reason);
    })
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// What the line can lend on `on`, read without a lock: a preview for checks before the
/// decision. [`use_amount`] decides, with the row locked.
pub async fn available(
    db: &impl ConnectionTrait,
    line_id: i64,
    on: Date,
) -> AppResult<Availability> {
    let row = credit_line::Entity::find_by_id(line_id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("credit line"))?;
    Ok(availability_of(&row, on))
}

fn availability_of(row: &credit_line::Model, on: Date) -> Availability {
    let balance = balance_of(
        row.status,
        row.approved_amount,
        row.used_amount,
        row.valid_from,
        row.valid_until,
    );
    Availability {
        line_id: row.id,
        line_no: row.line_no.clone(),
        customer_id: row.customer_id,
        available: balance.available_on(on),
        balance,
    }
}

#[derive(FromQueryResult)]
struct ReferenceTotals {
    used: Option<Decimal>,
    released: Option<Decimal>,
}

/// What `reference` used of the line and what it released so far.
async fn reference_totals(
    txn: &impl ConnectionTrait,
    line_id: i64,
    reference: &UseReference,
) -> AppResult<(Money, Money)> {
    let totals = ReferenceTotals::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT SUM(amount) FILTER (WHERE kind = 'use') AS used, \
         SUM(amount) FILTER (WHERE kind = 'release') AS released \
         FROM credit_line_uses WHERE line_id = $1 AND reference_type = $2 AND reference_id = $3",
        [
            Value::from(line_id),
            Value::from(reference.reference_type),
            Value::from(reference.id),
        ],
    ))
    .one(txn)
    .await
    .map_err(db_error)?;
    let money = |d: Option<Decimal>| d.map(Money::round).unwrap_or(Money::ZERO);
    Ok(totals
        .map(|t| (money(t.used), money(t.released)))
        .unwrap_or((Money::ZERO, Money::ZERO)))
}

/// Draws `amount` on the line for `reference`, in the caller's transaction, with the line's
/// row locked: two uses at once serialise and the second sees what the first used. 409 when
/// the line is frozen, expired or not active, or the reference already used it; 422
/// `credit_line_exceeded` when the amount is more than is available. Returns the new used
/// amount. A use does not change the line's `version`: it never conflicts with a person's
/// edit, and the lock orders it against other uses.
pub async fn use_amount(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    line_id: i64,
    amount: Money,
    reference: &UseReference,
) -> AppResult<Money> {
    let today = today_of(now);
    let row = lock_row(txn, line_id).await?;
    let (used_before, _) = reference_totals(txn, line_id, reference).await?;
    if used_before.is_positive() {
        return Err(AppError::conflict(
            "credit_line_already_used",
            format!(
                "{} {} already uses this credit line",
                reference.reference_type, reference.id
            ),
        ));
    }
    let used = availability_of(&row, today).balance.draw(today, amount)?;
    move_amount(
        txn,
        actor,
        now,
        row,
        CreditLineUseKind::Use,
        amount,
        used,
        reference,
    )
    .await?;
    Ok(used)
}

/// Gives back `amount` of what `reference` used of the line, with the row locked; allowed
/// on a frozen or expired line too. Returns the new used amount.
pub async fn release_amount(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    line_id: i64,
    amount: Money,
    reference: &UseReference,
) -> AppResult<Money> {
    let row = lock_row(txn, line_id).await?;
    let (used_by, released_by) = reference_totals(txn, line_id, reference).await?;
    if !used_by.is_positive() {
        return Err(AppError::conflict(
            "credit_line_not_used",
            format!(
                "{} {} does not use this credit line",
                reference.reference_type, reference.id
            ),
        ));
    }
    let balance = availability_of(&row, today_of(now)).balance;
    let used = balance.release(amount, used_by - released_by)?;
    move_amount(
        txn,
        actor,
        now,
        row,
        CreditLineUseKind::Release,
        amount,
        used,
        reference,
    )
    .await?;
    Ok(used)
}

/// Stores a use or release: the new used amount on the locked row, the entry, the audit.
#[allow(clippy::too_many_arguments)]
async fn move_amount(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    row: credit_line::Model,
    kind: CreditLineUseKind,
    amount: Money,
    used: Money,
    reference: &UseReference,
) -> AppResult<()> {
    let today = today_of(now);
    let id = row.id;
    let before = load_unscoped(txn, id, today).await?;
    let mut active = row.into_active_model();
    active.used_amount = Set(used.amount());
    active.updated_at = Set(now);
    active.update(txn).await.map_err(db_error)?;
    line_use::ActiveModel {
        id: NotSet,
        line_id: Set(id),
        kind: Set(kind.as_str().into()),
        amount: Set(amount.amount()),
        reference_type: Set(reference.reference_type.into()),
        reference_id: Set(reference.id),
        used_after: Set(used.amount()),
        actor_id: Set(Some(actor.user_id)),
        actor_name: Set(Some(actor.display_name.clone())),
        at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(db_error)?;
    let after = load_unscoped(txn, id, today).await?;
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("credit_line", id, kind.as_str())
            .before(&before)
            .after(&after),
    )
    .await
}

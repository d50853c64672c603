//! Early release of a held car (提前解押), maker-checker: someone who may release cars asks,
//! with the reason and the planned hand-over; another holder of `collateral:release:exception`
//! approves (the car is released, basis `exception`) or rejects with a comment (it stays
//! held and may be asked for again). Each step moves the registration along its state
//! machine ([`crate::domain::release`]) and is audited. These functions run in the caller's
//! transaction: the loans crate, which owns the contract and the loan, checks them first.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    NotSet, QuerySelect, Set, SqlErr, Statement, Value,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::sql::Where;
use iam::service::{audit, check_version, scope};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Page, PageRequest};

use super::securing::{Registration, ReleaseBasis, text};
use super::{CollateralContext, db_error};
use crate::domain::release::check_decision;
use crate::domain::{RegistrationStatus, ReleaseEvent, ReleaseRequestStatus};
use crate::repo::{registration, release_request};

/// An early-release request (提前解押申请) as the queue and the contract show it.
#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRequest {
    pub id: i64,
    pub registration_id: i64,
    pub contract_id: i64,
    pub contract_no: String,
    pub borrower_name: String,
    pub vehicle_id: i64,
    pub vin: String,
    pub plate: Option<String>,
    pub brand: String,
    pub model: String,
    /// `mortgage` or `pledge`.
    pub kind: String,
    pub status: ReleaseRequestStatus,
    /// Why the car is released before the loan is settled.
    pub reason: String,
    /// 交接记录 as planned: what is handed back and to whom.
    pub handover_note: String,
    pub requested_by: i64,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub reviewed_by: Option<i64>,
    pub reviewed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub reviewed_at: Option<OffsetDateTime>,
    pub review_comment: Option<String>,
    pub version: i32,
}

const COLUMNS: &str = "q.id, q.registration_id, r.contract_id, k.contract_no, \
    k.terms->>'borrowerName' AS borrower_name, r.vehicle_id, v.vin, v.plate, v.brand, v.model, \
    r.kind, q.status, q.reason, q.handover_note, q.requested_by, \
    qu.display_name AS requested_by_name, q.requested_at, q.reviewed_by, \
    vu.display_name AS reviewed_by_name, q.reviewed_at, q.review_comment, q.version";
const FROM: &str = "collateral_release_requests q \
    JOIN collateral_registrations r ON r.id = q.registration_id \
    JOIN vehicles v ON v.id = r.vehicle_id JOIN loan_contracts k ON k.id = r.contract_id \
    JOIN users qu ON qu.id = q.requested_by LEFT JOIN users vu ON vu.id = q.reviewed_by";
/// One's own, over the cars: a car one registered (as the other collateral queries).
const OWN: &str = "v.created_by = $?";

async fn view(db: &impl ConnectionTrait, id: i64) -> AppResult<ReleaseRequest> {
    ReleaseRequest::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {COLUMNS} FROM {FROM} WHERE q.id = $1"),
        [Value::from(id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("release request"))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ReleaseRequestFilter {
    /// `requested` is the approvers' queue (待审批解押).
    pub status: Option<ReleaseRequestStatus>,
    pub contract_id: Option<i64>,
}

/// Early-release requests within the actor's data scope over the cars, newest first.
pub async fn list(
    ctx: &CollateralContext,
    actor: &Actor,
    filter: &ReleaseRequestFilter,
    page: &PageRequest,
) -> AppResult<Page<ReleaseRequest>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "v.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("q.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(k) = filter.contract_id {
        w.and("r.contract_id = $?", [Value::from(k)]);
    }
    w.page_counting_over(
        &ctx.db,
        COLUMNS,
        FROM,
        "collateral_release_requests q JOIN collateral_registrations r ON r.id = q.registration_id \
         JOIN vehicles v ON v.id = r.vehicle_id",
        "q.id DESC",
        page,
    )
    .await
}

/// The contract's requests, newest first (the contract's own access is the caller's check).
pub async fn for_contract(
    db: &impl ConnectionTrait,
    contract_id: i64,
) -> AppResult<Vec<ReleaseRequest>> {
    ReleaseRequest::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {COLUMNS} FROM {FROM} WHERE r.contract_id = $1 ORDER BY q.id DESC"),
        [Value::from(contract_id)],
    ))
    .all(db)
    .await
    .map_err(db_error)
}

/// Asking for an early release (申请提前解押).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRequestInput {
    /// Why the car is released before the loan is settled (e.g. `借款人以保证金置换抵押`).
    pub reason: String,
    /// 交接记录 as planned: what will be handed back (registration certificate, keys) and to whom.
    pub handover_note: String,
    /// The registration's version as seen.
    pub version: i32,
}

/// The second person's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseDecision {
    /// The car is released now, basis `exception`.
    Approve,
    /// The car stays held; the comment says why.
    Reject,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseDecisionInput {
    pub decision: ReleaseDecision,
    /// Required when rejecting.
    #[serde(default)]
    pub comment: Option<String>,
    /// The request's version as seen.
    pub version: i32,
}

/// The request's own rules before anything moves: the car may be put up for release, and the
/// reason and the planned hand-over are given.
pub fn check_request(found: &registration::Model, input: &ReleaseRequestInput) -> AppResult<()> {
    found.status.on(ReleaseEvent::Request)?;
    let mut errors = FieldErrors::new();
    text("reason", &input.reason, 500, &mut errors);
    text("handoverNote", &input.handover_note, 2000, &mut errors);
    errors.finish()
}

/// Puts a held car up for an early release: `registered → release_requested`, and the request.
pub async fn request(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    found: registration::Model,
    input: &ReleaseRequestInput,
) -> AppResult<ReleaseRequest> {
    check_request(&found, input)?;
    let status = found.status.on(ReleaseEvent::Request)?;
    let registration_id = found.id;
    move_registration(txn, actor, now, found, "request_release", |r| {
        r.status = Set(status)
    })
    .await?;
    let saved = release_request::ActiveModel {
        id: NotSet,
        registration_id: Set(registration_id),
        status: Set(ReleaseRequestStatus::Requested),
        reason: Set(input.reason.trim().to_string()),
        handover_note: Set(input.handover_note.trim().to_string()),
        requested_by: Set(actor.user_id),
        requested_at: Set(now),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        review_comment: Set(None),
        version: Set(1),
    }
    .insert(txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(
            "invalid_transition",
            "an early release of this car is already waiting for approval",
        ),
        _ => db_error(e),
    })?;
    let after = view(txn, saved.id).await?;
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("collateral_release_request", after.id, "request").after(&after),
    )
    .await?;
    Ok(after)
}

/// The request, locked. Not yet checked against the caller's version: a decided request is
/// refused as decided first, which says more than a stale version.
pub async fn lock_request(
    txn: &impl ConnectionTrait,
    id: i64,
) -> AppResult<release_request::Model> {
    release_request::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("release request"))
}

/// The registration a request is about, for the caller's checks of its contract.
pub async fn request_registration(db: &impl ConnectionTrait, id: i64) -> AppResult<i64> {
    Ok(release_request::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("release request"))?
        .registration_id)
}

/// Approves or rejects an early release; never one's own request. Approval releases the car
/// on the day of the decision, basis `exception`, with the request's reason and hand-over.
pub async fn decide(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    found: release_request::Model,
    input: &ReleaseDecisionInput,
) -> AppResult<ReleaseRequest> {
    check_decision(found.status, found.requested_by, actor.user_id)?;
    check_version("release request", found.version, input.version)?;
    let comment = input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    if input.decision == ReleaseDecision::Reject && comment.is_none() {
        return Err(AppError::invalid_field(
            "comment",
            "required",
            "say why the early release is rejected",
        ));
    }
    if comment.as_ref().is_some_and(|c| c.chars().count() > 500) {
        return Err(AppError::invalid_field(
            "comment",
            "too_long",
            "at most 500 characters",
        ));
    }
    let held = registration::Entity::find_by_id(found.registration_id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("collateral registration"))?;
    let (event, decided, action) = match input.decision {
        ReleaseDecision::Approve => (
            ReleaseEvent::Approve,
            ReleaseRequestStatus::Approved,
            "approve",
        ),
        ReleaseDecision::Reject => (
            ReleaseEvent::Reject,
            ReleaseRequestStatus::Rejected,
            "reject",
        ),
    };
    let status = held.status.on(event)?;
    let before = view(txn, found.id).await?;
    match status {
        RegistrationStatus::Released => {
            let (reason, handover) = (found.reason.clone(), found.handover_note.clone());
            move_registration(txn, actor, now, held, "release", |r| {
                r.status = Set(status);
                r.released_on = Set(Some(now.date()));
                r.release_basis = Set(Some(ReleaseBasis::Exception.as_str().into()));
                r.release_reason = Set(Some(reason));
                r.settlement_cert_no = Set(None);
                r.handover_note = Set(Some(handover));
                r.released_by = Set(Some(actor.user_id));
            })
            .await?;
        }
        _ => {
            move_registration(txn, actor, now, held, "release_rejected", |r| {
                r.status = Set(status)
            })
            .await?;
        }
    }
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.status = Set(decided);
    active.reviewed_by = Set(Some(actor.user_id));
    active.reviewed_at = Set(Some(now));
    active.review_comment = Set(comment);
    active.version = Set(version);
    let saved = active.update(txn).await.map_err(db_error)?;
    let after = view(txn, saved.id).await?;
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("collateral_release_request", after.id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// One edge of the registration, with its version bumped and its audit record.
async fn move_registration(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    found: registration::Model,
    action: &str,
    change: impl FnOnce(&mut registration::ActiveModel),
) -> AppResult<Registration> {
    let before: Registration = found.clone().into();
    let version = found.version + 1;
    let mut active = found.into_active_model();
    change(&mut active);
    active.version = Set(version);
    active.updated_at = Set(now);
    let after: Registration = active.update(txn).await.map_err(db_error)?.into();
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("collateral_registration", after.id, action)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

//! Reversal of a confirmed repayment (还款冲正): requested with a reason, approved by someone
//! else. Approval puts the loan back exactly as the repayment found it, posts the mirror
//! voucher (红字冲销) on the business date and marks the repayment reversed. Only a loan's
//! latest confirmed repayment can be reversed; later ones are reversed first.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::idempotency::IdempotencyKey;
use iam::service::sql::Where;
use iam::service::{audit, check_version, scope};
use kernel::{AppError, AppResult, Page, PageRequest};
use ledgers::service::{business_date, vouchers};

use super::keyed::{self, CheckInput, Keyed};
use super::loan_accounts::{self, LoanSnapshot};
use super::repayments::{self, Repayment};
use super::{LoansContext, db_error};
use crate::domain::money_events::{
    CheckDecision, RepaymentStatus, ReversalStatus, check_registration,
};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reversal {
    pub id: i64,
    pub repayment_id: i64,
    pub loan_id: i64,
    pub loan_no: String,
    pub customer_name: String,
    pub amount: kernel::Money,
    pub status: ReversalStatus,
    pub reason: String,
    pub requested_by: i64,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub reviewed_by_name: Option<String>,
    pub review_comment: Option<String>,
    pub voucher_id: Option<i64>,
    pub version: i32,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    repayment_id: i64,
    loan_id: i64,
    loan_no: String,
    customer_name: String,
    amount: rust_decimal::Decimal,
    status: String,
    reason: String,
    requested_by: i64,
    requested_by_name: String,
    requested_at: OffsetDateTime,
    reviewed_by_name: Option<String>,
    review_comment: Option<String>,
    voucher_id: Option<i64>,
    version: i32,
}

impl Row {
    fn into_view(self) -> AppResult<Reversal> {
        Ok(Reversal {
            status: ReversalStatus::parse(&self.status)?,
            amount: kernel::Money::from_decimal(self.amount).map_err(AppError::internal)?,
            id: self.id,
            repayment_id: self.repayment_id,
            loan_id: self.loan_id,
            loan_no: self.loan_no,
            customer_name: self.customer_name,
            reason: self.reason,
            requested_by: self.requested_by,
            requested_by_name: self.requested_by_name,
            requested_at: self.requested_at,
            reviewed_by_name: self.reviewed_by_name,
            review_comment: self.review_comment,
            voucher_id: self.voucher_id,
            version: self.version,
        })
    }
}

const COLUMNS: &str = "x.id, x.repayment_id, r.loan_id, l.loan_no, c.name AS customer_name, r.amount, x.status, \
    x.reason, x.requested_by, qu.display_name AS requested_by_name, x.requested_at, \
    vu.display_name AS reviewed_by_name, x.review_comment, x.voucher_id, x.version";
const FROM: &str = "repayment_reversals x JOIN repayments r ON r.id = x.repayment_id \
    JOIN loans l ON l.id = r.loan_id JOIN customers c ON c.id = l.customer_id \
    JOIN users qu ON qu.id = x.requested_by LEFT JOIN users vu ON vu.id = x.reviewed_by";
const OWN: &str = "x.requested_by = $?";

async fn load(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Reversal> {
    let mut w = Where::new();
    w.and("x.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "x.department_id", OWN);
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql()),
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("reversal"))?
    .into_view()
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ReversalFilter {
    pub status: Option<ReversalStatus>,
}

pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &ReversalFilter,
    page: &PageRequest,
) -> AppResult<Page<Reversal>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "x.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("x.status = $?", [Value::from(s.as_str())]);
    }
    let rows: Page<Row> = w
        .page_counting_over(&ctx.db, COLUMNS, FROM, FROM, "x.id DESC", page)
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(Row::into_view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReversalRequest {
    /// Why the confirmed repayment must be undone (wrong loan, bounced transfer, ...).
    pub reason: String,
}

/// Asks for a confirmed repayment to be reversed.
pub async fn request(
    ctx: &LoansContext,
    actor: &Actor,
    repayment_id: i64,
    input: &ReversalRequest,
    key: &IdempotencyKey,
) -> AppResult<Reversal> {
    // The key first: a retry gets the first answer even when the state its checks read
    // (the loan, the contract, the business date) has moved on since.
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    if input.reason.trim().is_empty() {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why the repayment is reversed",
        ));
    }
    let r: Repayment = repayments::get(ctx, actor, repayment_id).await?;
    if r.status != RepaymentStatus::Confirmed {
        return Err(AppError::conflict(
            "invalid_transition",
            "only a confirmed repayment is reversed",
        ));
    }
    not_closed_since(&txn, repayment_id).await?;
    let id: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO repayment_reversals (repayment_id, status, reason, department_id, requested_by, requested_at) \
             SELECT $1, 'requested', $2, r.department_id, $3, $4 FROM repayments r WHERE r.id = $1 RETURNING id",
            [Value::from(repayment_id), Value::from(input.reason.trim()), Value::from(actor.user_id), Value::from(now)],
        ))
        .await
        .map_err(|e| {
            if e.to_string().contains("repayment_reversals_live_key") {
                AppError::conflict("reversal_exists", "a reversal of this repayment is already requested or done")
            } else {
                db_error(e)
            }
        })?
        .ok_or_else(|| AppError::internal("insert returned nothing"))?
        .try_get("", "id")
        .map_err(db_error)?;
    let after = load(&txn, actor, id).await?;
    keyed::finish(
        txn,
        actor,
        key,
        now,
        audit::Change::new("repayment_reversal", id, "request").after(&after),
        after,
    )
    .await
}

/// Approves or rejects a reversal; never one's own request.
pub async fn review(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &CheckInput,
    key: &IdempotencyKey,
) -> AppResult<Reversal> {
    let comment = input.comment("reversal")?;
    let now = ctx.clock.now();
    let txn = match keyed::begin(ctx, actor, key, now).await? {
        Keyed::Fresh(txn) => txn,
        Keyed::Done(done) => return Ok(done),
    };
    let before = load(&txn, actor, id).await?;
    let loan = loan_accounts::lock_row(&txn, before.loan_id).await?;
    let before = load(&txn, actor, id).await?;
    check_version("reversal", before.version, input.version)?;
    check_registration(
        "reversal",
        before.status == ReversalStatus::Requested,
        before.requested_by,
        actor.user_id,
    )?;
    let (status, voucher_id) = match input.decision {
        CheckDecision::Reject => (ReversalStatus::Rejected, None),
        CheckDecision::Approve => (
            ReversalStatus::Approved,
            Some(undo(ctx, &txn, actor, &loan, &before, now).await?),
        ),
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE repayment_reversals SET status = $2, voucher_id = $3, reviewed_by = $4, reviewed_at = $5, \
         review_comment = $6, version = version + 1 WHERE id = $1",
        [
            Value::from(id),
            Value::from(status.as_str()),
            Value::from(voucher_id),
            Value::from(actor.user_id),
            Value::from(now),
            Value::from(comment),
        ],
    ))
    .await
    .map_err(db_error)?;
    let after = load(&txn, actor, id).await?;
    keyed::finish(
        txn,
        actor,
        key,
        now,
        audit::Change::new("repayment_reversal", id, input.action())
            .before(&before)
            .after(&after),
        after,
    )
    .await
}

/// Restores the loan from the repayment's snapshot and posts the reversing voucher.
async fn undo(
    ctx: &LoansContext,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    loan: &loan_accounts::LoanRow,
    x: &Reversal,
    now: OffsetDateTime,
) -> AppResult<i64> {
    #[derive(FromQueryResult)]
    struct Found {
        status: String,
        voucher_id: Option<i64>,
        restore: Option<serde_json::Value>,
        later: i64,
    }
    let r = Found::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT r.status, r.voucher_id, r.restore, \
           (SELECT count(*) FROM repayments o WHERE o.loan_id = r.loan_id AND o.status = 'confirmed' \
             AND o.voucher_id > r.voucher_id) AS later \
         FROM repayments r WHERE r.id = $1 FOR UPDATE",
        [Value::from(x.repayment_id)],
    ))
    .one(txn)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("repayment"))?;
    if r.status != "confirmed" {
        return Err(AppError::conflict(
            "invalid_transition",
            "the repayment is no longer confirmed",
        ));
    }
    if r.later > 0 {
        return Err(AppError::conflict(
            "later_repayments",
            format!(
                "{} later repayment(s) on this loan were applied after it; reverse them first",
                r.later
            ),
        ));
    }
    not_closed_since(txn, x.repayment_id).await?;
    let snapshot: LoanSnapshot =
        serde_json::from_value(r.restore.ok_or_else(|| AppError::internal("no snapshot"))?)
            .map_err(AppError::internal)?;
    loan_accounts::replace_installments(txn, loan.id, &snapshot.installments, now).await?;
    loan_accounts::save_balances(txn, loan.id, &snapshot.balances, now).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE loans SET status = $2, settled_on = $3, version = version + 1, updated_at = $4 WHERE id = $1",
        [
            Value::from(loan.id),
            Value::from(snapshot.status.clone()),
            Value::from(snapshot.settled_on),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    let today = business_date::today(txn, &ctx.clock).await?;
    let voucher_id = vouchers::reverse(
        txn,
        vouchers::Posting {
            made_by: Some(x.requested_by),
            checked_by: Some(actor.user_id),
            at: now,
        },
        r.voucher_id
            .ok_or_else(|| AppError::internal("a confirmed repayment without a voucher"))?,
        today,
        "repayment_reversal",
        x.id,
        &format!("冲正 {} 还款", loan.loan_no),
    )
    .await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE repayments SET status = 'reversed', version = version + 1 WHERE id = $1",
        [Value::from(x.repayment_id)],
    ))
    .await
    .map_err(db_error)?;
    Ok(voucher_id)
}

/// A reversal puts back the loan as the confirmation found it, which holds only until the
/// daily close books on top of it (accrual, overdue transfer, penalty): after a close the
/// repayment stays, and a correction is booked instead.
async fn not_closed_since(txn: &impl ConnectionTrait, repayment_id: i64) -> AppResult<()> {
    let closed = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT EXISTS (SELECT 1 FROM close_steps s, repayments r \
               WHERE r.id = $1 AND s.started_at >= r.confirmed_at) AS closed",
            [Value::from(repayment_id)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no row"))?
        .try_get::<bool>("", "closed")
        .map_err(db_error)?;
    if closed {
        return Err(AppError::conflict(
            "closed_since",
            "the daily close has run since this repayment was confirmed; it can no longer be reversed",
        ));
    }
    Ok(())
}

//! Fees received against a contract (咨询费登记 / 咨询费复核).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use iam::perm;
use kernel::{Page, PageRequest};
use loans::service::disbursements::CheckInput;
use loans::service::fees::{self, FeeFilter, FeeReceipt, RegisterFee};
use utoipa_actix_web::service_config::ServiceConfig;

use super::idempotency_key;
use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_fee_receipts)
        .service(get_fee_receipt)
        .service(register_fee)
        .service(review_fee);
}

/// Fees received, newest first; `status=registered` is the reviewers' queue.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(PageRequest, FeeFilter), responses(
    (status = 200, body = Page<FeeReceipt>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/fee-receipts")]
async fn list_fee_receipts(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<FeeFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(fees::list(&state.loans, &actor, &filter, &page).await?))
}

/// One fee received.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = FeeReceipt),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/fee-receipts/{id}")]
async fn get_fee_receipt(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(fees::get(&state.loans, &actor, *id).await?))
}

/// Register a fee received against a signed contract (咨询费登记). Needs an `Idempotency-Key`.
///
/// Permission: `fee:register`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = RegisterFee, responses(
    (status = 201, body = FeeReceipt),
    (status = 400, body = Problem, description = "`idempotency_key_required`"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`contract_not_signed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`feeType`, `amount`, `reference`, `valueDate`, `fundAccountCode`)"),
))]
#[post("/fee-receipts")]
async fn register_fee(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    body: web::Json<RegisterFee>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::FEE_REGISTER)?;
    let key = idempotency_key(&req, "POST /fee-receipts", &*body)?;
    Ok(HttpResponse::Created().json(fees::register(&state.loans, &actor, &body, &key).await?))
}

/// Approve (posting Dr fund / Cr 6021 net / Cr 222101 VAT) or reject a registered fee
/// (咨询费复核); never one's own.
///
/// Permission: `fee:review`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = CheckInput, responses(
    (status = 200, body = FeeReceipt),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`maker_checker`"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`, `period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`comment`)"),
))]
#[post("/fee-receipts/{id}/review")]
async fn review_fee(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<CheckInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::FEE_REVIEW)?;
    let key = idempotency_key(&req, &format!("POST /fee-receipts/{id}/review"), &*body)?;
    Ok(HttpResponse::Ok().json(fees::review(&state.loans, &actor, *id, &body, &key).await?))
}

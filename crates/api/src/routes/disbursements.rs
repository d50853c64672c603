//! Disbursements (放款登记 / 放款复核).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use iam::perm;
use kernel::{Page, PageRequest};
use loans::service::disbursements::{
    self, CheckInput, Disbursement, DisbursementFilter, RegisterDisbursement,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::idempotency_key;
use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_disbursements)
        .service(get_disbursement)
        .service(register_disbursement)
        .service(review_disbursement);
}

/// Disbursements in my data scope, newest first (放款台账); `status=registered` is the
/// reviewers' queue.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(PageRequest, DisbursementFilter), responses(
    (status = 200, body = Page<Disbursement>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/disbursements")]
async fn list_disbursements(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<DisbursementFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(disbursements::list(&state.loans, &actor, &filter, &page).await?))
}

/// One disbursement, with its maker and checker.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Disbursement),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/disbursements/{id}")]
async fn get_disbursement(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(disbursements::get(&state.loans, &actor, *id).await?))
}

/// Register the payment of a signed contract whose car is secured (放款登记). Needs an
/// `Idempotency-Key` header: a repeat returns the first answer.
///
/// Permission: `disbursement:register`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = RegisterDisbursement, responses(
    (status = 201, body = Disbursement),
    (status = 400, body = Problem, description = "`idempotency_key_required`"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`contract_not_signed`, `disbursement_exists`"),
    (status = 422, body = Problem, description = "`validation_failed` (`amount`, `valueDate`, `customerAccountId`, `fundAccountCode`), `collateral_not_ready`, `idempotency_key_reused`"),
))]
#[post("/disbursements")]
async fn register_disbursement(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    body: web::Json<RegisterDisbursement>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::DISBURSEMENT_REGISTER)?;
    let key = idempotency_key(&req, "POST /disbursements", &*body)?;
    Ok(HttpResponse::Created()
        .json(disbursements::register(&state.loans, &actor, &body, &key).await?))
}

/// Review a registered disbursement (放款复核); never one's own. Approval opens the loan, draws
/// its binding schedule from the value date and posts the voucher, in one transaction.
///
/// Permission: `disbursement:review`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = CheckInput, responses(
    (status = 200, body = Disbursement),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`maker_checker`: the registrar cannot review"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`, `period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`comment`), `collateral_not_ready`"),
))]
#[post("/disbursements/{id}/review")]
async fn review_disbursement(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<CheckInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::DISBURSEMENT_REVIEW)?;
    let key = idempotency_key(&req, &format!("POST /disbursements/{id}/review"), &*body)?;
    Ok(HttpResponse::Ok()
        .json(disbursements::review(&state.loans, &actor, *id, &body, &key).await?))
}

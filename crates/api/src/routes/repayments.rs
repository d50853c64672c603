//! Repayments (还款登记 / 还款财务确认).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use iam::perm;
use kernel::{Page, PageRequest};
use loans::service::repayments::{self, CheckInput, RegisterRepayment, Repayment, RepaymentFilter};
use utoipa_actix_web::service_config::ServiceConfig;

use super::idempotency_key;
use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_repayments)
        .service(get_repayment)
        .service(register_repayment)
        .service(confirm_repayment);
}

/// Repayments in my data scope, newest first (还款台账); `status=registered` is finance's queue.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(PageRequest, RepaymentFilter), responses(
    (status = 200, body = Page<Repayment>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/repayments")]
async fn list_repayments(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<RepaymentFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(repayments::list(&state.loans, &actor, &filter, &page).await?))
}

/// One repayment, with how it was applied once confirmed.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Repayment),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/repayments/{id}")]
async fn get_repayment(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(repayments::get(&state.loans, &actor, *id).await?))
}

/// Register money received on an active loan (还款登记). Needs an `Idempotency-Key` header.
///
/// Permission: `repayment:register`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = RegisterRepayment, responses(
    (status = 201, body = Repayment),
    (status = 400, body = Problem, description = "`idempotency_key_required`"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`loan_not_active`"),
    (status = 422, body = Problem, description = "`validation_failed` (`amount`, `valueDate`, `fundAccountCode`, `reference`), `idempotency_key_reused`"),
))]
#[post("/repayments")]
async fn register_repayment(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    body: web::Json<RegisterRepayment>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::REPAYMENT_REGISTER)?;
    let key = idempotency_key(&req, "POST /repayments", &*body)?;
    Ok(
        HttpResponse::Created()
            .json(repayments::register(&state.loans, &actor, &body, &key).await?),
    )
}

/// Confirm or reject a registered repayment (还款财务确认); never one's own. Confirmation
/// applies it (fees → penalty → compound → interest → principal, oldest first, or the
/// product's order), updates the sub-ledger and posts the voucher, in one transaction.
///
/// Permission: `repayment:confirm`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = CheckInput, responses(
    (status = 200, body = Repayment),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`maker_checker`: the registrar cannot confirm"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`, `loan_not_active`, `period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`comment`)"),
))]
#[post("/repayments/{id}/confirm")]
async fn confirm_repayment(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<CheckInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::REPAYMENT_CONFIRM)?;
    let key = idempotency_key(&req, &format!("POST /repayments/{id}/confirm"), &*body)?;
    Ok(HttpResponse::Ok().json(repayments::confirm(&state.loans, &actor, *id, &body, &key).await?))
}

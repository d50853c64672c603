//! Credit lines (授信申请 / 授信审核): the application, its review through the `credit_line`
//! approval flow (acted on under `/tasks`), freezing and unfreezing.

use actix_web::{HttpResponse, get, post, put, web};
use credit::service::credit_lines::{
    self, CreditLine, CreditLineDetail, CreditLineFilter, CreditLineInput, CreditLineReasonInput,
    CreditLineWithdrawInput,
};
use iam::perm;
use iam::service::VersionBody;
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_credit_lines)
        .service(get_credit_line)
        .service(create_credit_line)
        .service(update_credit_line)
        .service(submit_credit_line)
        .service(resubmit_credit_line)
        .service(withdraw_credit_line)
        .service(freeze_credit_line)
        .service(unfreeze_credit_line);
}

/// List credit lines within my data scope, newest first. `availableAmount` is what a loan
/// may still draw today.
///
/// Permission: `credit:line:read`.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(PageRequest, CreditLineFilter), responses(
    (status = 200, body = Page<CreditLine>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/credit-lines")]
async fn list_credit_lines(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<CreditLineFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_READ)?;
    Ok(HttpResponse::Ok().json(credit_lines::list(&state.credit, &actor, &filter, &page).await?))
}

/// A credit line with its approval flow, status history and every use by a loan. Reviewers
/// with a task on it see it whatever their data scope.
///
/// Permission: `credit:line:read`, or a task on the line.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = CreditLineDetail),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/credit-lines/{id}")]
async fn get_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(credit_lines::get(&state.credit, &actor, *id).await?))
}

/// Apply for a credit line (授信申请): a draft for a customer in my scope, with the amount
/// asked for and the validity.
///
/// Permission: `credit:line:write`.
#[utoipa::path(tag = "credit", security(("bearer" = [])), request_body = CreditLineInput, responses(
    (status = 201, body = CreditLine),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` with field errors"),
))]
#[post("/credit-lines")]
async fn create_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<CreditLineInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_WRITE)?;
    Ok(HttpResponse::Created().json(credit_lines::create(&state.credit, &actor, &body).await?))
}

/// Edit a draft or returned credit line (send its `version`).
///
/// Permission: `credit:line:write`, as the manager who drafted it.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CreditLineInput, responses(
    (status = 200, body = CreditLine),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed` with field errors"),
))]
#[put("/credit-lines/{id}")]
async fn update_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<CreditLineInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_WRITE)?;
    Ok(HttpResponse::Ok().json(credit_lines::update(&state.credit, &actor, *id, &body).await?))
}

/// Submit a draft into the `credit_line` approval flow (授信审核); the flow's final approval
/// makes the line active with the amount asked for.
///
/// Permission: `credit:line:write`, as the manager who drafted it.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = CreditLine),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`, `already_in_flow`"),
    (status = 422, body = Problem, description = "`credit_line_validity_passed`, `no_flow`, `flow_disabled`, `no_assignee`"),
))]
#[post("/credit-lines/{id}/submit")]
async fn submit_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_WRITE)?;
    Ok(HttpResponse::Ok().json(credit_lines::submit(&state.credit, &actor, *id, &body).await?))
}

/// Resubmit a returned credit line: its flow starts again at the first step.
///
/// Permission: `credit:line:write`, as the manager who drafted it.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = CreditLine),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`credit_line_validity_passed`, `no_assignee`"),
))]
#[post("/credit-lines/{id}/resubmit")]
async fn resubmit_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_WRITE)?;
    Ok(HttpResponse::Ok().json(credit_lines::resubmit(&state.credit, &actor, *id, &body).await?))
}

/// Withdraw a draft or returned credit line; a returned one leaves its flow.
///
/// Permission: `credit:line:write`, as the manager who drafted it.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CreditLineWithdrawInput, responses(
    (status = 200, body = CreditLine),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
))]
#[post("/credit-lines/{id}/withdraw")]
async fn withdraw_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<CreditLineWithdrawInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_WRITE)?;
    Ok(HttpResponse::Ok().json(credit_lines::withdraw(&state.credit, &actor, *id, &body).await?))
}

/// Freeze an active credit line (冻结), with the reason: no loan may draw on it until it is
/// unfrozen; what loans already use stays used.
///
/// Permission: `credit:line:freeze`.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CreditLineReasonInput, responses(
    (status = 200, body = CreditLine),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed` (reason)"),
))]
#[post("/credit-lines/{id}/freeze")]
async fn freeze_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<CreditLineReasonInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_FREEZE)?;
    Ok(HttpResponse::Ok().json(credit_lines::freeze(&state.credit, &actor, *id, &body).await?))
}

/// Unfreeze a frozen credit line (解冻), with the reason.
///
/// Permission: `credit:line:freeze`.
#[utoipa::path(tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CreditLineReasonInput, responses(
    (status = 200, body = CreditLine),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed` (reason)"),
))]
#[post("/credit-lines/{id}/unfreeze")]
async fn unfreeze_credit_line(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<CreditLineReasonInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CREDIT_LINE_FREEZE)?;
    Ok(HttpResponse::Ok().json(credit_lines::unfreeze(&state.credit, &actor, *id, &body).await?))
}

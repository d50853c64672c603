//! Five-tier classification by people (五级分类调整 / 五级分类审核) and the provision report
//! (贷款损失准备).

use actix_web::{HttpResponse, get, post, web};
use iam::perm;
use loans::service::classifications::{
    self, ClassificationRequest, ClassificationRequestFilter, ClassificationRequestInput,
    ClassifyInput, LoanClassification, ProvisionQuery, ProvisionReport,
};
use loans::service::keyed::CheckInput;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_classification)
        .service(classify_worse)
        .service(list_requests)
        .service(request_better)
        .service(review_request)
        .service(provision_report);
}

/// A loan's class, its floor from days past due, a person's class, and the history.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = LoanClassification),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/loans/{id}/classification")]
async fn get_classification(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(classifications::get(&state.loans, &actor, *id).await?))
}

/// Classify a loan worse at once (五级分类调整), with the reason; a better class is asked for
/// with `POST /classification-requests`.
///
/// Permission: `classification:write`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ClassifyInput, responses(
    (status = 200, body = LoanClassification),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`classification`: `needs_review`; `reason`)"),
))]
#[post("/loans/{id}/classification")]
async fn classify_worse(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ClassifyInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CLASSIFICATION_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(classifications::classify_worse(&state.loans, &actor, *id, &body).await?))
}

/// Requests for a better class in the caller's data scope, newest first; `status=requested`
/// is the reviewers' queue.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(ClassificationRequestFilter), responses(
    (status = 200, body = Vec<ClassificationRequest>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/classification-requests")]
async fn list_requests(
    state: web::Data<AppState>,
    actor: Auth,
    filter: web::Query<ClassificationRequestFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(classifications::requests(&state.loans, &actor, &filter).await?))
}

/// Ask for a better class than the loan carries; someone else reviews it.
///
/// Permission: `classification:write`.
#[utoipa::path(tag = "close", security(("bearer" = [])), request_body = ClassificationRequestInput, responses(
    (status = 201, body = ClassificationRequest),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`request_exists`"),
    (status = 422, body = Problem, description = "`validation_failed` (`classification`: `not_better`; `reason`)"),
))]
#[post("/classification-requests")]
async fn request_better(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<ClassificationRequestInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CLASSIFICATION_WRITE)?;
    Ok(HttpResponse::Created()
        .json(classifications::request_better(&state.loans, &actor, &body).await?))
}

/// Approve or reject a request for a better class (五级分类审核); never one's own.
///
/// Permission: `classification:review`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CheckInput, responses(
    (status = 200, body = ClassificationRequest),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`maker_checker`"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition`, `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`comment` when rejecting)"),
))]
#[post("/classification-requests/{id}/review")]
async fn review_request(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<CheckInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CLASSIFICATION_REVIEW)?;
    Ok(HttpResponse::Ok().json(classifications::review(&state.loans, &actor, *id, &body).await?))
}

/// The provision report (贷款损失准备): by class the loans, their balance, the rate and the
/// allowance of a month-end provision run (the latest by default), the general allowance,
/// non-performing loans and their coverage.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(ProvisionQuery), responses(
    (status = 200, body = ProvisionReport),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/provisions")]
async fn provision_report(
    state: web::Data<AppState>,
    actor: Auth,
    query: web::Query<ProvisionQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(
        HttpResponse::Ok()
            .json(classifications::provision_report(&state.loans, query.as_of).await?),
    )
}

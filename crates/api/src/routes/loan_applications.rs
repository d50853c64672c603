//! Loan applications (贷款申请), assignment (贷款分单) and the pre-loan investigation
//! (贷前调查).

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::service::VersionBody;
use kernel::{Page, PageRequest};
use loans::service::applications::{
    self, ApplicationDetail, ApplicationFilter, ApplicationInput, AssignInput, LoanApplication,
    WithdrawInput,
};
use loans::service::investigations::{self, Investigation, InvestigationFile, InvestigationInput};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_loan_applications)
        .service(get_loan_application)
        .service(create_loan_application)
        .service(update_loan_application)
        .service(submit_loan_application)
        .service(assign_loan_application)
        .service(save_investigation)
        .service(upload_investigation_file)
        .service(investigation_file_content)
        .service(send_loan_application_to_review)
        .service(resubmit_loan_application)
        .service(withdraw_loan_application);
}

/// List applications within my data scope, newest first.
///
/// Permission: `loan:application:read`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(PageRequest, ApplicationFilter), responses(
    (status = 200, body = Page<LoanApplication>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/loan-applications")]
async fn list_loan_applications(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<ApplicationFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_APPLICATION_READ)?;
    Ok(HttpResponse::Ok().json(applications::list(&state.loans, &actor, &filter, &page).await?))
}

/// An application with its investigation, files, loan-to-value check, approval flow and
/// status history. Reviewers with a task on it see it whatever their data scope.
///
/// Permission: `loan:application:read`, or a task on the application.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = ApplicationDetail),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/loan-applications/{id}")]
async fn get_loan_application(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(applications::get(&state.loans, &actor, *id).await?))
}

/// Draft an application. Amount, term, method and rate must be within the product's terms;
/// a `creditLineId`, when given, must be the customer's active line with the amount available.
///
/// Permission: `loan:application:write`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), request_body = ApplicationInput, responses(
    (status = 201, body = LoanApplication),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` with field errors"),
))]
#[post("/loan-applications")]
async fn create_loan_application(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<ApplicationInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_APPLICATION_WRITE)?;
    Ok(HttpResponse::Created().json(applications::create(&state.loans, &actor, &body).await?))
}

/// Edit a draft or returned application (send its `version`).
///
/// Permission: `loan:application:write`, as the manager who drafted it.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ApplicationInput, responses(
    (status = 200, body = LoanApplication),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed` with field errors"),
))]
#[put("/loan-applications/{id}")]
async fn update_loan_application(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ApplicationInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_APPLICATION_WRITE)?;
    Ok(HttpResponse::Ok().json(applications::update(&state.loans, &actor, *id, &body).await?))
}

/// Submit a draft: the risk screening runs and is attached. A `reject` decision declines
/// the application at once (status `rejected`); otherwise it waits for assignment.
///
/// Permission: `loan:application:write`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = LoanApplication),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed` (no vehicle)"),
))]
#[post("/loan-applications/{id}/submit")]
async fn submit_loan_application(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_APPLICATION_WRITE)?;
    Ok(HttpResponse::Ok().json(applications::submit(&state.loans, &actor, *id, &body).await?))
}

/// Assign a submitted application to an investigator (by `userId`, or round robin among
/// the department's investigators when omitted), or re-assign one under investigation.
///
/// Permission: `loan:application:assign`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AssignInput, responses(
    (status = 200, body = LoanApplication),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`not_an_investigator`, `no_investigator`, `unchanged`"),
))]
#[post("/loan-applications/{id}/assign")]
async fn assign_loan_application(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<AssignInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_APPLICATION_ASSIGN)?;
    Ok(HttpResponse::Ok().json(applications::assign(&state.loans, &actor, *id, &body).await?))
}

/// Record the pre-loan investigation, or amend it (send its `version`).
///
/// Permission: `loan:investigate`, as the assigned investigator.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = InvestigationInput, responses(
    (status = 200, body = Investigation),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed` with field errors"),
))]
#[put("/loan-applications/{id}/investigation")]
async fn save_investigation(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<InvestigationInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_INVESTIGATE)?;
    Ok(HttpResponse::Ok().json(investigations::save(&state.loans, &actor, *id, &body).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct FileQuery {
    /// The original file name, kept for display.
    file_name: Option<String>,
}

/// Upload a visit photo (JPEG, PNG, WebP) or a PDF as the raw request body, up to 10 MiB.
///
/// Permission: `loan:investigate`, as the assigned investigator.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path), FileQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
    (status = 201, body = InvestigationFile),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`invalid_transition`"),
    (status = 413, body = Problem, description = "`file_too_large`"),
    (status = 422, body = Problem, description = "`unsupported_type`"),
))]
#[post("/loan-applications/{id}/investigation/files")]
async fn upload_investigation_file(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    query: web::Query<FileQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_INVESTIGATE)?;
    let bytes = super::upload_bytes(payload).await?;
    let saved =
        investigations::upload(&state.loans, &actor, *id, query.file_name.clone(), &bytes).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// The bytes of one investigation file.
///
/// Needs a signed-in user who may see the application.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path), ("fileId" = i64, Path)), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 401, body = Problem), (status = 404, body = Problem),
))]
#[get("/loan-applications/{id}/investigation/files/{fileId}/content")]
async fn investigation_file_content(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (application, file) = *path;
    let (found, bytes) = investigations::content(&state.loans, &actor, application, file).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, found.content_type.clone()))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"investigation-{}\"", found.id),
        ))
        .body(bytes))
}

/// Send the application into its approval flow. Needs the investigation, every vehicle
/// appraised, and the amount within min(product maximum, LTV × appraised value, available
/// credit line).
///
/// Permission: `loan:investigate`, as the assigned investigator.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = LoanApplication),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`, `credit_line_frozen`, `credit_line_expired`, `credit_line_not_active`"),
    (status = 422, body = Problem, description = "`investigation_missing`, `appraisal_missing`, `ltv_exceeded`, `credit_line_exceeded`, `no_flow`, `no_assignee`"),
))]
#[post("/loan-applications/{id}/send-to-review")]
async fn send_loan_application_to_review(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_INVESTIGATE)?;
    let saved = applications::send_to_review(&state.loans, &actor, *id, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Resubmit a returned application: its flow starts again at the first step.
///
/// Permission: `loan:application:write`, as the manager who drafted it.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = LoanApplication),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`, `credit_line_frozen`, `credit_line_expired`, `credit_line_not_active`"),
    (status = 422, body = Problem, description = "`ltv_exceeded`, `credit_line_exceeded`, `appraisal_missing`"),
))]
#[post("/loan-applications/{id}/resubmit")]
async fn resubmit_loan_application(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_APPLICATION_WRITE)?;
    Ok(HttpResponse::Ok().json(applications::resubmit(&state.loans, &actor, *id, &body).await?))
}

/// Withdraw an application before a decision (not while a reviewer holds it).
///
/// Permission: `loan:application:write`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = WithdrawInput, responses(
    (status = 200, body = LoanApplication),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
))]
#[post("/loan-applications/{id}/withdraw")]
async fn withdraw_loan_application(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<WithdrawInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_APPLICATION_WRITE)?;
    Ok(HttpResponse::Ok().json(applications::withdraw(&state.loans, &actor, *id, &body).await?))
}

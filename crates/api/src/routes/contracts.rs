//! Contracts and signing (合同管理 / 签约办理).

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, post, web};
use iam::perm;
use loans::service::contracts::{self, Contract, GenerateInput, SignInput, VoidInput};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(generate_contract)
        .service(list_application_contracts)
        .service(get_contract)
        .service(contract_pdf)
        .service(upload_contract_scan)
        .service(contract_scan)
        .service(sign_contract)
        .service(void_contract);
}

/// Generate the contract of an approved application: the terms, fees, annualised-rate
/// disclosure and the schedule drafted from the planned disbursement date are fixed in it.
///
/// Permission: `contract:write`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = GenerateInput, responses(
    (status = 201, body = Contract),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition` (not approved), `contract_exists`"),
    (status = 422, body = Problem, description = "`validation_failed` (`plannedDisbursementDate`)"),
))]
#[post("/loan-applications/{id}/contracts")]
async fn generate_contract(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<GenerateInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_WRITE)?;
    Ok(HttpResponse::Created().json(contracts::generate(&state.loans, &actor, *id, &body).await?))
}

/// The contracts of an application, newest first, voided ones included.
///
/// Permission: `contract:read`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<Contract>),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/loan-applications/{id}/contracts")]
async fn list_application_contracts(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_READ)?;
    Ok(HttpResponse::Ok().json(contracts::for_application(&state.loans, &actor, *id).await?))
}

/// One contract.
///
/// Permission: `contract:read`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Contract),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/contracts/{id}")]
async fn get_contract(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_READ)?;
    Ok(HttpResponse::Ok().json(contracts::get(&state.loans, &actor, *id).await?))
}

/// The contract as a PDF with Chinese text, for preview, printing and signing.
///
/// Permission: `contract:read`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, content_type = "application/pdf", body = String, description = "The contract"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 500, body = Problem, description = "`font_missing`: the server lacks fonts-noto-cjk"),
))]
#[get("/contracts/{id}/pdf")]
async fn contract_pdf(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_READ)?;
    let (number, bytes) = contracts::pdf(&state.loans, &actor, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/pdf"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"{number}.pdf\""),
        ))
        .body(bytes))
}

/// Attach the signed scan (photo or PDF, raw body, up to 10 MiB) to a draft contract.
///
/// Permission: `contract:write`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = String, content_type = "application/octet-stream", description = "The scan's bytes"),
    responses(
    (status = 200, body = Contract),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`invalid_transition`"),
    (status = 413, body = Problem, description = "`file_too_large`"),
    (status = 422, body = Problem, description = "`unsupported_type`"),
))]
#[post("/contracts/{id}/scan")]
async fn upload_contract_scan(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_WRITE)?;
    let bytes = super::upload_bytes(payload).await?;
    Ok(HttpResponse::Ok().json(contracts::upload_scan(&state.loans, &actor, *id, &bytes).await?))
}

/// The signed scan.
///
/// Permission: `contract:read`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The scan"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/contracts/{id}/scan")]
async fn contract_scan(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_READ)?;
    let (kind, bytes) = contracts::scan(&state.loans, &actor, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, kind))
        .body(bytes))
}

/// Record the signing (签约): date, place, witnesses; the scan must be attached. The terms are
/// fixed from here on.
///
/// Permission: `contract:write`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = SignInput, responses(
    (status = 200, body = Contract),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`scan_missing`, `validation_failed`"),
))]
#[post("/contracts/{id}/sign")]
async fn sign_contract(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<SignInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_WRITE)?;
    Ok(HttpResponse::Ok().json(contracts::sign(&state.loans, &actor, *id, &body).await?))
}

/// Void a draft contract, e.g. to generate it again with another planned date.
///
/// Permission: `contract:write`.
#[utoipa::path(tag = "origination", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VoidInput, responses(
    (status = 200, body = Contract),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed`"),
))]
#[post("/contracts/{id}/void")]
async fn void_contract(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VoidInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_WRITE)?;
    Ok(HttpResponse::Ok().json(contracts::void(&state.loans, &actor, *id, &body).await?))
}

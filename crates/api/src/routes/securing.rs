//! Securing a contract with its cars (车辆管理): mortgage registration, pledge intake, GPS
//! devices, release, and whether the loan may be disbursed.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpResponse, get, post, web};
use collateral::service::holdings::{self, GpsFilter, GpsRow, HoldingFilter, HoldingRow};
use collateral::service::releases::{
    self, ReleaseDecisionInput, ReleaseRequest, ReleaseRequestFilter, ReleaseRequestInput,
};
use collateral::service::securing::{
    GpsDevice, GpsInput, GpsRemoval, MortgageInput, PledgeInput, Registration, ReleaseInput,
};
use iam::perm;
use kernel::{Page, PageRequest};
use loans::service::securing::{self, ContractCollateral};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_contract_collateral)
        .service(register_mortgage)
        .service(intake_pledge)
        .service(release_collateral)
        .service(request_release)
        .service(list_release_requests)
        .service(decide_release_request)
        .service(install_gps_device)
        .service(remove_gps_device)
        .service(list_collateral_registrations)
        .service(attach_registration_document)
        .service(registration_document)
        .service(list_gps_devices)
        .service(attach_gps_photo)
        .service(gps_photo);
}

/// The contract's cars as held (mortgages, pledges, GPS devices) and the disbursement
/// readiness: every condition the product sets, each with whether it holds.
///
/// Permission: `contract:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = ContractCollateral),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/contracts/{id}/collateral")]
async fn get_contract_collateral(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CONTRACT_READ)?;
    Ok(HttpResponse::Ok().json(securing::collateral(&state.loans, &actor, *id).await?))
}

/// Record the mortgage registration (抵押登记) of one of a signed contract's cars.
///
/// Permission: `collateral:register`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = MortgageInput, responses(
    (status = 201, body = Registration),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`contract_not_signed`, `already_held`"),
    (status = 422, body = Problem, description = "`validation_failed` (`not_in_contract`, …), `wrong_security_kind`"),
))]
#[post("/contracts/{id}/mortgages")]
async fn register_mortgage(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<MortgageInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COLLATERAL_REGISTER)?;
    let saved = securing::register_mortgage(&state.loans, &actor, *id, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Record a pledged car taken into the yard (质押入库): yard, slot, keys, condition.
///
/// Permission: `collateral:register`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = PledgeInput, responses(
    (status = 201, body = Registration),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`contract_not_signed`, `already_held`"),
    (status = 422, body = Problem, description = "`validation_failed`, `wrong_security_kind`"),
))]
#[post("/contracts/{id}/pledges")]
async fn intake_pledge(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<PledgeInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COLLATERAL_REGISTER)?;
    let saved = securing::intake_pledge(&state.loans, &actor, *id, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Release the car of a settled loan (解押) with the settlement certificate and the hand-over
/// record. Before settlement a car is released only through an approved early-release
/// request (`POST /collateral-registrations/{id}/release-requests`).
///
/// Permission: `collateral:register`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReleaseInput, responses(
    (status = 200, body = Registration),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`loan_not_settled` (request an early release instead), `invalid_transition` (released, or an early release is waiting), `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`settlementCertNo`, `handoverNote`, `releasedOn`)"),
))]
#[post("/collateral-registrations/{id}/release")]
async fn release_collateral(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ReleaseInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COLLATERAL_REGISTER)?;
    Ok(HttpResponse::Ok().json(securing::release(&state.loans, &actor, *id, &body).await?))
}

/// Ask for a car to be released before its loan is settled (申请提前解押), with the reason and
/// the planned hand-over. The car waits in `release_requested` until another holder of
/// `collateral:release:exception` approves or rejects.
///
/// Permission: `collateral:register`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReleaseRequestInput, responses(
    (status = 201, body = ReleaseRequest),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`loan_settled` (release it with the settlement certificate), `invalid_transition` (released, or already requested), `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`reason`, `handoverNote`)"),
))]
#[post("/collateral-registrations/{id}/release-requests")]
async fn request_release(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ReleaseRequestInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COLLATERAL_REGISTER)?;
    let saved = securing::request_release(&state.loans, &actor, *id, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Early-release requests (提前解押申请), newest first, within my data scope over the cars;
/// `status=requested` is the approvers' queue (待审批解押).
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(PageRequest, ReleaseRequestFilter), responses(
    (status = 200, body = Page<ReleaseRequest>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/collateral-release-requests")]
async fn list_release_requests(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<ReleaseRequestFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(HttpResponse::Ok().json(releases::list(&state.collateral, &actor, &filter, &page).await?))
}

/// Approve (the car is released now, basis `exception`, with the request's reason and
/// hand-over) or reject with a comment (the car stays held and may be requested again) an
/// early release; never one's own request.
///
/// Permission: `collateral:release:exception`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReleaseDecisionInput, responses(
    (status = 200, body = ReleaseRequest),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`forbidden`, `maker_checker` (one's own request)"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition` (already decided), `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`comment` when rejecting)"),
))]
#[post("/collateral-release-requests/{id}/decision")]
async fn decide_release_request(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ReleaseDecisionInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COLLATERAL_RELEASE_EXCEPTION)?;
    Ok(HttpResponse::Ok().json(securing::decide_release(&state.loans, &actor, *id, &body).await?))
}

/// Record a GPS device fitted to one of the contract's cars (IMEI checked).
///
/// Permission: `gps:write`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = GpsInput, responses(
    (status = 201, body = GpsDevice),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`device_in_use`, `invalid_transition`"),
    (status = 422, body = Problem, description = "`validation_failed` (`imei` / `invalid_check_digit`, `not_in_contract`)"),
))]
#[post("/contracts/{id}/gps-devices")]
async fn install_gps_device(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<GpsInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::GPS_WRITE)?;
    let saved = securing::install_gps(&state.loans, &actor, *id, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Record a GPS device removed (拆除), with the reason.
///
/// Permission: `gps:write`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = GpsRemoval, responses(
    (status = 200, body = GpsDevice),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition`, `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed`"),
))]
#[post("/gps-devices/{id}/remove")]
async fn remove_gps_device(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<GpsRemoval>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::GPS_WRITE)?;
    Ok(HttpResponse::Ok().json(securing::remove_gps(&state.loans, &actor, *id, &body).await?))
}

/// Mortgage and pledge queries (抵押查询 / 质押查询): held and released cars with their
/// contract, within my data scope over the cars.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(PageRequest, HoldingFilter), responses(
    (status = 200, body = Page<HoldingRow>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/collateral-registrations")]
async fn list_collateral_registrations(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<HoldingFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(HttpResponse::Ok()
        .json(holdings::holdings(&state.collateral, &actor, &filter, &page).await?))
}

/// Attach the scan of the registration certificate or pledge sheet (photo or PDF, raw body).
///
/// Permission: `collateral:register`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = String, content_type = "application/octet-stream", description = "The scan"),
    responses(
    (status = 200, body = Registration),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 413, body = Problem, description = "`file_too_large`"),
    (status = 422, body = Problem, description = "`unsupported_type`"),
))]
#[post("/collateral-registrations/{id}/document")]
async fn attach_registration_document(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COLLATERAL_REGISTER)?;
    let bytes = super::upload_bytes(payload).await?;
    let saved =
        holdings::attach_registration_document(&state.collateral, &actor, *id, &bytes).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// The registration's scan.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The scan"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/collateral-registrations/{id}/document")]
async fn registration_document(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    let (kind, bytes) = holdings::attachment(&state.collateral, &actor, Some(*id), None).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, kind))
        .body(bytes))
}

/// The GPS ledger (GPS台账): devices fitted and removed, within my data scope over the cars.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(PageRequest, GpsFilter), responses(
    (status = 200, body = Page<GpsRow>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/gps-devices")]
async fn list_gps_devices(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<GpsFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(
        HttpResponse::Ok()
            .json(holdings::devices(&state.collateral, &actor, &filter, &page).await?),
    )
}

/// Attach the photo of a device as fitted (raw body; phones use the camera).
///
/// Permission: `gps:write`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = String, content_type = "application/octet-stream", description = "The photo"),
    responses(
    (status = 200, body = GpsDevice),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 413, body = Problem, description = "`file_too_large`"),
    (status = 422, body = Problem, description = "`image_required`, `unsupported_type`"),
))]
#[post("/gps-devices/{id}/photo")]
async fn attach_gps_photo(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    actor.require(perm::GPS_WRITE)?;
    let bytes = super::upload_bytes(payload).await?;
    let saved = holdings::attach_gps_photo(&state.collateral, &actor, *id, &bytes).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// The photo of a device as fitted.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The photo"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/gps-devices/{id}/photo")]
async fn gps_photo(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    let (kind, bytes) = holdings::attachment(&state.collateral, &actor, None, Some(*id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, kind))
        .body(bytes))
}

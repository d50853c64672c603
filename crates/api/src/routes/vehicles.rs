//! Vehicles and their appraisal (车辆评估管理 / 评估查询): registration with a checked VIN,
//! photos from the appraiser's phone, appraisal history and the appraisal queries.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, post, put, web};
use collateral::service::appraisals::{self, Appraisal, AppraisalFilter, AppraisalInput};
use collateral::service::photos::{self, VehiclePhoto};
use collateral::service::vehicles::{self, Vehicle, VehicleFilter, VehicleRegistration};
use iam::perm;
use kernel::{Page, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_vehicles)
        .service(create_vehicle)
        .service(get_vehicle)
        .service(update_vehicle)
        .service(list_vehicle_photos)
        .service(upload_vehicle_photo)
        .service(vehicle_photo_content)
        .service(list_vehicle_appraisals)
        .service(create_appraisal)
        .service(search_appraisals);
}

/// List vehicles within your data scope, newest first, each with its current (newest
/// appraised) value.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(PageRequest, VehicleFilter), responses(
    (status = 200, body = Page<Vehicle>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/vehicles")]
async fn list_vehicles(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<VehicleFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(HttpResponse::Ok().json(vehicles::list(&state.collateral, &actor, &filter, &page).await?))
}

/// Register a vehicle. The VIN's check digit must hold unless `vinOverride` is true with an
/// `overrideReason` (audited as `override_vin_check_digit`); one active vehicle per VIN.
///
/// Permission: `vehicle:write`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), request_body = VehicleRegistration, responses(
    (status = 201, body = Vehicle),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` (field `vin`)"),
    (status = 422, body = Problem, description = "`validation_failed`: `invalid_vin`, `invalid_vin_check_digit`, `invalid_plate`, `in_future`, `negative`, `unknown_reference` …"),
))]
#[post("/vehicles")]
async fn create_vehicle(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<VehicleRegistration>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_WRITE)?;
    Ok(HttpResponse::Created().json(vehicles::create(&state.collateral, &actor, &body).await?))
}

/// One vehicle within your data scope.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vehicle),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/vehicles/{id}")]
async fn get_vehicle(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(HttpResponse::Ok().json(vehicles::get(&state.collateral.db, &actor, *id).await?))
}

/// Update a vehicle, sending the version you edited; the same rules as registration.
///
/// Permission: `vehicle:write`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VehicleRegistration, responses(
    (status = 200, body = Vehicle),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` (field `vin`), `version_conflict`"),
    (status = 422, body = Problem),
))]
#[put("/vehicles/{id}")]
async fn update_vehicle(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VehicleRegistration>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_WRITE)?;
    Ok(HttpResponse::Ok().json(vehicles::update(&state.collateral, &actor, *id, &body).await?))
}

/// The vehicle's photos.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<VehiclePhoto>),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/vehicles/{id}/photos")]
async fn list_vehicle_photos(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(HttpResponse::Ok().json(photos::list(&state.collateral, &actor, *id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct PhotoQuery {
    /// The original file name, kept for display.
    file_name: Option<String>,
}

/// Upload a photo as the raw request body (up to 10 MiB): a JPEG, PNG or WebP image, the type
/// read from the content.
///
/// Permission: `vehicle:write`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path), PhotoQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "The image's bytes"),
    responses(
    (status = 201, body = VehiclePhoto),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 413, body = Problem, description = "`file_too_large`"),
    (status = 422, body = Problem, description = "`image_required`, `required`"),
))]
#[post("/vehicles/{id}/photos")]
async fn upload_vehicle_photo(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    query: web::Query<PhotoQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_WRITE)?;
    let bytes = super::upload_bytes(payload).await?;
    let saved = photos::upload(
        &state.collateral,
        &actor,
        *id,
        query.file_name.clone(),
        &bytes,
    )
    .await?;
    Ok(HttpResponse::Created().json(saved))
}

/// The bytes of one photo, with its sniffed content type.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path), ("photoId" = i64, Path)), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The image"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/vehicles/{id}/photos/{photoId}/content")]
async fn vehicle_photo_content(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    let (vehicle, photo) = *path;
    let (found, bytes) = photos::content(&state.collateral, &actor, vehicle, photo).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, found.content_type.clone()))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"vehicle-photo-{}\"", found.id),
        ))
        .body(bytes))
}

/// The vehicle's appraisal history, newest first; the first is its current value.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<Appraisal>),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/vehicles/{id}/appraisals")]
async fn list_vehicle_appraisals(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(HttpResponse::Ok().json(appraisals::history(&state.collateral, &actor, *id).await?))
}

/// Appraise a vehicle: you are the appraiser; the date defaults to today and may not be later.
///
/// Permission: `appraisal:write`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AppraisalInput, responses(
    (status = 201, body = Appraisal),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed`: `not_positive`, `too_many_decimals`, `invalid_amount`, `in_future`, `before_registration`"),
))]
#[post("/vehicles/{id}/appraisals")]
async fn create_appraisal(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<AppraisalInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::APPRAISAL_WRITE)?;
    Ok(HttpResponse::Created()
        .json(appraisals::create(&state.collateral, &actor, *id, &body).await?))
}

/// Appraisal queries (评估查询) within your data scope (your own, your department's …), newest
/// first. Filters combine.
///
/// Permission: `vehicle:read`.
#[utoipa::path(tag = "collateral", security(("bearer" = [])), params(PageRequest, AppraisalFilter), responses(
    (status = 200, body = Page<Appraisal>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/appraisals")]
async fn search_appraisals(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<AppraisalFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::VEHICLE_READ)?;
    Ok(HttpResponse::Ok()
        .json(appraisals::search(&state.collateral, &actor, &filter, &page).await?))
}

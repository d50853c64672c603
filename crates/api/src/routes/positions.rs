//! Positions (职务).

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use iam::service::positions::{self, Position, PositionInput};
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_positions)
        .service(get_position)
        .service(create_position)
        .service(update_position)
        .service(disable_position)
        .service(enable_position);
}

/// List, a page at a time.
///
/// Permission: `org:position:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(PageRequest), responses(
    (status = 200, body = Page<Position>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/positions")]
async fn list_positions(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_POSITION_READ)?;
    Ok(HttpResponse::Ok().json(positions::list(&state.iam, &page).await?))
}

/// One record.
///
/// Permission: `org:position:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Position),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/positions/{id}")]
async fn get_position(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_POSITION_READ)?;
    Ok(HttpResponse::Ok().json(positions::get(&state.iam, *id).await?))
}

/// Create.
///
/// Permission: `org:position:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), request_body = PositionInput, responses(
    (status = 201, body = Position),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` code"),
    (status = 422, body = Problem),
))]
#[post("/positions")]
async fn create_position(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<PositionInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_POSITION_WRITE)?;
    Ok(HttpResponse::Created().json(positions::create(&state.iam, &actor, &body).await?))
}

/// Update; send the `version` you edited.
///
/// Permission: `org:position:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = PositionInput, responses(
    (status = 200, body = Position),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `duplicate`"),
    (status = 422, body = Problem),
))]
#[put("/positions/{id}")]
async fn update_position(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<PositionInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_POSITION_WRITE)?;
    Ok(HttpResponse::Ok().json(positions::update(&state.iam, &actor, *id, &body).await?))
}

/// Disable.
///
/// Permission: `org:position:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Position),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/positions/{id}/disable")]
async fn disable_position(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_POSITION_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(positions::set_status(&state.iam, &actor, *id, &body, Status::Disabled).await?))
}

/// Enable again.
///
/// Permission: `org:position:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Position),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/positions/{id}/enable")]
async fn enable_position(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_POSITION_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(positions::set_status(&state.iam, &actor, *id, &body, Status::Active).await?))
}

//! Roles (角色) with their permissions and data scope.

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use iam::service::roles::{self, Role, RoleInput};
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_roles)
        .service(get_role)
        .service(create_role)
        .service(update_role)
        .service(disable_role)
        .service(enable_role);
}

/// List, a page at a time.
///
/// Permission: `org:role:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(PageRequest), responses(
    (status = 200, body = Page<Role>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/roles")]
async fn list_roles(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_ROLE_READ)?;
    Ok(HttpResponse::Ok().json(roles::list(&state.iam, &page).await?))
}

/// One record.
///
/// Permission: `org:role:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Role),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/roles/{id}")]
async fn get_role(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_ROLE_READ)?;
    Ok(HttpResponse::Ok().json(roles::get(&state.iam, *id).await?))
}

/// Create.
///
/// Permission: `org:role:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), request_body = RoleInput, responses(
    (status = 201, body = Role),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` code"),
    (status = 422, body = Problem),
))]
#[post("/roles")]
async fn create_role(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<RoleInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_ROLE_WRITE)?;
    Ok(HttpResponse::Created().json(roles::create(&state.iam, &actor, &body).await?))
}

/// Update; send the `version` you edited.
///
/// Permission: `org:role:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = RoleInput, responses(
    (status = 200, body = Role),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `duplicate`"),
    (status = 422, body = Problem),
))]
#[put("/roles/{id}")]
async fn update_role(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<RoleInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_ROLE_WRITE)?;
    Ok(HttpResponse::Ok().json(roles::update(&state.iam, &actor, *id, &body).await?))
}

/// Disable.
///
/// Permission: `org:role:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Role),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/roles/{id}/disable")]
async fn disable_role(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_ROLE_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(roles::set_status(&state.iam, &actor, *id, &body, Status::Disabled).await?))
}

/// Enable again.
///
/// Permission: `org:role:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Role),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/roles/{id}/enable")]
async fn enable_role(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_ROLE_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(roles::set_status(&state.iam, &actor, *id, &body, Status::Active).await?))
}

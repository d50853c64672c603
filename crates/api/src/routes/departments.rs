//! Departments (部门): the organisation tree.

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use iam::service::departments::{
    self, Department, DepartmentTree, DepartmentUpdate, NewDepartment,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(department_tree)
        .service(get_department)
        .service(create_department)
        .service(update_department)
        .service(disable_department)
        .service(enable_department);
}

/// The department tree.
///
/// Permission: `org:department:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), responses(
    (status = 200, body = Vec<DepartmentTree>),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/departments/tree")]
async fn department_tree(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_DEPARTMENT_READ)?;
    Ok(HttpResponse::Ok().json(departments::tree(&state.iam).await?))
}

/// One department.
///
/// Permission: `org:department:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Department),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/departments/{id}")]
async fn get_department(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_DEPARTMENT_READ)?;
    Ok(HttpResponse::Ok().json(departments::get(&state.iam, *id).await?))
}

/// Create a department, at the top or under a parent.
///
/// Permission: `org:department:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), request_body = NewDepartment, responses(
    (status = 201, body = Department),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` code"),
    (status = 422, body = Problem),
))]
#[post("/departments")]
async fn create_department(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<NewDepartment>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_DEPARTMENT_WRITE)?;
    Ok(HttpResponse::Created().json(departments::create(&state.iam, &actor, &body).await?))
}

/// Rename, recode or move a department (its sub-tree moves with it).
///
/// Permission: `org:department:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = DepartmentUpdate, responses(
    (status = 200, body = Department),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `duplicate`"),
    (status = 422, body = Problem, description = "`cycle`, `unknown_reference` on parentId"),
))]
#[put("/departments/{id}")]
async fn update_department(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<DepartmentUpdate>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_DEPARTMENT_WRITE)?;
    Ok(HttpResponse::Ok().json(departments::update(&state.iam, &actor, *id, &body).await?))
}

/// Disable a department (none below it may be active).
///
/// Permission: `org:department:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Department),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `has_active_children`"),
))]
#[post("/departments/{id}/disable")]
async fn disable_department(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_DEPARTMENT_WRITE)?;
    let d = departments::set_status(&state.iam, &actor, *id, &body, Status::Disabled).await?;
    Ok(HttpResponse::Ok().json(d))
}

/// Enable a department again.
///
/// Permission: `org:department:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Department),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `parent_disabled`"),
))]
#[post("/departments/{id}/enable")]
async fn enable_department(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_DEPARTMENT_WRITE)?;
    let d = departments::set_status(&state.iam, &actor, *id, &body, Status::Active).await?;
    Ok(HttpResponse::Ok().json(d))
}

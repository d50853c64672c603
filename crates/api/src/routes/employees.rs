//! Employees (职务).

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use iam::service::employees::{self, Employee, EmployeeFilter, EmployeeInput};
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_employees)
        .service(get_employee)
        .service(create_employee)
        .service(update_employee)
        .service(disable_employee)
        .service(enable_employee);
}

/// List, a page at a time, within your data scope.
///
/// Permission: `org:employee:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(PageRequest, EmployeeFilter), responses(
    (status = 200, body = Page<Employee>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/employees")]
async fn list_employees(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<EmployeeFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_EMPLOYEE_READ)?;
    Ok(HttpResponse::Ok().json(employees::list(&state.iam, &actor, &filter, &page).await?))
}

/// One record, if your data scope covers it (else 404).
///
/// Permission: `org:employee:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Employee),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/employees/{id}")]
async fn get_employee(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_EMPLOYEE_READ)?;
    Ok(HttpResponse::Ok().json(employees::get(&state.iam, &actor, *id).await?))
}

/// Create.
///
/// Permission: `org:employee:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), request_body = EmployeeInput, responses(
    (status = 201, body = Employee),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` code"),
    (status = 422, body = Problem),
))]
#[post("/employees")]
async fn create_employee(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<EmployeeInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_EMPLOYEE_WRITE)?;
    Ok(HttpResponse::Created().json(employees::create(&state.iam, &actor, &body).await?))
}

/// Update; send the `version` you edited.
///
/// Permission: `org:employee:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = EmployeeInput, responses(
    (status = 200, body = Employee),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `duplicate`"),
    (status = 422, body = Problem),
))]
#[put("/employees/{id}")]
async fn update_employee(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<EmployeeInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_EMPLOYEE_WRITE)?;
    Ok(HttpResponse::Ok().json(employees::update(&state.iam, &actor, *id, &body).await?))
}

/// Disable.
///
/// Permission: `org:employee:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Employee),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/employees/{id}/disable")]
async fn disable_employee(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_EMPLOYEE_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(employees::set_status(&state.iam, &actor, *id, &body, Status::Disabled).await?))
}

/// Enable again.
///
/// Permission: `org:employee:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Employee),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/employees/{id}/enable")]
async fn enable_employee(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_EMPLOYEE_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(employees::set_status(&state.iam, &actor, *id, &body, Status::Active).await?))
}

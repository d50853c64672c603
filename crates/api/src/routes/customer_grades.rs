//! Customer and prospect grades (客户等级, 意向客户等级).

use actix_web::{HttpResponse, get, post, put, web};
use customers::service::grades::{self, Grade, GradeFilter, GradeInput};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_customer_grades)
        .service(create_customer_grade)
        .service(update_customer_grade)
        .service(disable_customer_grade)
        .service(enable_customer_grade);
}

/// List grades by scope and order.
///
/// Permission: `customer:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(PageRequest, GradeFilter), responses(
    (status = 200, body = Page<Grade>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/customer-grades")]
async fn list_customer_grades(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<GradeFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    Ok(HttpResponse::Ok().json(grades::list(&state.customers, &filter, &page).await?))
}

/// Create a grade.
///
/// Permission: `customer:grade:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), request_body = GradeInput, responses(
    (status = 201, body = Grade),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` code"), (status = 422, body = Problem),
))]
#[post("/customer-grades")]
async fn create_customer_grade(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<GradeInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_GRADE_WRITE)?;
    Ok(HttpResponse::Created().json(grades::create(&state.customers, &actor, &body).await?))
}

/// Update a grade; send the `version` you edited.
///
/// Permission: `customer:grade:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = GradeInput, responses(
    (status = 200, body = Grade),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
))]
#[put("/customer-grades/{id}")]
async fn update_customer_grade(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<GradeInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_GRADE_WRITE)?;
    Ok(HttpResponse::Ok().json(grades::update(&state.customers, &actor, *id, &body).await?))
}

/// Disable a grade.
///
/// Permission: `customer:grade:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Grade),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/customer-grades/{id}/disable")]
async fn disable_customer_grade(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_GRADE_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(grades::set_status(&state.customers, &actor, *id, &body, Status::Disabled).await?))
}

/// Enable a grade again.
///
/// Permission: `customer:grade:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Grade),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/customer-grades/{id}/enable")]
async fn enable_customer_grade(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_GRADE_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(grades::set_status(&state.customers, &actor, *id, &body, Status::Active).await?))
}

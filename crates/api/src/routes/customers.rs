//! Customers (客户管理): individuals and enterprises, exact search by personal data, transfer of
//! ownership.

use actix_web::{HttpResponse, get, post, put, web};
use customers::service::customers::{
    self as svc, Customer, CustomerFilter, TransferInput, TransferResult,
};
use customers::service::enterprises::{self, EnterpriseInput};
use customers::service::individuals::{self, IndividualInput};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use kernel::{Page, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_customers)
        .service(transfer_customers)
        .service(create_individual)
        .service(update_individual)
        .service(create_enterprise)
        .service(update_enterprise)
        .service(get_customer)
        .service(disable_customer)
        .service(enable_customer);
}

/// List customers of both kinds within your data scope, newest first. Filters combine; `idNumber`,
/// `mobile` and `creditCode` are exact matches. Personal data is always masked here.
///
/// Permission: `customer:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(PageRequest, CustomerFilter), responses(
    (status = 200, body = Page<Customer>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/customers")]
async fn list_customers(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<CustomerFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    Ok(HttpResponse::Ok().json(svc::list(&state.customers, &actor, &filter, &page).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RevealQuery {
    /// Show personal data unmasked. Needs `customer:pii:view`; each such read is audited
    /// (`view_pii`).
    #[serde(default)]
    reveal: bool,
}

/// One customer, if your data scope covers it (else 404), with the blacklist entries that match
/// it.
///
/// Permission: `customer:read` (and `customer:pii:view` with `reveal=true`).
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path), RevealQuery), responses(
    (status = 200, body = Customer),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/customers/{id}")]
async fn get_customer(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    query: web::Query<RevealQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    Ok(HttpResponse::Ok().json(svc::get(&state.customers, &actor, *id, query.reveal).await?))
}

/// Create an individual customer (个人客户). A second customer with the same ID number is a 409
/// `duplicate` naming the existing one when your data scope covers it.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), request_body = IndividualInput, responses(
    (status = 201, body = Customer),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` (idNumber)"),
    (status = 422, body = Problem, description = "`invalid_id_check_digit`, `invalid_phone`, `too_few_contacts` …"),
))]
#[post("/customers/individuals")]
async fn create_individual(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<IndividualInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Created().json(individuals::create(&state.customers, &actor, &body).await?))
}

/// Update an individual customer; send the `version` you edited.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = IndividualInput, responses(
    (status = 200, body = Customer),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `duplicate`"),
    (status = 422, body = Problem),
))]
#[put("/customers/individuals/{id}")]
async fn update_individual(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<IndividualInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Ok().json(individuals::update(&state.customers, &actor, *id, &body).await?))
}

/// Disable a customer.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Customer),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/customers/{id}/disable")]
async fn disable_customer(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(svc::set_status(&state.customers, &actor, *id, &body, Status::Disabled).await?))
}

/// Enable a customer again.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Customer),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/customers/{id}/enable")]
async fn enable_customer(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(svc::set_status(&state.customers, &actor, *id, &body, Status::Active).await?))
}

/// Move customers to another customer manager (客户移交), all or none; each move is audited
/// (`transfer`). Every customer must be within your data scope.
///
/// Permission: `customer:transfer`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), request_body = TransferInput, responses(
    (status = 200, body = TransferResult),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 422, body = Problem),
))]
#[post("/customers/transfer")]
async fn transfer_customers(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<TransferInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_TRANSFER)?;
    Ok(HttpResponse::Ok().json(svc::transfer(&state.customers, &actor, &body).await?))
}

/// Create an enterprise customer (企业客户). A second enterprise with the same credit code is a
/// 409 `duplicate`.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), request_body = EnterpriseInput, responses(
    (status = 201, body = Customer),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` (creditCode)"),
    (status = 422, body = Problem, description = "`invalid_credit_code_check` …"),
))]
#[post("/customers/enterprises")]
async fn create_enterprise(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<EnterpriseInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Created().json(enterprises::create(&state.customers, &actor, &body).await?))
}

/// Update an enterprise customer; send the `version` you edited.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = EnterpriseInput, responses(
    (status = 200, body = Customer),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `duplicate`"),
    (status = 422, body = Problem),
))]
#[put("/customers/enterprises/{id}")]
async fn update_enterprise(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<EnterpriseInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Ok().json(enterprises::update(&state.customers, &actor, *id, &body).await?))
}
